#include "app/gui/timeline/timeline_layout.h"

#include "app/gui/mechanism_text.h"
#include "core/model/prefault.h"
#include "core/spans/live_delta.h"

#include <algorithm>
#include <limits>
#include <tuple>

namespace irqlens::gui {

Mechanism taskMechanism(std::string_view comm) {
    if (comm.starts_with("kworker")) {
        return Mechanism::Kworker;
    }
    if (comm.starts_with("irq/")) {
        return Mechanism::IrqThread;
    }
    if (comm.starts_with("ksoftirqd")) {
        return Mechanism::Ksoftirqd;
    }
    return Mechanism::OtherTask;
}

namespace {
// Row order inside a CPU group.
int rowRank(Mechanism m) {
    switch (m) {
    case Mechanism::Events:
        return 0;
    case Mechanism::Printk:
        return 1;
    case Mechanism::HardIrq:
        return 2;
    case Mechanism::Softirq:
        return 3;
    case Mechanism::Tasklet:
        return 4;
    case Mechanism::Workqueue:
        return 5;
    case Mechanism::IrqThread:
        return 6;
    case Mechanism::Kworker:
        return 7;
    case Mechanism::Ksoftirqd:
        return 8;
    case Mechanism::OtherTask:
        return 9;
    case Mechanism::Function:
        return 10;
    default:
        return 11;
    }
}

// The row mechanism of a span, or Count when the span is not drawn.
Mechanism mechanismOf(const Span& s) {
    switch (s.kind) {
    case SpanKind::HardIrq:
        return Mechanism::HardIrq;
    case SpanKind::Softirq:
        return Mechanism::Softirq;
    case SpanKind::Tasklet:
        return Mechanism::Tasklet;
    case SpanKind::Workqueue:
        return Mechanism::Workqueue;
    case SpanKind::IrqThread:
        return Mechanism::IrqThread;
    case SpanKind::Function:
        return Mechanism::Function;
    case SpanKind::Custom:
        return Mechanism::Custom;
    default: // task runs: addTaskRuns()
        return Mechanism::Count;
    }
}

QString rowLabel(Mechanism m, std::uint32_t subKey) {
    // The interrupt mechanisms in the core's words (core/stats/mechanism.h).
    switch (m) {
    case Mechanism::Softirq:
        return inText(irqlens::Mechanism::Softirq) + QLatin1Char(' ') +
               QString::fromLatin1(softirqName(subKey).data(), int(softirqName(subKey).size()));
    case Mechanism::HardIrq:
        return inText(irqlens::Mechanism::HardIrq);
    case Mechanism::Tasklet:
        return inText(irqlens::Mechanism::Tasklet);
    case Mechanism::Workqueue:
        return inText(irqlens::Mechanism::WorkItem) + QLatin1Char('s');
    case Mechanism::IrqThread:
        return inText(irqlens::Mechanism::IrqThread) + QLatin1Char('s');
    case Mechanism::Kworker:
        return QStringLiteral("kworker");
    case Mechanism::Ksoftirqd:
        return QStringLiteral("ksoftirqd");
    case Mechanism::OtherTask:
        return QStringLiteral("other tasks");
    case Mechanism::Function:
        return QStringLiteral("functions");
    case Mechanism::Events:
        return QStringLiteral("events");
    case Mechanism::Printk:
        return QStringLiteral("trace_printk");
    default:
        return QStringLiteral("custom");
    }
}
// Rewrites [from, size) of `track`: its entries not in `late` (in order)
// merged with the `late` ones (indices sorted by start), kept ones first on
// a tie.
void mergeLate(TimelineTrack& track, std::size_t from, const std::vector<std::size_t>& late) {
    std::vector<bool> isLate(track.size() - from, false);
    for (std::size_t i : late) {
        isLate[i - from] = true;
    }
    TimelineTrack merged;
    auto take = [&](std::size_t i) {
        merged.ids.push_back(track.ids[i]);
        merged.starts.push_back(track.starts[i]);
        merged.ends.push_back(track.ends[i]);
    };
    auto next = late.begin();
    for (std::size_t i = from; i < track.size(); ++i) {
        if (isLate[i - from]) {
            continue;
        }
        for (; next != late.end() && track.starts[*next] < track.starts[i]; ++next) {
            take(*next);
        }
        take(i);
    }
    for (; next != late.end(); ++next) {
        take(*next);
    }
    std::copy(merged.ids.begin(), merged.ids.end(), track.ids.begin() + std::ptrdiff_t(from));
    std::copy(merged.starts.begin(), merged.starts.end(),
              track.starts.begin() + std::ptrdiff_t(from));
    std::copy(merged.ends.begin(), merged.ends.end(), track.ends.begin() + std::ptrdiff_t(from));
}

// Puts back in start order the part of `track` from `done` on (appended, or
// rewritten) and extends the busy prefix.  Spans arrive nearly in start
// order (a row can mix kinds: kworker runs come from Task spans; spans that
// began before the capture or a drop come when they end): the few late ones
// are lifted out, sorted and merged back from where the first of them
// belongs, in O(moved + late log late), never a sort of the whole track.
// Ties keep the order spans were placed in.
void fixTrack(TimelineTrack& track, std::size_t done) {
    const std::size_t n = track.size();
    done = std::min(done, n);
    if (done == n && track.busyPrefix.size() == n + 1) {
        return;
    }
    std::vector<std::size_t> late;
    std::int64_t running =
        done > 0 ? track.starts[done - 1] : std::numeric_limits<std::int64_t>::min();
    for (std::size_t i = done; i < n; ++i) {
        if (track.starts[i] < running) {
            late.push_back(i);
        } else {
            running = track.starts[i];
        }
    }
    std::size_t from = done;
    if (!late.empty()) {
        std::stable_sort(late.begin(), late.end(), [&](std::size_t a, std::size_t b) {
            return track.starts[a] < track.starts[b];
        });
        from = static_cast<std::size_t>(
            std::upper_bound(track.starts.begin(), track.starts.begin() + std::ptrdiff_t(done),
                             track.starts[late.front()]) -
            track.starts.begin());
        mergeLate(track, from, late);
    }
    const std::size_t valid = track.busyPrefix.empty() ? 0 : track.busyPrefix.size() - 1;
    track.busyPrefix.resize(n + 1);
    track.busyPrefix[0] = 0;
    for (std::size_t i = std::min(from, valid); i < n; ++i) {
        track.busyPrefix[i + 1] = track.busyPrefix[i] + track.ends[i] - track.starts[i];
    }
}

// A live track that got long gets room for a long recording once (address
// space: see reserveLiveSpans), not a copy of all of it at every doubling:
// as many as the spans' room, since one track can hold half of all spans
// (7.9 M of 15.5 M at 45.7 M events under the bench's network load: a
// quarter of the room, 8.4 M, is outgrown near 50 M events, and the copy of
// a quarter gigabyte on the GUI thread is a picture of more than 500 ms).
void reserveTrack(TimelineTrack& track) {
    constexpr std::size_t kLong = 1 << 16;
    if (track.size() < kLong || track.ids.capacity() >= kLong * 64) {
        return;
    }
    const std::size_t room = std::max(liveRoom(), track.size() * 2);
    reserveLiveRoom(track.ids, room);
    reserveLiveRoom(track.starts, room);
    reserveLiveRoom(track.ends, room);
    reserveLiveRoom(track.busyPrefix, room + 1);
}
} // namespace

TimelineLayout::TimelineLayout(const EventStore& store, const Analysis& analysis,
                               const std::vector<int>& printCpus) {
    places_.resize(analysis.spans.size());
    for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
        rowFor(cpu, Mechanism::Events, 0);
    }
    for (int cpu : printCpus) {
        rowFor(cpu, Mechanism::Printk, 0);
    }
    for (SpanId id = 0; id < analysis.spans.size(); ++id) {
        addSpan(store, analysis, id);
    }
    addTaskRuns(store, analysis.taskRuns, {});
    finish();
}

