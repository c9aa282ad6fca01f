// The timeline's rows, built once per capture from the Analysis: one group
// per CPU, one row per mechanism (hard IRQ, softirq by vector, tasklet, work
// items, irq threads, kworker, ksoftirqd, other tasks, functions; a
// trace_printk marks row on CPUs that printed), each row
// split into tracks of non-overlapping spans (nested hard IRQs stack by depth).
// Each track keeps its starts/ends as plain arrays so painting and hit-testing
// are binary searches, never scans.
#pragma once

#include "app/gui/mechanism_colors.h"
#include "core/model/prefault.h"
#include "core/spans/span.h"

#include <QString>
#include <array>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

namespace irqlens::gui {

struct TimelineTrack {
    std::vector<SpanId> ids;
    std::vector<std::int64_t> starts; // sorted
    std::vector<std::int64_t> ends;
    // busyPrefix[i] = total duration of spans [0, i): the busy time of any
    // index range in O(1), for the per-pixel occupancy at low zoom.
    std::vector<std::int64_t> busyPrefix;
    std::size_t size() const { return ids.size(); }
};

struct TimelineRow {
    int cpu = 0;
    Mechanism mechanism = Mechanism::Events;
    std::uint32_t subKey = 0; // softirq vector for softirq rows
    QString label;
    std::vector<TimelineTrack> tracks; // empty for the Events row
};

struct CpuGroup {
    int cpu = 0;
    int firstRow = 0;
    int rowCount = 0;
};

struct SpanPlace {
    std::uint16_t row = 0xffff; // 0xffff: not shown (idle task)
    std::uint8_t track = 0;
};

class TimelineLayout {
public:
    static constexpr int kMaxTracks = 6;

    TimelineLayout() = default;
    // `printCpus`: CPUs with trace_printk events, each gets a marks row.
    TimelineLayout(const EventStore& store, const Analysis& analysis,
                   const std::vector<int>& printCpus = {});

    // A live picture (spans in build order, core/spans/live_delta.h): the
    // spans `changed` (placed before, open then) take their new end, the
    // spans from `first` on are placed, a CPU that printed gets its marks
    // row.  Placed as the constructor places the same spans in one go.
    // Task runs of each CPU from `taskFrom[cpu]` on are new or were open.
    void extend(const EventStore& store, const Analysis& analysis, std::span<const SpanId> changed,
                SpanId first, const std::vector<int>& printCpus,
                std::span<const std::size_t> taskFrom);

    const std::vector<TimelineRow>& rows() const { return rows_; }
    const std::vector<CpuGroup>& groups() const { return groups_; }
    SpanPlace placeOf(SpanId id) const; // spans and task runs (isTaskRunId)
    std::size_t bytesUsed() const;
    // A live layout: maps in the room the next extend() writes (prefault.h).
    void prefault(PrefaultList& out, double fraction) const;

private:
    void addSpan(const EventStore& store, const Analysis& analysis, SpanId id);
    void addTaskRuns(const EventStore& store, const TaskRuns& runs,
                     std::span<const std::size_t> from);
    // Puts [start, end) on the first track from `depth` down it does not
    // overlap; returns the track.
    std::uint8_t place(int rowIndex, std::size_t depth, SpanId id, std::int64_t start,
                       std::int64_t end);
    int rowFor(int cpu, Mechanism m, std::uint32_t subKey);
    void finish();
    void sortRows();
    void rewriteEnd(SpanPlace place, SpanId id, std::int64_t start, std::int64_t end);
    void finishTracks(std::size_t fromRow);

    // Per row and track: the span placed last (its end decides whether the
    // next span fits; a live span's end moves until it closes) and the
    // track's length when its order and busy prefix were last made right.
    struct TrackState {
        SpanId last = kNone;
        std::int64_t lastEnd = 0; // of `last`, kept by rewriteEnd()
        std::size_t done = 0;
    };
    std::vector<std::vector<TrackState>> trackState_; // parallel to rows_

    std::vector<TimelineRow> rows_;
    std::vector<CpuGroup> groups_;
    std::vector<SpanPlace> places_; // by SpanId
    // Task runs (30 M on a 100 M-event capture): 1 byte each, the task row
    // (kTaskRows index + 1, 0: not shown) << 3 | track, and per CPU the
    // index of its first run and its task rows.
    static constexpr Mechanism kTaskRows[3] = {Mechanism::Kworker, Mechanism::Ksoftirqd,
                                               Mechanism::OtherTask};
    std::vector<std::vector<std::uint8_t>> taskPlaces_; // by CPU, by run
    std::vector<std::size_t> taskFirst_;                // TaskRuns::firstIds()
    std::vector<std::array<std::uint16_t, 3>> taskRows_;
    std::unordered_map<std::uint64_t, int>
        rowIndex_; // (cpu, mechanism, subKey) -> row while building
};

// Which task row a task run belongs to, from its name.
Mechanism taskMechanism(std::string_view comm);

} // namespace irqlens::gui
