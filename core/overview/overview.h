// What happened to each interrupt: one row per interrupt source — a device
// IRQ's handler ("26 irqlens-gpio") or a CPU vector / IPI ("local_timer",
// "reschedule") — with the bottom halves its episodes used, who ran them, the
// median stages, the slowest episode and one sentence saying the typical
// path.  Built from an Analysis; `irqlens-cli explain` prints it and the
// GUI's Overview tab shows it.  No Qt.
//
// The numbers follow the latency groups' rules (core/stats/latency_groups.h),
// so a median here is the p50 of the group with the same key: spans cut by
// the capture's start or end are left out of durations, incomplete episodes
// out of end-to-end.  A bottom half's wait is measured from the trigger that
// this source's hard IRQ made (its raise / queue / waking).
#pragma once

#include "core/spans/span.h"
#include "core/stats/distribution.h"
#include "core/stats/mechanism.h"

#include <cstdint>
#include <string>
#include <vector>

namespace irqlens {

// Who ran a bottom half: a kworker, the irq thread, ksoftirqd/N; empty for a
// softirq or tasklet run on the way out of the hard IRQ.
struct Runner {
    std::string name;
    std::size_t count = 0;
};

// One bottom half a source's episodes used: a softirq vector, a tasklet, a
// work function or an irq thread.
struct BottomHalfUse {
    Mechanism mechanism = Mechanism::Softirq; // Softirq, Tasklet, WorkItem or IrqThread
    std::string key;                          // the latency groups' key of its spans
    std::string softirq;         // a tasklet's softirq vector ("TASKLET", "HI"), else empty
    std::vector<Runner> runners; // most often first (softirqs, tasklets: only ksoftirqd runs)
    std::size_t runs = 0;        // links to it: one per episode and span
    std::size_t episodes = 0;    // episodes of the source that used it
    Summary wait;                // this source's trigger -> start
    Summary run;                 // start -> end (each span once)
};

// One episode cut into consecutive stages that add up to its end-to-end
// time (what the overview's bars draw): the top half, then — for the bottom
// half that ended last — the wait after the top half returned, its running
// time and the time it was preempted.  An episode without a bottom half is
// all top half.
struct Stages {
    std::int64_t topHalf = 0;
    std::int64_t wait = 0;
    std::int64_t run = 0;
    std::int64_t preempted = 0;
    std::int64_t total() const { return topHalf + wait + run + preempted; }
};
Stages episodeStages(const Analysis& analysis, EpisodeId episode);

struct InterruptSource {
    std::string key;       // the latency groups' key: "26 irqlens-gpio", "local_timer"
    std::int32_t irq = -1; // -1: a CPU vector or IPI
    bool isDevice() const { return irq >= 0; }
    std::size_t count = 0;           // its episodes (hard IRQs whose entry was seen)
    std::vector<std::uint16_t> cpus; // CPUs its hard IRQ ran on, ascending
    Summary topHalf;                 // hard IRQ duration
    Summary endToEnd;                // complete episodes
    std::size_t withoutBottomHalf = 0;
    std::vector<BottomHalfUse> bottomHalves; // most used first
    Stages medianStages;                     // median of each stage over complete episodes
    EpisodeId slowest = kNone;               // complete episode with the largest end-to-end
    std::string sentence;                    // describeSource()
};

struct Overview {
    // Device IRQs first, then CPU vectors and IPIs; each part by count, most first.
    std::vector<InterruptSource> sources;
    std::size_t episodes = 0;
};

Overview buildOverview(const EventStore& store, const Analysis& analysis);

// "IRQ 26 irqlens-gpio" for a device IRQ, the vector's name otherwise.
std::string sourceTitle(const InterruptSource& source);
// The sentence of a source: "200 × IRQ 26 irqlens-gpio on CPU 1: top half
// 230 µs, then work item irqlens_wq_bottom_half queued, started by
// kworker/1:2 after 299 µs (p99 2.2 ms), ran 28.1 µs; end to end 409 µs
// (p99 2.33 ms)."
std::string describeSource(const InterruptSource& source);
// The phrase of one bottom half inside that sentence.
std::string describeBottomHalf(const BottomHalfUse& use, std::size_t sourceCount);

// Latency group ids (latency_groups.h) of the numbers above, for links to
// the latency view and for tests.
std::string topHalfGroupId(const InterruptSource& source);
std::string endToEndGroupId(const InterruptSource& source);
std::string waitGroupId(const BottomHalfUse& use);
std::string runGroupId(const BottomHalfUse& use);

} // namespace irqlens
