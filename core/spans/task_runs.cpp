#include "core/spans/task_runs.h"

#include "core/model/prefault.h"
#include "core/spans/span.h"

#include <algorithm>
#include <numeric>

namespace irqlens {

void CpuTaskRuns::reserve(std::size_t n) {
    start_.reserve(n);
    pid_.reserve(n);
    event_.reserve(n);
    lengthFlags_.reserve(n);
}

// A length that does not fit, or a run whose end was long and is set again:
// the side list is kept sorted by index.
void CpuTaskRuns::setLongEnd(std::size_t i, std::int64_t end) {
    const std::int64_t length = end - start_[i];
    const std::uint32_t flagBits = lengthFlags_[i] & ~kLongRun;
    const bool wasLong = (lengthFlags_[i] & kLongRun) == kLongRun;
    if (length >= 0 && length < kLongRun) {
        lengthFlags_[i] = flagBits | static_cast<std::uint32_t>(length);
        if (wasLong) {
            longEnds_.erase(
                std::lower_bound(longEnds_.begin(), longEnds_.end(),
                                 std::make_pair(static_cast<std::uint32_t>(i), INT64_MIN)));
        }
        return;
    }
    lengthFlags_[i] = flagBits | kLongRun;
    const auto key = static_cast<std::uint32_t>(i);
    auto it = std::lower_bound(longEnds_.begin(), longEnds_.end(), std::make_pair(key, INT64_MIN));
    if (it != longEnds_.end() && it->first == key) {
        it->second = end;
    } else {
        longEnds_.insert(it, {key, end});
    }
}

std::int64_t CpuTaskRuns::longEnd(std::size_t i) const {
    auto it = std::lower_bound(longEnds_.begin(), longEnds_.end(),
                               std::make_pair(static_cast<std::uint32_t>(i), INT64_MIN));
    return it != longEnds_.end() && it->first == i ? it->second : start_[i];
}

// Runs are appended in the order their CPU's events showed them: start
// order but where a CPU's timestamps step back (a replicated capture's copy
// boundaries; a clock that went back).  The ascending stretches between the
// steps are merged pairwise (a natural merge sort: O(n log stretches), stable,
// so equal starts keep the order they began in: that of the old (cpu, kind,
// start) span sort).  Lifting out the "late" runs instead degrades when a
// step goes far back (8 s on a CPU of the 100 M file).
void CpuTaskRuns::sortByStart() {
    std::vector<std::size_t> bounds{0};
    for (std::size_t i = 1; i < start_.size(); ++i) {
        if (start_[i] < start_[i - 1]) {
            bounds.push_back(i);
        }
    }
    if (bounds.size() == 1) {
        return;
    }
    bounds.push_back(start_.size());
    std::vector<std::uint32_t> order(start_.size());
    std::iota(order.begin(), order.end(), 0u);
    std::vector<std::uint32_t> merged(order.size());
    const auto byStart = [&](std::uint32_t a, std::uint32_t b) { return start_[a] < start_[b]; };
    while (bounds.size() > 2) {
        std::vector<std::size_t> next{0};
        for (std::size_t k = 0; k + 1 < bounds.size(); k += 2) {
            const std::size_t lo = bounds[k];
            const std::size_t mid = bounds[k + 1];
            const std::size_t hi = k + 2 < bounds.size() ? bounds[k + 2] : mid;
            std::merge(order.begin() + static_cast<std::ptrdiff_t>(lo),
                       order.begin() + static_cast<std::ptrdiff_t>(mid),
                       order.begin() + static_cast<std::ptrdiff_t>(mid),
                       order.begin() + static_cast<std::ptrdiff_t>(hi),
                       merged.begin() + static_cast<std::ptrdiff_t>(lo), byStart);
            next.push_back(hi);
        }
        order.swap(merged);
        bounds = std::move(next);
    }
    merged = {};
    applyOrder(order);
}

// Column i takes what was at order[i]; long ends follow their runs.
void CpuTaskRuns::applyOrder(const std::vector<std::uint32_t>& order) {
    auto permute = [&](auto& column) {
        auto copy = column;
        for (std::size_t i = 0; i < order.size(); ++i) {
            column[i] = copy[order[i]];
        }
    };
    permute(start_);
    permute(pid_);
    permute(event_);
    permute(lengthFlags_);
    std::vector<std::pair<std::uint32_t, std::int64_t>> ends;
    for (std::size_t i = 0; i < order.size() && !longEnds_.empty(); ++i) {
        if ((lengthFlags_[i] & kLongRun) == kLongRun) {
            const auto it = std::lower_bound(longEnds_.begin(), longEnds_.end(),
                                             std::make_pair(order[i], INT64_MIN));
            ends.emplace_back(static_cast<std::uint32_t>(i), it->second);
        }
    }
    longEnds_ = std::move(ends);
}

void CpuTaskRuns::shrinkToFit() {
    start_.shrink_to_fit();
    pid_.shrink_to_fit();
    event_.shrink_to_fit();
    lengthFlags_.shrink_to_fit();
    longEnds_.shrink_to_fit();
}

std::size_t CpuTaskRuns::bytesUsed() const {
    return start_.capacity() * sizeof(std::int64_t) + pid_.capacity() * sizeof(std::int32_t) +
           event_.capacity() * sizeof(std::uint32_t) +
           lengthFlags_.capacity() * sizeof(std::uint32_t) +
           longEnds_.capacity() * sizeof(longEnds_[0]);
}

void TaskRuns::index() {
    first_.assign(1, 0);
    for (const CpuTaskRuns& c : cpus) {
        first_.push_back(first_.back() + c.size());
    }
    count_ = first_.back();
}

void TaskRuns::indexLive() {
    const std::size_t stride = (std::size_t(1) << 31) / std::max<std::size_t>(cpus.size(), 1);
    first_.clear();
    count_ = 0;
    for (std::size_t c = 0; c <= cpus.size(); ++c) {
        first_.push_back(c * stride);
    }
    for (const CpuTaskRuns& c : cpus) {
        count_ += c.size();
    }
}

bool TaskRuns::locate(SpanId id, std::uint16_t& cpu, std::size_t& i) const {
    if (!isTaskRunId(id)) {
        return false;
    }
    const std::size_t run = id & ~kTaskRunBit;
    if (first_.empty() || run >= first_.back()) {
        return false;
    }
    const auto it = std::upper_bound(first_.begin(), first_.end(), run);
    cpu = static_cast<std::uint16_t>(it - first_.begin() - 1);
    i = run - first_[cpu];
    return cpu < cpus.size() && i < cpus[cpu].size();
}

Span TaskRuns::span(std::uint16_t cpu, std::size_t i) const {
    const CpuTaskRuns& c = cpus[cpu];
    Span s;
    s.start = c.start(i);
    s.end = c.end(i);
    s.key = static_cast<std::uint32_t>(c.pid(i));
    s.pid = c.pid(i);
    s.cpu = cpu;
    s.flags = c.flags(i);
    s.kind = SpanKind::Task;
    const EventRef event{cpu, c.switchEvent(i)};
    if (s.flags & SpanFlag::OpenStart) {
        s.finish = event;
    } else {
        s.begin = event;
    }
    return s;
}

// A run that began at a switch ends at the CPU's next switch (or was cut
// short: OpenEnd, no end event).
EventRef TaskRuns::finishOf(const EventStore& store, std::uint16_t cpu, std::size_t i) const {
    const CpuTaskRuns& c = cpus[cpu];
    const std::uint16_t flags = c.flags(i);
    if (flags & SpanFlag::OpenStart) {
        return {cpu, c.switchEvent(i)};
    }
    if ((flags & SpanFlag::OpenEnd) || cpu >= store.cpuCount()) {
        return {};
    }
    const CpuEvents& col = store.cpu(cpu);
    const auto& types = store.types();
    for (std::size_t k = std::size_t(c.switchEvent(i)) + 1; k < col.size(); ++k) {
        const TypeId type = col.type(k);
        if (type < types.size() && types[type].kind == EventKind::SchedSwitch) {
            return {cpu, static_cast<std::uint32_t>(k)};
        }
    }
    return {};
}

void CpuTaskRuns::truncate(std::size_t n) {
    if (n >= size()) {
        return;
    }
    start_.resize(n);
    pid_.resize(n);
    event_.resize(n);
    lengthFlags_.resize(n);
    const auto cut = std::lower_bound(longEnds_.begin(), longEnds_.end(),
                                      std::make_pair(static_cast<std::uint32_t>(n), INT64_MIN));
    longEnds_.erase(cut, longEnds_.end());
}

void CpuTaskRuns::append(const CpuTaskRuns& other, std::size_t first) {
    for (std::size_t i = first; i < other.size(); ++i) {
        setEnd(add(other.start(i), other.pid(i), other.switchEvent(i), other.flags(i)),
               other.end(i));
    }
}

std::size_t TaskRuns::bytesFilled() const {
    std::size_t bytes = first_.size() * sizeof(std::size_t);
    for (const CpuTaskRuns& c : cpus) {
        bytes += c.bytesFilled();
    }
    return bytes;
}

std::size_t TaskRuns::bytesUsed() const {
    std::size_t bytes = first_.capacity() * sizeof(std::size_t);
    for (const CpuTaskRuns& c : cpus) {
        bytes += c.bytesUsed();
    }
    return bytes;
}

} // namespace irqlens

namespace irqlens {

void CpuTaskRuns::prefault(PrefaultList& out, double fraction) const {
    prefaultAhead(out, start_, fraction);
    prefaultAhead(out, pid_, fraction);
    prefaultAhead(out, event_, fraction);
    prefaultAhead(out, lengthFlags_, fraction);
}

} // namespace irqlens
