#include "core/model/cpu_events.h"

#include <algorithm>

namespace irqlens {

void CpuEvents::reserve(std::size_t events) {
    tsLo_.reserve(events);
    pid_.reserve(events);
    type_.reserve(events);
    flags_.reserve(events);
    preempt_.reserve(events);
    arg_.reserve(events);
    anchors_.reserve(events / kAnchorStride + 1);
}

void CpuEvents::append(const EventFields& e, std::uint64_t sourceOffset) {
    const auto index = static_cast<std::uint32_t>(tsLo_.size());
    const auto ts = static_cast<std::uint64_t>(e.ts);
    const auto high = static_cast<std::uint32_t>(ts >> 32);
    if (tsHigh_.empty() || tsHigh_.back().high != high) {
        tsHigh_.push_back({index, high});
    }
    if (index > 0 && e.ts < lastTs_) {
        ++backwardSteps_;
    }
    lastTs_ = e.ts;
    if (index % kAnchorStride == 0) {
        anchors_.push_back(sourceOffset);
    }
    tsLo_.push_back(static_cast<std::uint32_t>(ts));
    pid_.push_back(e.pid);
    type_.push_back(e.type);
    flags_.push_back(e.flags);
    preempt_.push_back(e.preempt);
    arg_.push_back(e.arg);
}

void CpuEvents::appendAll(const CpuEvents& other, const std::vector<std::uint64_t>& sourceOffsets) {
    if (other.empty()) {
        return;
    }
    const auto base = static_cast<std::uint32_t>(size());
    for (const HighChange& change : other.tsHigh_) {
        if (tsHigh_.empty() || tsHigh_.back().high != change.high) {
            tsHigh_.push_back({base + change.index, change.high});
        }
    }
    backwardSteps_ += other.backwardSteps_ + (base > 0 && other.ts(0) < lastTs_ ? 1 : 0);
    lastTs_ = other.lastTs_;
    const std::size_t firstAnchor = (base + kAnchorStride - 1) / kAnchorStride * kAnchorStride;
    for (std::size_t i = firstAnchor; i < base + other.size(); i += kAnchorStride) {
        anchors_.push_back(sourceOffsets[i - base]);
    }
    tsLo_.append(other.tsLo_.begin(), other.size());
    pid_.append(other.pid_.begin(), other.size());
    type_.append(other.type_.begin(), other.size());
    flags_.append(other.flags_.begin(), other.size());
    preempt_.append(other.preempt_.begin(), other.size());
    arg_.append(other.arg_.begin(), other.size());
}

void CpuEvents::prefault(PrefaultList& out, double fraction) const {
    tsLo_.prefault(out, fraction);
    pid_.prefault(out, fraction);
    type_.prefault(out, fraction);
    flags_.prefault(out, fraction);
    preempt_.prefault(out, fraction);
    arg_.prefault(out, fraction);
}

void CpuEvents::clear() {
    tsLo_.clear();
    tsHigh_.clear();
    pid_.clear();
    type_.clear();
    flags_.clear();
    preempt_.clear();
    arg_.clear();
    anchors_.clear();
    lastTs_ = 0;
    backwardSteps_ = 0;
}

void CpuEvents::shrinkToFit() {
    tsLo_.shrink_to_fit();
    tsHigh_.shrink_to_fit();
    pid_.shrink_to_fit();
    type_.shrink_to_fit();
    flags_.shrink_to_fit();
    preempt_.shrink_to_fit();
    arg_.shrink_to_fit();
    anchors_.shrink_to_fit();
}

std::int64_t CpuEvents::ts(std::size_t i) const {
    // The high part changes once every 4.3 s of capture time at most, so this
    // list is tiny; the common case (one entry) needs no search.
    std::uint32_t high = tsHigh_.front().high;
    if (tsHigh_.size() > 1) {
        auto it =
            std::upper_bound(tsHigh_.begin(), tsHigh_.end(), i,
                             [](std::size_t idx, const HighChange& c) { return idx < c.index; });
        high = std::prev(it)->high;
    }
    return static_cast<std::int64_t>((std::uint64_t(high) << 32) | tsLo_[i]);
}

EventFields CpuEvents::at(std::size_t i) const {
    return {ts(i), pid_[i], type_[i], flags_[i], preempt_[i], arg_[i]};
}

std::size_t CpuEvents::lowerBound(std::int64_t t) const {
    std::size_t lo = 0;
    std::size_t hi = size();
    while (lo < hi) {
        std::size_t mid = lo + (hi - lo) / 2;
        if (ts(mid) < t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

std::size_t CpuEvents::bytesFilled() const {
    return size() * (4 + 4 + sizeof(TypeId) + 1 + 1 + 4) + tsHigh_.size() * sizeof(HighChange) +
           anchors_.size() * 8;
}

std::size_t CpuEvents::bytesUsed() const {
    return tsLo_.capacity() * 4 + tsHigh_.capacity() * sizeof(HighChange) + pid_.capacity() * 4 +
           type_.capacity() * sizeof(TypeId) + flags_.capacity() + preempt_.capacity() +
           arg_.capacity() * 4 + anchors_.capacity() * 8;
}

} // namespace irqlens