SpanPlace TimelineLayout::placeOf(SpanId id) const {
    if (!isTaskRunId(id)) {
        return id < places_.size() ? places_[id] : SpanPlace{};
    }
    const std::size_t run = id & ~kTaskRunBit;
    const auto at = std::upper_bound(taskFirst_.begin(), taskFirst_.end(), run);
    if (at == taskFirst_.begin() || at == taskFirst_.end()) {
        return {};
    }
    const auto cpu = static_cast<std::size_t>(at - taskFirst_.begin() - 1);
    const std::size_t i = run - taskFirst_[cpu];
    if (cpu >= taskPlaces_.size() || i >= taskPlaces_[cpu].size() || taskPlaces_[cpu][i] == 0) {
        return {};
    }
    const std::uint8_t code = taskPlaces_[cpu][i];
    return {taskRows_[cpu][(code >> 3) - 1], static_cast<std::uint8_t>(code & 7)};
}

// Task runs go to the kworker, ksoftirqd or other-tasks row of their CPU by
// the task's name; irq threads have IrqThread spans of their own.  Runs of a
// CPU from `from[cpu]` on: those placed before (open then) take their new
// end, the others are placed.
void TimelineLayout::addTaskRuns(const EventStore& store, const TaskRuns& runs,
                                 std::span<const std::size_t> from) {
    taskFirst_ = runs.firstIds();
    taskPlaces_.resize(runs.cpus.size());
    for (std::size_t cpu = 0; cpu < runs.cpus.size(); ++cpu) {
        const CpuTaskRuns& c = runs.cpus[cpu];
        auto& places = taskPlaces_[cpu];
        const std::size_t placed = places.size();
        std::size_t i = cpu < from.size() ? std::min(from[cpu], placed) : placed;
        for (; i < placed && i < c.size(); ++i) {
            const SpanId id = runs.id(static_cast<std::uint16_t>(cpu), i);
            rewriteEnd(placeOf(id), id, c.start(i), c.end(i));
        }
        if (static_cast<int>(cpu) >= store.cpuCount()) {
            continue;
        }
        reserveLiveRoom(places, from.empty() ? c.size() : liveRoom() / runs.cpus.size());
        places.resize(c.size(), 0);
        for (; i < c.size(); ++i) {
            const Mechanism m = taskMechanism(store.comm(c.pid(i), c.start(i)));
            const auto k = std::find(std::begin(kTaskRows), std::end(kTaskRows), m);
            if (k == std::end(kTaskRows)) {
                continue;
            }
            const int row = rowFor(static_cast<int>(cpu), m, 0);
            const std::uint8_t track =
                place(row, 0, runs.id(static_cast<std::uint16_t>(cpu), i), c.start(i), c.end(i));
            places[i] = static_cast<std::uint8_t>((k - std::begin(kTaskRows) + 1) << 3 | track);
        }
    }
}

