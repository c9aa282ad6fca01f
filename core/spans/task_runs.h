// Task runs (any task's run on a CPU, from sched_switch): a columnar table
// instead of one 56-byte Span each.  A busy capture has about one task run
// per three events (30 M on a 100 M-event capture), more than every other
// span kind together, and they need none of a Span's other fields: their
// key is their pid, they have no trigger and no depth, and their begin and
// end events are sched_switch events of their own CPU.
//
// 20 bytes per run, per CPU in start order: start (8), pid (4), the index of
// the run's switch event on its CPU (4: the begin event, or the end event of
// an OpenStart run), and the length with the flags in its top bits (4; runs
// longer than about 0.54 s keep their end in a short side list).
//
// Ids: a task run is named by a SpanId with kTaskRunBit set (the run's
// index over all CPUs below it), so the views that select, show and hit-test
// spans take task runs too; Analysis::spanAt() gives either as a Span.
#pragma once

#include "core/model/event_store.h"
#include "core/model/prefault.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace irqlens {

struct Span;
using SpanId = std::uint32_t;

inline constexpr SpanId kTaskRunBit = 0x80000000u;
inline bool isTaskRunId(SpanId id) {
    return (id & kTaskRunBit) != 0 && id != 0xffffffffu;
}

// One CPU's task runs, sorted by start (ties in the order they began).
class CpuTaskRuns {
public:
    // Length bits of lengthFlags_; the flags (SpanFlag OpenStart, OpenEnd,
    // CrossesDrop: bits 0..2) sit above them.
    static constexpr unsigned kLengthBits = 29;
    static constexpr std::uint32_t kLongRun = (1u << kLengthBits) - 1;

    std::size_t size() const { return start_.size(); }
    bool empty() const { return start_.empty(); }
    std::int64_t start(std::size_t i) const { return start_[i]; }
    std::int64_t end(std::size_t i) const {
        const std::uint32_t length = lengthFlags_[i] & kLongRun;
        return length != kLongRun ? start_[i] + length : longEnd(i);
    }
    std::int32_t pid(std::size_t i) const { return pid_[i]; }
    std::uint16_t flags(std::size_t i) const {
        return static_cast<std::uint16_t>(lengthFlags_[i] >> kLengthBits);
    }
    // Index on this CPU of the run's switch event: its begin event, or for
    // an OpenStart run the switch that ended it.
    std::uint32_t switchEvent(std::size_t i) const { return event_[i]; }
    const std::vector<std::int64_t>& starts() const { return start_; }

    // ---- building (core/spans/task_run_scanner.cpp) ----
    void reserve(std::size_t n);
    // Appends a run of length 0; returns its index.
    std::size_t add(std::int64_t start, std::int32_t pid, std::uint32_t event,
                    std::uint16_t flags) {
        start_.push_back(start);
        pid_.push_back(pid);
        event_.push_back(event);
        lengthFlags_.push_back(static_cast<std::uint32_t>(flags) << kLengthBits);
        return start_.size() - 1;
    }
    // Inline: set for every run of a capture (30 M on 100 M events).
    void setEnd(std::size_t i, std::int64_t end) {
        const std::int64_t length = end - start_[i];
        const std::uint32_t lf = lengthFlags_[i];
        if (length >= 0 && length < kLongRun && (lf & kLongRun) != kLongRun) {
            lengthFlags_[i] = (lf & ~kLongRun) | static_cast<std::uint32_t>(length);
        } else {
            setLongEnd(i, end);
        }
    }
    void addFlags(std::size_t i, std::uint16_t flags) {
        lengthFlags_[i] |= static_cast<std::uint32_t>(flags) << kLengthBits;
    }
    void removeFlags(std::size_t i, std::uint16_t flags) {
        lengthFlags_[i] &= ~(static_cast<std::uint32_t>(flags) << kLengthBits);
    }
    // Stable sort by start (runs that began before they were seen are
    // appended late).
    void sortByStart();
    void shrinkToFit();
    std::size_t bytesUsed() const;
    void prefault(PrefaultList& out,
                  double fraction) const; // a live table: see core/model/prefault.h
    // The same by size (a live table's reserved room is address space).
    std::size_t bytesFilled() const {
        return size() * (sizeof(std::int64_t) + 3 * sizeof(std::uint32_t)) +
               longEnds_.size() * sizeof(longEnds_[0]);
    }
    // ---- a live picture (core/spans/live_delta.h) ----
    // Keeps the first `n` runs.
    void truncate(std::size_t n);
    // Appends runs [first, other.size()) of `other`.
    void append(const CpuTaskRuns& other, std::size_t first = 0);

    friend bool operator==(const CpuTaskRuns&, const CpuTaskRuns&) = default;

private:
    void setLongEnd(std::size_t i, std::int64_t end);
    void applyOrder(const std::vector<std::uint32_t>& order);
    std::int64_t longEnd(std::size_t i) const;
    std::vector<std::int64_t> start_;
    std::vector<std::int32_t> pid_;
    std::vector<std::uint32_t> event_;
    std::vector<std::uint32_t> lengthFlags_;
    // Ends of the runs whose length does not fit (or is negative), by index.
    std::vector<std::pair<std::uint32_t, std::int64_t>> longEnds_;
};

// Every CPU's task runs.
class TaskRuns {
public:
    std::vector<CpuTaskRuns> cpus; // by CPU number

    std::size_t size() const { return count_; }
    bool empty() const { return size() == 0; }
    // Call after `cpus` changed: the index of each CPU's first run.
    void index();
    // The same for a live picture, whose CPUs' tables grow at their ends:
    // each CPU owns a fixed range of ids, so a run's id never changes while
    // the recording goes on (index() would move every later CPU's ids).
    void indexLive();
    SpanId id(std::uint16_t cpu, std::size_t i) const {
        return kTaskRunBit | static_cast<SpanId>(first_[cpu] + i);
    }
    // The id of each CPU's run 0 without kTaskRunBit (size cpus + 1).
    const std::vector<std::size_t>& firstIds() const { return first_; }
    // The (cpu, index) of a task-run id; false if it names no run.
    bool locate(SpanId id, std::uint16_t& cpu, std::size_t& i) const;
    // The run as a Span (kind Task, key = pid).  Its `finish` is filled only
    // for OpenStart runs: the end event of a closed run is the next
    // sched_switch of its CPU, found by finishOf().
    Span span(std::uint16_t cpu, std::size_t i) const;
    EventRef finishOf(const EventStore& store, std::uint16_t cpu, std::size_t i) const;
    std::size_t bytesUsed() const;
    std::size_t bytesFilled() const; // by size, as CpuTaskRuns::bytesFilled()

    friend bool operator==(const TaskRuns&, const TaskRuns&) = default;

private:
    std::vector<std::size_t> first_; // size cpus + 1
    std::size_t count_ = 0;          // runs in all
};

} // namespace irqlens
