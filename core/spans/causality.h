// The causality rules: how a hard IRQ is linked to the deferred work it
// caused (an episode).  Every rule lives in causality.cpp and nowhere else;
// the span builder only tells it what is running where (CpuState) and which
// triggers were pending when a bottom half began.  Documented in
// docs/ARCHITECTURE.md ("Spans, episodes and the causality rules").
#pragma once

#include "core/spans/build_state.h"
#include "core/spans/span_rows.h"

#include <span>
#include <vector>

namespace irqlens::detail {

class Causality {
public:
    // Every hard IRQ span is the root of one episode.
    EpisodeId onHardIrq(SpanId hardIrq);

    // Rule 1: a softirq_raise inside a hard IRQ span (same CPU) belongs to
    // the innermost open hard IRQ; kNone outside hard IRQ context.
    EpisodeId raiseEpisode(const CpuState& cpu) const;
    // Rule 1: the softirq_entry joins the episodes of every raise pending for it.
    void onSoftirqEntry(SpanId softirq, std::span<const PendingRaise> pending);

    // Rule 2: a tasklet inside a TASKLET/HI softirq inherits its episodes.
    void onTaskletEntry(SpanId tasklet, SpanId softirq);

    // Rule 3: workqueue_queue_work inside a hard IRQ / softirq / tasklet span
    // belongs to that span's episode(s); the innermost of them is the context.
    SpanId queueContext(const CpuState& cpu) const;
    std::vector<TriggerEpisode> queueEpisodes(const CpuState& cpu, std::int64_t ts) const;
    void onWorkStart(SpanId work, std::span<const TriggerEpisode> queued);

    // Rule 4: sched_waking of an irq/N-* thread inside the hard IRQ span of irq N.
    EpisodeId wakingEpisode(const CpuState& cpu, std::int32_t irq) const;
    void onThreadRun(SpanId run, std::span<const TriggerEpisode> wakings);

    // Episodes of a span linked so far (softirq/tasklet/bottom halves).
    std::vector<TriggerEpisode> episodesOf(SpanId span) const;

    // After the pass and the final sort: fills analysis.episodes/links, the
    // reverse index, the stage breakdown and the episode/span shared flags.
    // `finalId[buildId]` maps build-order span ids to sorted ids.
    void finish(Analysis& analysis, const std::vector<SpanId>& finalId,
                std::span<const std::int64_t> missedTs);
    // Live pictures: the stages of `episodes` computed again (their links
    // in analysis.links through firstLink/linkCount, spans by build id from
    // the walk's `spans`).
    static void fillStages(Analysis& analysis, const SpanRows& spans,
                           std::span<const EpisodeId> episodes,
                           std::span<const std::int64_t> missedTs);
    const std::vector<SpanId>& hardIrqs() const { return hardIrqOf_; }
    const std::vector<RawLink>& rawLinks() const { return links_; }
    // What is written (live: the room reserved is address space until then).
    std::size_t bytesFilled() const {
        return hardIrqOf_.size() * sizeof(SpanId) + links_.size() * sizeof(RawLink) +
               spanLinks_.size() * sizeof(LinkRange);
    }
    // Live walks: room for `count` episodes, links and link ranges, taken
    // once (reserveLiveRoom).
    void reserveLive(std::size_t count);

private:
    void groupLinks(Analysis& a, const std::vector<SpanId>& finalId) const;
    void addLink(EpisodeId episode, SpanId span, LinkRole role, std::int64_t triggerTs);

    std::vector<SpanId> hardIrqOf_; // EpisodeId -> build-order hard IRQ span
    std::vector<RawLink> links_;
    // Links of a softirq/tasklet span are added together when it begins (so
    // in span-id order): a (first, count) range, found by binary search.
    struct LinkRange {
        SpanId span;
        std::uint32_t first;
        std::uint32_t count;
    };
    std::vector<LinkRange> spanLinks_;
};

} // namespace irqlens::detail