void TimelineLayout::extend(const EventStore& store, const Analysis& analysis,
                            std::span<const SpanId> changed, SpanId first,
                            const std::vector<int>& printCpus,
                            std::span<const std::size_t> taskFrom) {
    const std::size_t rowsBefore = rows_.size();
    if (rowsBefore == 0) {
        for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
            rowFor(cpu, Mechanism::Events, 0);
        }
    }
    for (int cpu : printCpus) {
        rowFor(cpu, Mechanism::Printk, 0);
    }
    for (SpanId id : changed) {
        const Span& s = analysis.spans[id];
        rewriteEnd(placeOf(id), id, s.start, s.end);
    }
    reserveLiveRoom(places_, liveRoom()); // a live layout never copies these on growth
    for (auto& row : rows_) {
        for (auto& track : row.tracks) {
            reserveTrack(track);
        }
    }
    places_.resize(analysis.spans.size());
    for (SpanId id = first; id < analysis.spans.size(); ++id) {
        addSpan(store, analysis, id);
    }
    addTaskRuns(store, analysis.taskRuns, taskFrom);
    if (rows_.size() != rowsBefore) {
        sortRows();
    }
    finishTracks(0);
}

// A span placed while open ends elsewhere now: its track is right up to it.
void TimelineLayout::rewriteEnd(SpanPlace place, SpanId id, std::int64_t start, std::int64_t end) {
    if (place.row == 0xffff) {
        return;
    }
    TimelineTrack& track = rows_[place.row].tracks[place.track];
    TrackState& state = trackState_[place.row][place.track];
    auto it = std::lower_bound(track.starts.begin(), track.starts.end(), start);
    for (auto i = static_cast<std::size_t>(it - track.starts.begin()); i < track.size(); ++i) {
        if (track.ids[i] == id) {
            track.ends[i] = std::max(end, start);
            if (state.last == id) {
                state.lastEnd = track.ends[i];
            }
            state.done = std::min(state.done, i);
            return;
        }
    }
}

int TimelineLayout::rowFor(int cpu, Mechanism m, std::uint32_t subKey) {
    const std::uint64_t key = (std::uint64_t(cpu) << 40) | (std::uint64_t(m) << 32) | subKey;
    if (auto it = rowIndex_.find(key); it != rowIndex_.end()) {
        return it->second;
    }
    rowIndex_.emplace(key, static_cast<int>(rows_.size()));
    TimelineRow row;
    row.cpu = cpu;
    row.mechanism = m;
    row.subKey = subKey;
    row.label = rowLabel(m, subKey);
    rows_.push_back(std::move(row));
    trackState_.emplace_back();
    return static_cast<int>(rows_.size() - 1);
}

// Start at the span's nesting depth; move down while it would overlap the
// span placed last on that track.
void TimelineLayout::addSpan(const EventStore& store, const Analysis& analysis, SpanId id) {
    const Span& s = analysis.spans[id];
    const Mechanism m = mechanismOf(s);
    if (m == Mechanism::Count || s.cpu >= store.cpuCount()) {
        return;
    }
    const int rowIndex = rowFor(s.cpu, m, m == Mechanism::Softirq ? s.key : 0);
    places_[id] = {static_cast<std::uint16_t>(rowIndex),
                   place(rowIndex, s.depth, id, s.start, s.end)};
}

