// Spans (a begin/end pair of events) and episodes (a hard IRQ plus the
// deferred work it caused).  Built once from an EventStore by analyze();
// read by the CLI, the timeline, the latency and compare views.
// Definitions follow SPEC.md "Spans and how they pair"; causality rules live
// in one file (causality.cpp) and are documented in docs/ARCHITECTURE.md.
#pragma once

#include "core/model/event_store.h"
#include "core/spans/latency_rule.h"
#include "core/spans/task_runs.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace irqlens {

enum class SpanKind : std::uint8_t {
    HardIrq = 0, // irq_handler_entry/exit, irq_vectors:*_entry/_exit, ipi_entry/exit
    Softirq,     // softirq_entry/exit (key = vector)
    Tasklet,     // tasklet_entry/exit (key = AddressId of the function)
    Workqueue,   // workqueue_execute_start/end (key = AddressId of the work function)
    IrqThread,   // a run of an irq/N-name thread: switch in -> switch out (key = pid)
    Task,        // any task's run on a CPU from sched_switch (key = pid): Analysis::taskRuns
    Function,    // function_graph entry/exit (key = AddressId), depth = call depth
    Custom,      // a user-defined latency rule
    Count
};
std::string_view spanKindName(SpanKind kind); // "hardirq", "softirq", "tasklet", "workqueue",
                                              // "irq_thread", "task", "function", "custom"
std::optional<SpanKind> spanKindByName(std::string_view name); // the inverse; nullopt if unknown

namespace SpanFlag {
inline constexpr std::uint16_t OpenStart = 0x0001;   // began before the capture: no begin event
inline constexpr std::uint16_t OpenEnd = 0x0002;     // still running at capture end: no end event
inline constexpr std::uint16_t CrossesDrop = 0x0004; // lost events inside the span
inline constexpr std::uint16_t InKsoftirqd = 0x0008; // softirq/tasklet ran in ksoftirqd/N
inline constexpr std::uint16_t LatencyUnknown = 0x0010; // no raise/queue/wake event found
inline constexpr std::uint16_t Preempted = 0x0020;      // switched out at least once before its end
inline constexpr std::uint16_t Nested = 0x0040;         // began inside another span of its row
inline constexpr std::uint16_t SharedBottomHalf = 0x0080; // serves more than one episode
inline constexpr std::uint16_t Unhandled = 0x0100;        // irq_handler_exit ret=unhandled
} // namespace SpanFlag

// Key meaning by kind: HardIrq -> IrqActionId (irq_vectors/ipi are interned
// as IrqAction{irq = -1, name = event or reason}); Softirq -> vector;
// Tasklet/Workqueue/Function -> AddressId of the function; IrqThread/Task -> pid;
// Custom -> rule index.
struct Span {
    std::int64_t start = 0;    // ns; capture first ts when OpenStart
    std::int64_t end = 0;      // ns; capture last ts when OpenEnd
    std::int64_t trigger = -1; // raise / queue / wake ts that made it runnable; -1 unknown or n/a
    std::uint32_t key = 0;
    std::int32_t pid = 0; // task running when it began (the irq thread / kworker itself)
    EventRef begin;       // begin event (valid unless OpenStart)
    EventRef finish;      // end event (valid unless OpenEnd)
    std::uint16_t cpu = 0;
    std::uint16_t flags = 0;
    SpanKind kind = SpanKind::Task;
    std::uint8_t depth = 0; // nesting level in its row (0 = outermost)

    std::int64_t duration() const { return end - start; }
    bool latencyKnown() const { return trigger >= 0 && !(flags & SpanFlag::LatencyUnknown); }
    std::int64_t latency() const { return latencyKnown() ? start - trigger : -1; }
    friend bool operator==(const Span&, const Span&) = default;
};

using EpisodeId = std::uint32_t;
inline constexpr std::uint32_t kNone = 0xffffffffu;

namespace EpisodeFlag {
inline constexpr std::uint16_t NoNewDeferredWork = 0x01; // IRQ caused no event-visible bottom half
inline constexpr std::uint16_t SharedBottomHalf = 0x02;  // a bottom half also serves another IRQ
inline constexpr std::uint16_t Incomplete = 0x04; // a linked bottom half is open at capture end
inline constexpr std::uint16_t CrossesDrop = 0x08;
} // namespace EpisodeFlag

// How a bottom half is linked to its episode (what the "wait" stage measures from).
enum class LinkRole : std::uint8_t { SoftirqRaise, Tasklet, WorkQueued, ThreadWoken };

struct EpisodeLink {
    SpanId span = kNone;
    LinkRole role = LinkRole::SoftirqRaise;
    std::int64_t triggerTs = -1; // the raise / queue / waking inside the hard IRQ
};

struct Episode {
    SpanId hardIrq = kNone;
    std::uint32_t firstLink = 0; // into Analysis::links
    std::uint32_t linkCount = 0;
    std::int64_t end = 0;          // end of the last linked bottom half (hard IRQ end if none)
    std::int64_t topHalfNs = 0;    // hard IRQ duration
    std::int64_t waitNs = 0;       // trigger -> start of the last-ending bottom half
    std::int64_t runNs = 0;        // start -> end of the last-ending bottom half
    std::int64_t preemptedNs = 0;  // time the bottom half spent switched out
    std::int32_t preemptedBy = -1; // pid that preempted it first (-1 none)
    std::uint16_t flags = 0;
    std::int64_t endToEnd(const std::vector<Span>& spans) const {
        return end - spans[hardIrq].start;
    }
};

