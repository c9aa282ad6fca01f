#include "core/stacks/stack_index.h"

#include <algorithm>

namespace irqlens {

bool isStackKind(EventKind kind) {
    return kind == EventKind::KernelStack || kind == EventKind::UserStack;
}

namespace {

// Kinds by type id, so the scan reads one small table per event.
std::vector<EventKind> kindsByType(const EventStore& store) {
    std::vector<EventKind> kinds;
    kinds.reserve(store.types().size());
    for (const auto& t : store.types()) {
        kinds.push_back(t.kind);
    }
    return kinds;
}

// Index of the last non-stack event before `i` on this CPU; -1 when none,
// or when a drop mark lies between it and the stack (the real owner was lost).
std::int64_t ownerIndex(const CpuEvents& col, const std::vector<EventKind>& kinds, std::int64_t i) {
    for (std::int64_t j = i - 1; j >= 0; --j) {
        if (!isStackKind(kinds[col.type(static_cast<std::size_t>(j))])) {
            return j;
        }
    }
    return -1;
}

// Indices (in `cpu`) of the first event after each in-stream drop, sorted.
std::vector<std::uint32_t> dropIndices(const EventStore& store, int cpu) {
    std::vector<std::uint32_t> out;
    for (const MissedEvents& m : store.missed()) {
        if (m.cpu == cpu && m.ts >= 0) {
            out.push_back(m.eventIndex);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool dropBetween(const std::vector<std::uint32_t>& drops, std::int64_t owner, std::int64_t stack) {
    auto it = std::upper_bound(drops.begin(), drops.end(), static_cast<std::uint32_t>(owner));
    return it != drops.end() && *it <= stack;
}

} // namespace

StackIndex::StackIndex(const EventStore& store)
    : perCpu_(static_cast<std::size_t>(store.cpuCount())) {
    const auto kinds = kindsByType(store);
    for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
        const CpuEvents& col = store.cpu(cpu);
        auto& out = perCpu_[static_cast<std::size_t>(cpu)];
        const auto drops = dropIndices(store, cpu);
        for (std::size_t i = 0; i < col.size(); ++i) {
            const EventKind kind = kinds[col.type(i)];
            if (!isStackKind(kind)) {
                continue;
            }
            const auto owner = ownerIndex(col, kinds, static_cast<std::int64_t>(i));
            if (owner < 0 || dropBetween(drops, owner, static_cast<std::int64_t>(i))) {
                ++orphanCount_;
                continue;
            }
            out.push_back({static_cast<std::uint32_t>(owner), static_cast<std::uint32_t>(i),
                           col.arg(i), kind == EventKind::UserStack});
        }
        attachedCount_ += out.size();
    }
}

std::span<const AttachedStack> StackIndex::onCpu(int cpu) const {
    if (cpu < 0 || static_cast<std::size_t>(cpu) >= perCpu_.size()) {
        return {};
    }
    return perCpu_[static_cast<std::size_t>(cpu)];
}

std::span<const AttachedStack> StackIndex::ownedBetween(int cpu, std::uint32_t first,
                                                        std::uint32_t last) const {
    const auto all = onCpu(cpu);
    auto lo = std::lower_bound(all.begin(), all.end(), first,
                               [](const AttachedStack& a, std::uint32_t v) { return a.owner < v; });
    auto hi = std::upper_bound(lo, all.end(), last,
                               [](std::uint32_t v, const AttachedStack& a) { return v < a.owner; });
    return {lo, hi};
}

const AttachedStack* StackIndex::find(EventRef event, bool user) const {
    for (const AttachedStack& a : ownedBetween(event.cpu, event.index, event.index)) {
        if (a.user == user) {
            return &a;
        }
    }
    return nullptr;
}

std::optional<StackId> StackIndex::kernelStackOf(EventRef event) const {
    const AttachedStack* a = find(event, false);
    return a ? std::optional<StackId>(a->stack) : std::nullopt;
}

std::optional<StackId> StackIndex::userStackOf(EventRef event) const {
    const AttachedStack* a = find(event, true);
    return a ? std::optional<StackId>(a->stack) : std::nullopt;
}

std::optional<EventRef> StackIndex::ownerOf(EventRef stackEvent) const {
    const auto all = onCpu(stackEvent.cpu);
    auto it =
        std::lower_bound(all.begin(), all.end(), stackEvent.index,
                         [](const AttachedStack& a, std::uint32_t v) { return a.stackEvent < v; });
    if (it == all.end() || it->stackEvent != stackEvent.index) {
        return std::nullopt;
    }
    return EventRef{stackEvent.cpu, it->owner};
}

} // namespace irqlens