std::uint8_t TimelineLayout::place(int rowIndex, std::size_t depth, SpanId id, std::int64_t start,
                                   std::int64_t end) {
    auto& tracks = rows_[rowIndex].tracks;
    // Start at the span's nesting depth; move down while it would overlap
    // the span placed last on that track.
    auto& state = trackState_[rowIndex];
    std::size_t t = std::min<std::size_t>(depth, kMaxTracks - 1);
    while (t < tracks.size() && state[t].last != kNone && state[t].lastEnd > start &&
           t + 1 < kMaxTracks) {
        ++t;
    }
    if (tracks.size() <= t) {
        tracks.resize(t + 1);
        state.resize(t + 1);
    }
    auto& track = tracks[t];
    track.ids.push_back(id);
    track.starts.push_back(start);
    track.ends.push_back(std::max(end, start));
    state[t].last = id;
    state[t].lastEnd = track.ends.back();
    return static_cast<std::uint8_t>(t);
}

void TimelineLayout::finishTracks(std::size_t fromRow) {
    for (std::size_t r = fromRow; r < rows_.size(); ++r) {
        for (std::size_t t = 0; t < rows_[r].tracks.size(); ++t) {
            fixTrack(rows_[r].tracks[t], trackState_[r][t].done);
            trackState_[r][t].done = rows_[r].tracks[t].size();
        }
    }
}

void TimelineLayout::finish() {
    finishTracks(0);
    for (auto& row : rows_) {
        for (auto& track : row.tracks) {
            track.ids.shrink_to_fit();
            track.starts.shrink_to_fit();
            track.ends.shrink_to_fit();
            track.busyPrefix.shrink_to_fit();
        }
    }
    sortRows();
}

// Order rows by CPU, then mechanism, then sub key, and fix up the places.
void TimelineLayout::sortRows() {
    std::vector<int> order(rows_.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = static_cast<int>(i);
    }
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const auto& ra = rows_[a];
        const auto& rb = rows_[b];
        return std::tuple(ra.cpu, rowRank(ra.mechanism), ra.subKey) <
               std::tuple(rb.cpu, rowRank(rb.mechanism), rb.subKey);
    });
    std::vector<int> newIndex(rows_.size());
    std::vector<TimelineRow> sortedRows;
    std::vector<std::vector<TrackState>> sortedState;
    for (std::size_t i = 0; i < order.size(); ++i) {
        newIndex[order[i]] = static_cast<int>(i);
        sortedRows.push_back(std::move(rows_[order[i]]));
        sortedState.push_back(std::move(trackState_[order[i]]));
    }
    rows_ = std::move(sortedRows);
    trackState_ = std::move(sortedState);
    for (auto& p : places_) {
        if (p.row != 0xffff) {
            p.row = static_cast<std::uint16_t>(newIndex[p.row]);
        }
    }
    for (auto& [key, index] : rowIndex_) {
        index = newIndex[index];
    }
    groups_.clear();
    taskRows_.assign(taskPlaces_.size(), {0xffff, 0xffff, 0xffff});
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const auto k = std::find(std::begin(kTaskRows), std::end(kTaskRows), rows_[i].mechanism);
        const auto cpu = static_cast<std::size_t>(rows_[i].cpu);
        if (k != std::end(kTaskRows) && cpu < taskRows_.size()) {
            taskRows_[cpu][static_cast<std::size_t>(k - std::begin(kTaskRows))] =
                static_cast<std::uint16_t>(i);
        }
    }
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        if (groups_.empty() || groups_.back().cpu != rows_[i].cpu) {
            groups_.push_back({rows_[i].cpu, static_cast<int>(i), 0});
        }
        ++groups_.back().rowCount;
    }
}

std::size_t TimelineLayout::bytesUsed() const {
    std::size_t bytes = places_.capacity() * sizeof(SpanPlace) +
                        taskFirst_.capacity() * sizeof(std::size_t) +
                        taskRows_.capacity() * sizeof(taskRows_[0]);
    for (const auto& places : taskPlaces_) {
        bytes += places.size(); // a live layout's reserved room is address space
    }
    for (const auto& r : rows_) {
        for (const auto& t : r.tracks) {
            bytes += t.ids.capacity() * sizeof(SpanId) + t.starts.capacity() * 8 +
                     t.ends.capacity() * 8 + t.busyPrefix.capacity() * 8;
        }
    }
    return bytes;
}

} // namespace irqlens::gui

namespace irqlens::gui {

void TimelineLayout::prefault(PrefaultList& out, double fraction) const {
    for (const TimelineRow& row : rows_) {
        for (const TimelineTrack& track : row.tracks) {
            prefaultAhead(out, track.ids, fraction);
            prefaultAhead(out, track.starts, fraction);
            prefaultAhead(out, track.ends, fraction);
            prefaultAhead(out, track.busyPrefix, fraction);
        }
    }
    prefaultAhead(out, places_, fraction);
    for (const auto& places : taskPlaces_) {
        prefaultAhead(out, places, fraction);
    }
}

} // namespace irqlens::gui
