// The causality rules (SPEC "Spans and how they pair", episodes).  Keep every
// rule here; docs/ARCHITECTURE.md ("Spans, episodes and the causality rules") explains them for
// users.
#include "core/spans/causality.h"

#include "core/spans/live_delta.h"

#include <algorithm>

namespace irqlens::detail {

void Causality::reserveLive(std::size_t count) {
    reserveLiveRoom(hardIrqOf_, count);
    reserveLiveRoom(links_, count);
    reserveLiveRoom(spanLinks_, count);
}

EpisodeId Causality::onHardIrq(SpanId hardIrq) {
    hardIrqOf_.push_back(hardIrq);
    return static_cast<EpisodeId>(hardIrqOf_.size() - 1);
}

void Causality::addLink(EpisodeId episode, SpanId span, LinkRole role, std::int64_t triggerTs) {
    links_.push_back({episode, EpisodeLink{span, role, triggerTs}});
}

// Rule 1a: the innermost hard IRQ running on this CPU owns the raise (an IRQ
// nested in another one runs first and raises for itself).
EpisodeId Causality::raiseEpisode(const CpuState& cpu) const {
    return cpu.hard.empty() ? kNone : cpu.hard.back().episode;
}

// Rule 1b: one softirq_entry runs every raise pending for its vector on its
// CPU, so it serves all of their IRQs (one link per distinct episode; the
// trigger of the link is that IRQ's first raise).
void Causality::onSoftirqEntry(SpanId softirq, std::span<const PendingRaise> pending) {
    const auto first = static_cast<std::uint32_t>(links_.size());
    for (const PendingRaise& raise : pending) {
        if (raise.episode == kNone) {
            continue;
        }
        const bool seen = std::any_of(links_.begin() + first, links_.end(),
                                      [&](const RawLink& l) { return l.episode == raise.episode; });
        if (!seen) {
            addLink(raise.episode, softirq, LinkRole::SoftirqRaise, raise.ts);
        }
    }
    const auto count = static_cast<std::uint32_t>(links_.size()) - first;
    if (count > 0) {
        spanLinks_.push_back({softirq, first, count});
    }
}

// Rule 2: tasklet_schedule has no event; the TASKLET/HI softirq that runs the
// tasklet was raised by it, so the tasklet inherits that softirq's episodes.
void Causality::onTaskletEntry(SpanId tasklet, SpanId softirq) {
    const std::vector<TriggerEpisode> inherited = episodesOf(softirq);
    const auto first = static_cast<std::uint32_t>(links_.size());
    for (const TriggerEpisode& t : inherited) {
        addLink(t.episode, tasklet, LinkRole::Tasklet, t.ts);
    }
    if (!inherited.empty()) {
        spanLinks_.push_back({tasklet, first, static_cast<std::uint32_t>(inherited.size())});
    }
}

std::vector<TriggerEpisode> Causality::episodesOf(SpanId span) const {
    std::vector<TriggerEpisode> out;
    auto it = std::lower_bound(spanLinks_.begin(), spanLinks_.end(), span,
                               [](const LinkRange& r, SpanId id) { return r.span < id; });
    if (it != spanLinks_.end() && it->span == span) {
        for (std::uint32_t i = 0; i < it->count; ++i) {
            const RawLink& l = links_[it->first + i];
            out.push_back({l.episode, l.link.triggerTs});
        }
    }
    return out;
}

// Rule 3a: the queuing context is the innermost of hard IRQ, tasklet and
// softirq running on the CPU (hard IRQs interrupt bottom halves, tasklets run
// inside softirqs).
SpanId Causality::queueContext(const CpuState& cpu) const {
    if (!cpu.hard.empty()) {
        return cpu.hard.back().span;
    }
    if (!cpu.tasklet.empty()) {
        return cpu.tasklet.back();
    }
    return cpu.softirq.empty() ? kNone : cpu.softirq.back();
}

// Rule 3b: work queued in a hard IRQ belongs to that IRQ's episode; queued in
// a softirq or tasklet, to every episode that bottom half serves.  The link's
// trigger is the queue event itself (the wait stage is queue -> start).
std::vector<TriggerEpisode> Causality::queueEpisodes(const CpuState& cpu, std::int64_t ts) const {
    std::vector<TriggerEpisode> out;
    if (!cpu.hard.empty()) {
        out.push_back({cpu.hard.back().episode, ts});
        return out;
    }
    const SpanId context = queueContext(cpu);
    if (context != kNone) {
        for (const TriggerEpisode& t : episodesOf(context)) {
            out.push_back({t.episode, ts});
        }
    }
    return out;
}

// Rule 3c: the work item is followed by its work-struct address to its next
// execute_start (the builder passes what was pending for that address).
void Causality::onWorkStart(SpanId work, std::span<const TriggerEpisode> queued) {
    for (const TriggerEpisode& t : queued) {
        addLink(t.episode, work, LinkRole::WorkQueued, t.ts);
    }
}

// Rule 4a: the waking of irq/N-* belongs to the innermost open hard IRQ span
// of irq N on the waking CPU (not to another IRQ that happens to be running),
// or to the handler of irq N that has just exited in the same hard-IRQ
// context: the kernel traces irq_handler_exit and then wakes the thread
// (__irq_wake_thread) before it leaves the interrupt.
EpisodeId Causality::wakingEpisode(const CpuState& cpu, std::int32_t irq) const {
    for (auto it = cpu.hard.rbegin(); it != cpu.hard.rend(); ++it) {
        if (it->cls == HardClass::Handler && it->irq == irq) {
            return it->episode;
        }
    }
    const OpenHard& last = cpu.justExited;
    if (last.cls == HardClass::Handler && last.irq == irq) {
        return last.episode;
    }
    return kNone;
}

// Rule 4b: the thread's next run (switch in on any CPU -> switch out asleep)
// is the bottom half of every IRQ that woke it.
void Causality::onThreadRun(SpanId run, std::span<const TriggerEpisode> wakings) {
    for (const TriggerEpisode& t : wakings) {
        addLink(t.episode, run, LinkRole::ThreadWoken, t.ts);
    }
}

namespace {

std::int64_t preemptedTime(const Analysis& a, SpanId span, std::int32_t& firstBy) {
    std::int64_t total = 0;
    firstBy = -1;
    for (const Preemption& p : a.preemptionsOf(span)) {
        total += p.end - p.start;
        if (firstBy < 0) {
            firstBy = p.by;
        }
    }
    return total;
}

bool dropBetween(std::span<const std::int64_t> missedTs, std::int64_t from, std::int64_t to) {
    auto it = std::upper_bound(missedTs.begin(), missedTs.end(), from);
    return it != missedTs.end() && *it <= to;
}

// stageLink() with the spans read from `spans` (a.spans, or a live walk's).
template <typename Spans>
const EpisodeLink* lastEndingLink(const Spans& spans, const Analysis& a, EpisodeId episode) {
    const EpisodeLink* last = nullptr;
    for (const EpisodeLink& l : a.linksOf(episode)) {
        if (!last || spans[l.span].end > spans[last->span].end) {
            last = &l;
        }
    }
    return last;
}

// End-to-end and stages: the episode ends with its last-ending bottom half;
// wait = that bottom half's trigger (raise/queue/waking) -> its start, run =
// its start -> end, preempted = time it spent switched out while runnable.
// `spans` by id: a.spans, or a live walk's rows.
template <typename Spans>
void fillStages(const Spans& spans, const Analysis& a, Episode& e,
                std::span<const std::int64_t> missedTs) {
    const Span& hard = spans[e.hardIrq];
    e.topHalfNs = hard.duration();
    e.end = hard.end;
    if (hard.flags & SpanFlag::OpenEnd) {
        e.flags |= EpisodeFlag::Incomplete;
    }
    if (hard.flags & SpanFlag::CrossesDrop) {
        e.flags |= EpisodeFlag::CrossesDrop;
    }
    if (e.linkCount == 0) {
        e.flags |= EpisodeFlag::NoNewDeferredWork;
    }
    const auto id = static_cast<EpisodeId>(&e - a.episodes.data());
    for (const EpisodeLink& l : a.linksOf(id)) {
        const Span& s = spans[l.span];
        if (s.flags & SpanFlag::OpenEnd) {
            e.flags |= EpisodeFlag::Incomplete;
        }
        if (s.flags & SpanFlag::CrossesDrop) {
            e.flags |= EpisodeFlag::CrossesDrop;
        }
        if (s.flags & SpanFlag::SharedBottomHalf) {
            e.flags |= EpisodeFlag::SharedBottomHalf;
        }
    }
    const EpisodeLink* last = lastEndingLink(spans, a, id);
    if (last) {
        const Span& s = spans[last->span];
        e.end = std::max(s.end, hard.end);
        e.waitNs = last->triggerTs >= 0 ? s.start - last->triggerTs : 0;
        e.runNs = s.duration();
        e.preemptedNs = preemptedTime(a, last->span, e.preemptedBy);
    }
    if (dropBetween(missedTs, hard.start, e.end)) {
        e.flags |= EpisodeFlag::CrossesDrop;
    }
}

// Reverse index span -> episodes (counting sort, episodes ascending).
void buildReverseIndex(Analysis& a) {
    a.spanEpisodeOffsets.assign(a.spans.size() + 1, 0);
    for (std::size_t e = 0; e < a.episodes.size(); ++e) {
        ++a.spanEpisodeOffsets[a.episodes[e].hardIrq + 1];
    }
    for (const EpisodeLink& l : a.links) {
        ++a.spanEpisodeOffsets[l.span + 1];
    }
    for (std::size_t s = 0; s < a.spans.size(); ++s) {
        a.spanEpisodeOffsets[s + 1] += a.spanEpisodeOffsets[s];
    }
    a.spanEpisodes.assign(a.spanEpisodeOffsets.back(), kNone);
    std::vector<std::uint32_t> fill(a.spanEpisodeOffsets.begin(), a.spanEpisodeOffsets.end() - 1);
    for (std::size_t e = 0; e < a.episodes.size(); ++e) {
        const auto id = static_cast<EpisodeId>(e);
        a.spanEpisodes[fill[a.episodes[e].hardIrq]++] = id;
        for (const EpisodeLink& l : a.linksOf(id)) {
            a.spanEpisodes[fill[l.span]++] = id;
        }
    }
}

} // namespace

// Episodes in hard-IRQ order, links grouped by episode (stable, so each
// episode keeps build order); span ids through finalId.
void Causality::groupLinks(Analysis& a, const std::vector<SpanId>& finalId) const {
    auto id = [&finalId](SpanId s) { return finalId[s]; };
    a.episodes.assign(hardIrqOf_.size(), Episode{});
    for (std::size_t e = 0; e < hardIrqOf_.size(); ++e) {
        a.episodes[e].hardIrq = id(hardIrqOf_[e]);
    }
    std::vector<std::uint32_t> offsets(hardIrqOf_.size() + 1, 0);
    for (const RawLink& l : links_) {
        ++offsets[l.episode + 1];
    }
    for (std::size_t e = 0; e < hardIrqOf_.size(); ++e) {
        offsets[e + 1] += offsets[e];
        a.episodes[e].firstLink = offsets[e];
        a.episodes[e].linkCount = offsets[e + 1] - offsets[e];
    }
    a.links.assign(links_.size(), EpisodeLink{});
    for (const RawLink& l : links_) {
        EpisodeLink link = l.link;
        link.span = id(link.span);
        a.links[offsets[l.episode]++] = link;
    }
}

void Causality::finish(Analysis& a, const std::vector<SpanId>& finalId,
                       std::span<const std::int64_t> missedTs) {
    groupLinks(a, finalId);
    buildReverseIndex(a);
    // A bottom half serving more than one episode is shared (SPEC: say so).
    for (const EpisodeLink& l : a.links) {
        if (a.episodesOf(l.span).size() > 1) {
            a.spans[l.span].flags |= SpanFlag::SharedBottomHalf;
        }
    }
    for (Episode& e : a.episodes) {
        irqlens::detail::fillStages(a.spans, a, e, missedTs);
    }
}

void Causality::fillStages(Analysis& a, const SpanRows& spans, std::span<const EpisodeId> episodes,
                           std::span<const std::int64_t> missedTs) {
    for (EpisodeId id : episodes) {
        Episode& e = a.episodes[id];
        Episode fresh;
        fresh.hardIrq = e.hardIrq;
        fresh.firstLink = e.firstLink;
        fresh.linkCount = e.linkCount;
        e = fresh;
        irqlens::detail::fillStages(spans, a, e, missedTs);
    }
}

} // namespace irqlens::detail