// A bottom half (workqueue item or irq-thread run) switched out while still
// runnable (prev_state R) before its end: who took the CPU, and for how long.
struct Preemption {
    SpanId span = kNone;
    std::int64_t start = 0; // switch out
    std::int64_t end = 0;   // switch back in (span end when it never came back)
    std::int32_t by = -1;   // next_pid of the switch out
    std::uint16_t cpu = 0;
};

// Where a workqueue item was queued from (the "queuing context").
struct QueueContext {
    SpanId span = kNone;          // the Workqueue span
    SpanId context = kNone;       // hard IRQ / softirq / tasklet span it was queued in; kNone: task
    std::int32_t pid = 0;         // task current at the queue event
    std::int64_t queueTs = -1;    // workqueue_queue_work
    std::int64_t activateTs = -1; // workqueue_activate_work (-1 none seen)
    std::uint16_t cpu = 0;        // CPU of the queue event
};

struct Analysis {
    std::vector<Span> spans;       // sorted by (cpu, kind, start); no Task spans:
    TaskRuns taskRuns;             // the task runs, a table of their own (task_runs.h)
    std::vector<Episode> episodes; // in hard-IRQ start order
    std::vector<EpisodeLink> links;
    // Reverse index: episodes a span belongs to (hard IRQ or bottom half).
    std::vector<std::uint32_t> spanEpisodeOffsets; // size spans+1
    std::vector<EpisodeId> spanEpisodes;
    std::vector<std::string> warnings;
    std::vector<Preemption> preemptions;     // sorted by (span, start)
    std::vector<QueueContext> queueContexts; // sorted by span; one per Workqueue span with a queue
    std::vector<std::string> ruleNames;      // Custom span key -> rule text

    std::span<const Preemption> preemptionsOf(SpanId s) const;
    const QueueContext* queueContextOf(SpanId s) const; // null when none

    std::span<const EpisodeLink> linksOf(EpisodeId e) const {
        return {links.data() + episodes[e].firstLink, episodes[e].linkCount};
    }
    std::span<const EpisodeId> episodesOf(SpanId s) const {
        return {spanEpisodes.data() + spanEpisodeOffsets[s],
                spanEpisodeOffsets[s + 1] - spanEpisodeOffsets[s]};
    }
    std::size_t count(SpanKind kind) const; // Task: taskRuns.size()
    // A span or a task run (isTaskRunId) by id; hasSpan() says whether the
    // id names one.  A task run's `finish` is left empty unless it is
    // OpenStart (TaskRuns::finishOf finds it).
    bool hasSpan(SpanId id) const;
    Span spanAt(SpanId id) const;
    std::size_t bytesUsed() const;
    // By size: a live picture's room reserved up front is address space
    // until written (core/spans/live_delta.h).
    std::size_t bytesFilled() const;
};

// Analysis::spanAt() with a task run's end event found too (a scan of its
// CPU's events up to the next sched_switch).
Span spanWithEvents(const EventStore& store, const Analysis& analysis, SpanId id);

// Calls fn(id, span) for each span of `kind` in analysis order (cpu, start);
// Task: each task run.
template <typename Fn> void forEachSpanOf(const Analysis& analysis, SpanKind kind, Fn&& fn) {
    if (kind == SpanKind::Task) {
        const TaskRuns& runs = analysis.taskRuns;
        for (std::size_t c = 0; c < runs.cpus.size(); ++c) {
            const auto cpu = static_cast<std::uint16_t>(c);
            for (std::size_t i = 0; i < runs.cpus[c].size(); ++i) {
                fn(runs.id(cpu, i), runs.span(cpu, i));
            }
        }
        return;
    }
    for (std::size_t i = 0; i < analysis.spans.size(); ++i) {
        if (analysis.spans[i].kind == kind) {
            fn(static_cast<SpanId>(i), analysis.spans[i]);
        }
    }
}

// The bottom half an episode's stages describe (Episode::waitNs, runNs,
// preemptedNs): the linked span that ends last, the first of them on a tie;
// null for an episode without links.
const EpisodeLink* stageLink(const Analysis& analysis, EpisodeId episode);

struct AnalysisOptions {
    bool taskSpans = true; // Analysis::taskRuns from sched_switch (the timeline's task rows)
};

// Builds every span and episode.  Deterministic; never throws on odd input
// (unmatched begins/ends become OpenEnd/OpenStart spans).
Analysis analyze(const EventStore& store, const AnalysisOptions& options = {});
// The same, plus user-defined latency rules (latency_rule.h): each rule's
// matches are Custom spans with key = its index (Analysis::ruleNames).
Analysis analyze(const EventStore& store, const AnalysisOptions& options,
                 std::span<const LatencyRule> rules);

// Human-readable key of a span: "36 virtio1-req.0", "TIMER", "free_filter_list_work",
// "irq/36-virtio1", a comm for tasks.
std::string spanKeyName(const EventStore& store, const Span& span);

} // namespace irqlens
