// "Why was this one slow?": what occupied the CPU a bottom half ran on while
// it waited — from the trigger its hard IRQ made (raise / queue / waking) to
// its start.  The stretch is cut into pieces, each owned by the innermost
// thing running then (a hard IRQ, a softirq, a tasklet, a work item, an irq
// thread, a task, or nothing: idle), and the pieces are added up per owner:
// the shares always sum to the episode's wait.  No Qt.
#pragma once

#include "core/spans/span.h"
#include "core/stats/mechanism.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace irqlens {

enum class Occupant : std::uint8_t {
    HardIrq,   // name = IRQ key ("26 irqlens-gpio", "local_timer")
    Softirq,   // name = vector
    Tasklet,   // name = function
    WorkItem,  // name = work function, task = the kworker
    IrqThread, // name = thread
    Task,      // name = comm
    Idle,      // nothing ran (the idle task)
    Unknown,   // task runs were not analysed (AnalysisOptions::taskSpans off)
};

struct WaitShare {
    Occupant occupant = Occupant::Unknown;
    std::string name;
    std::string task;      // work items: the kworker that ran it
    std::int32_t pid = -1; // tasks, work items (their kworker), irq threads
    bool self = false;     // the episode's own hard IRQ (the rest of its top half)
    std::int64_t ns = 0;
    std::size_t pieces = 0;  // separate stretches
    std::int64_t first = -1; // start of its first stretch
};

struct WaitBreakdown {
    EpisodeId episode = kNone;
    SpanId bottomHalf = kNone;     // the bottom half whose wait this is (stageLink)
    std::uint16_t cpu = 0;         // the CPU it ran on: the one looked at
    std::int64_t from = 0;         // its trigger
    std::int64_t to = 0;           // its start
    std::vector<WaitShare> shares; // most time first; their ns sum to to - from
    std::int64_t waitNs() const { return to - from; }
};

// The interrupt mechanism an occupant is (its id, label and definition come
// from core/stats/mechanism.h); nullopt for tasks, idle and unknown.
std::optional<Mechanism> occupantMechanism(Occupant occupant);

// nullopt when the episode has no bottom half or its trigger is unknown.
std::optional<WaitBreakdown> explainWait(const EventStore& store, const Analysis& analysis,
                                         EpisodeId episode);

// "sh (pid 119)", "local_timer", "IRQ 26 irqlens-gpio (its own top half)",
// "softirq SCHED", "work item free_work in kworker/1:1", "idle".
std::string occupantLabel(const WaitShare& share);
// "its work item irqlens_wq_bottom_half waited 2.24 ms on CPU 1: sh (pid 119)
// 1.46 ms (65 %), local_timer 431 µs (19 %), ..., 3 more" (maxShares 0: no
// shares, the first part only)
std::string describeWait(const EventStore& store, const Analysis& analysis,
                         const WaitBreakdown& breakdown, std::size_t maxShares = 4);

} // namespace irqlens
