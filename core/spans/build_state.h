// Internal state of the one-pass span builder, shared by the builder's
// handlers (span_builder*.cpp) and the causality rules (causality.cpp).
// Not part of the public API.
#pragma once

#include "core/spans/span.h"

#include <array>
#include <cstdint>
#include <vector>

namespace irqlens::detail {

// One event as the builder sees it.
struct Ev {
    EventRef ref;
    EventFields f;
    EventKind kind = EventKind::Other;
};

// How a hard-IRQ exit finds its entry: irq handlers by irq number, x86
// vectors and IPIs by their interned action.
enum class HardClass : std::uint8_t { Handler, Vector, Ipi };

struct OpenHard {
    SpanId span = kNone;
    EpisodeId episode = kNone;
    HardClass cls = HardClass::Handler;
    std::int32_t match = 0; // irq number (Handler) or IrqActionId (Vector, Ipi)
    std::int32_t irq = -1;  // irq number, -1 for vectors and IPIs
};

// A softirq_raise not yet consumed by a softirq_entry of its vector.
struct PendingRaise {
    std::int64_t ts = 0;
    EpisodeId episode = kNone; // the hard IRQ it was raised in, if any
};

// What is running on one CPU right now, innermost last.
struct CpuState {
    std::vector<OpenHard> hard;
    std::vector<SpanId> softirq;
    std::vector<SpanId> tasklet;
    std::array<std::vector<PendingRaise>, 10> raises; // per softirq vector
    // The irq handler that exited last while the CPU is still in the same
    // hard-IRQ context: the kernel wakes an irq thread right after
    // irq_handler_exit (ret IRQ_WAKE_THREAD), before it leaves the interrupt.
    OpenHard justExited;
};

// An episode link before spans are sorted (span ids are build order).
struct RawLink {
    EpisodeId episode = kNone;
    EpisodeLink link;
};

// The episodes a trigger (raise / queue / waking) carries to its bottom half.
struct TriggerEpisode {
    EpisodeId episode = kNone;
    std::int64_t ts = -1;
};

} // namespace irqlens::detail
