// All events of all CPUs in one time order (ties by CPU), as the event table
// shows them, without one index entry per event: one byte per event says
// which CPU the row's event is on, and every kCheckpoint rows a checkpoint
// holds each CPU's event index.  Row -> event is a checkpoint plus a short
// scan; event -> row is a binary search per CPU.  ~1 B/event.
#pragma once

#include "core/model/event_store.h"
#include "core/model/pod_column.h"
#include "core/model/prefault.h"

#include <cstdint>
#include <vector>

namespace irqlens::gui {

class EventOrder {
public:
    static constexpr std::size_t kCheckpoint = 512;

    EventOrder() = default;
    explicit EventOrder(const EventStore& store);
    // A live recording: appends, in the same order, each CPU's events up to
    // limits[cpu] (a watermark cut: no event before it can still come).
    void extend(const EventStore& store, const std::vector<std::size_t>& limits);
    // The same in two steps, so the merge can run off the GUI thread: the
    // CPU of each row from each CPU's event `from[cpu]` up to `limits[cpu]`,
    // then those rows appended (`from` must be where this order stands).
    static std::vector<std::uint16_t> merge(const EventStore& store,
                                            const std::vector<std::size_t>& from,
                                            const std::vector<std::size_t>& limits);
    void append(const EventStore& store, const std::vector<std::uint16_t>& cpus);

    std::size_t size() const { return size_; }
    EventRef at(std::size_t row) const;
    std::size_t rowOf(EventRef ref) const;       // size() when not found
    std::size_t rowAtTime(std::int64_t t) const; // first row with ts >= t
    int cpuAt(std::size_t row) const { return wide_.empty() ? narrow_[row] : wide_[row]; }
    std::size_t bytesUsed() const;
    void prefault(PrefaultList& out, double fraction) const; // a live order: see prefault.h

    // Visits rows [first, last) in order with their EventRef, O(1) per row.
    template <typename Fn> void forRange(std::size_t first, std::size_t last, Fn&& fn) const {
        std::vector<std::uint32_t> next = indicesAt(first);
        for (std::size_t row = first; row < last; ++row) {
            const int cpu = cpuAt(row);
            fn(row, EventRef{static_cast<std::uint16_t>(cpu), next[cpu]++});
        }
    }
    // Every CPU's next event index at `row` (the events before it, per CPU).
    std::vector<std::uint32_t> indicesAt(std::size_t row) const;

private:
    const EventStore* store_ = nullptr;
    std::size_t size_ = 0;
    int cpus_ = 0;
    // Grown by realloc (mremap, no copy): a live order of 64 M rows that
    // doubled in a std::vector stalled the GUI thread 380 ms.
    PodColumn<std::uint8_t> narrow_;         // CPU of each row when cpus <= 256
    PodColumn<std::uint16_t> wide_;          // otherwise
    std::vector<std::uint32_t> checkpoints_; // cpus_ entries per checkpoint
    std::vector<std::uint32_t> next_;        // live: each CPU's next event index
    void push(int cpu);
};

} // namespace irqlens::gui
