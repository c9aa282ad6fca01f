// Which event each ftrace:kernel_stack / user_stack belongs to.
//
// SPEC "Spans": a stack belongs to the event just before it on the same CPU,
// not to the nearest timestamp (the stack record can come microseconds to
// milliseconds later, and not every event gets one).  A user_stack that
// follows a kernel_stack belongs to the same event, so stack events are
// skipped when looking back for the owner.
#pragma once

#include "core/model/event_store.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace irqlens {

struct AttachedStack {
    std::uint32_t owner = 0;      // index (in its CPU) of the event the stack belongs to
    std::uint32_t stackEvent = 0; // index (in its CPU) of the kernel_stack / user_stack event
    StackId stack = 0;
    bool user = false;
};

class StackIndex {
public:
    StackIndex() = default;
    explicit StackIndex(const EventStore& store);

    std::optional<StackId> kernelStackOf(EventRef event) const;
    std::optional<StackId> userStackOf(EventRef event) const;
    // The event a kernel_stack / user_stack event belongs to (nullopt for other
    // events and for stacks with no event before them on their CPU).
    std::optional<EventRef> ownerOf(EventRef stackEvent) const;

    // Stacks of one CPU, in event order (owner ascending, stack event ascending).
    std::span<const AttachedStack> onCpu(int cpu) const;
    // Attached stacks whose owner lies in [first, last] on `cpu`.
    std::span<const AttachedStack> ownedBetween(int cpu, std::uint32_t first,
                                                std::uint32_t last) const;
    std::size_t attachedCount() const { return attachedCount_; }
    // Stack events with no event before them on their CPU (start of a CPU's
    // stream, or right after a drop): counted, never attached to a guess.
    std::size_t orphanCount() const { return orphanCount_; }

private:
    const AttachedStack* find(EventRef event, bool user) const;

    std::vector<std::vector<AttachedStack>> perCpu_;
    std::size_t attachedCount_ = 0;
    std::size_t orphanCount_ = 0;
};

bool isStackKind(EventKind kind);

} // namespace irqlens
