#include "app/gui/timeline/event_order.h"

#include "core/model/prefault.h"
#include "core/spans/live_delta.h"

#include <algorithm>
#include <limits>
#include <new>

namespace irqlens::gui {

EventOrder::EventOrder(const EventStore& store)
    : store_(&store), size_(store.totalEvents()), cpus_(store.cpuCount()) {
    const bool wide = cpus_ > 256;
    (wide ? wide_.reserve(size_) : narrow_.reserve(size_));
    checkpoints_.reserve((size_ / kCheckpoint + 1) * static_cast<std::size_t>(cpus_));
    std::vector<std::uint32_t> counts(static_cast<std::size_t>(cpus_), 0);
    std::size_t row = 0;
    store.forEachInTimeOrder([&](EventRef ref) {
        if (row % kCheckpoint == 0) {
            checkpoints_.insert(checkpoints_.end(), counts.begin(), counts.end());
        }
        if (wide) {
            wide_.push_back(ref.cpu);
        } else {
            narrow_.push_back(static_cast<std::uint8_t>(ref.cpu));
        }
        ++counts[ref.cpu];
        ++row;
    });
    size_ = row;
}

void EventOrder::push(int cpu) {
    if (size_ % kCheckpoint == 0) {
        checkpoints_.insert(checkpoints_.end(), next_.begin(), next_.end());
    }
    if (cpus_ > 256) {
        wide_.push_back(static_cast<std::uint16_t>(cpu));
    } else {
        narrow_.push_back(static_cast<std::uint8_t>(cpu));
    }
    ++next_[static_cast<std::size_t>(cpu)];
    ++size_;
}

void EventOrder::extend(const EventStore& store, const std::vector<std::size_t>& limits) {
    std::vector<std::size_t> from(static_cast<std::size_t>(store.cpuCount()), 0);
    for (std::size_t c = 0; c < next_.size() && c < from.size(); ++c) {
        from[c] = next_[c];
    }
    append(store, merge(store, from, limits));
}

// The merge of forEachInTimeOrder (time, ties by lower CPU), resumed.
std::vector<std::uint16_t> EventOrder::merge(const EventStore& store,
                                             const std::vector<std::size_t>& from,
                                             const std::vector<std::size_t>& limits) {
    const std::size_t cpus = std::min(limits.size(), from.size());
    std::vector<std::size_t> next(from.begin(), from.begin() + static_cast<std::ptrdiff_t>(cpus));
    constexpr std::int64_t kNoEvent = std::numeric_limits<std::int64_t>::max();
    std::vector<std::int64_t> head(cpus, kNoEvent);
    auto headOf = [&](std::size_t c) {
        const CpuEvents& col = store.cpu(static_cast<int>(c));
        head[c] = next[c] < std::min(limits[c], col.size()) ? col.ts(next[c]) : kNoEvent;
    };
    for (std::size_t c = 0; c < cpus; ++c) {
        headOf(c);
    }
    std::vector<std::uint16_t> rows;
    for (;;) {
        const auto best =
            static_cast<std::size_t>(std::min_element(head.begin(), head.end()) - head.begin());
        if (best >= cpus || head[best] == kNoEvent) {
            return rows;
        }
        rows.push_back(static_cast<std::uint16_t>(best));
        ++next[best];
        headOf(best);
    }
}

void EventOrder::append(const EventStore& store, const std::vector<std::uint16_t>& cpus) {
    if (!store_) {
        store_ = &store;
        cpus_ = store.cpuCount();
        next_.assign(static_cast<std::size_t>(cpus_), 0);
        // Room for a long recording (address space until written): the
        // GUI thread never copies the whole order when it grows.
        try {
            (cpus_ > 256 ? wide_.reserve(liveRoom() * 2) : narrow_.reserve(liveRoom() * 2));
        } catch (const std::bad_alloc&) {
            // grows as it goes
        }
    }
    for (std::uint16_t cpu : cpus) {
        push(cpu);
    }
}

std::vector<std::uint32_t> EventOrder::indicesAt(std::size_t row) const {
    const std::size_t cp = row / kCheckpoint;
    std::vector<std::uint32_t> idx(checkpoints_.begin() + static_cast<std::ptrdiff_t>(cp * cpus_),
                                   checkpoints_.begin() +
                                       static_cast<std::ptrdiff_t>((cp + 1) * cpus_));
    for (std::size_t r = cp * kCheckpoint; r < row; ++r) {
        ++idx[static_cast<std::size_t>(cpuAt(r))];
    }
    return idx;
}

EventRef EventOrder::at(std::size_t row) const {
    const std::size_t cp = row / kCheckpoint;
    const int cpu = cpuAt(row);
    std::uint32_t index =
        checkpoints_[cp * static_cast<std::size_t>(cpus_) + static_cast<std::size_t>(cpu)];
    for (std::size_t r = cp * kCheckpoint; r < row; ++r) {
        index += cpuAt(r) == cpu ? 1u : 0u;
    }
    return {static_cast<std::uint16_t>(cpu), index};
}

std::size_t EventOrder::rowOf(EventRef ref) const {
    if (!store_ || ref.cpu >= cpus_ || ref.index >= store_->cpu(ref.cpu).size()) {
        return size_;
    }
    // Rows before it: on lower CPUs every event with ts <= t, on higher CPUs
    // every event with ts < t, plus its own index (the merge's tie order).
    const std::int64_t t = store_->ts(ref);
    std::size_t row = ref.index;
    for (int c = 0; c < cpus_; ++c) {
        if (c == ref.cpu) {
            continue;
        }
        const CpuEvents& col = store_->cpu(c);
        row += c < ref.cpu ? col.lowerBound(t + 1) : col.lowerBound(t);
    }
    if (row < size_ && at(row) == ref) {
        return row;
    }
    // Timestamps that went backwards on a CPU break the formula: look nearby.
    for (std::size_t d = 1; d < 4 * kCheckpoint; ++d) {
        if (row + d < size_ && at(row + d) == ref) {
            return row + d;
        }
        if (row >= d && row - d < size_ && at(row - d) == ref) {
            return row - d;
        }
    }
    return size_;
}

std::size_t EventOrder::rowAtTime(std::int64_t t) const {
    std::size_t row = 0;
    for (int c = 0; store_ && c < cpus_; ++c) {
        row += store_->cpu(c).lowerBound(t);
    }
    return std::min(row, size_); // a live order ends before the store does
}

std::size_t EventOrder::bytesUsed() const {
    return narrow_.capacity() + wide_.capacity() * 2 + checkpoints_.capacity() * 4;
}

} // namespace irqlens::gui

namespace irqlens::gui {

void EventOrder::prefault(PrefaultList& out, double fraction) const {
    narrow_.prefault(out, fraction);
    wide_.prefault(out, fraction);
    prefaultAhead(out, checkpoints_, fraction);
}

} // namespace irqlens::gui
