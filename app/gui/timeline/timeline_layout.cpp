#include "app/gui/timeline/timeline_layout.h"

#include "app/gui/mechanism_text.h"

#include <algorithm>
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
// Spans arrive sorted by (cpu, kind, start), but a row can mix kinds
// (kworker runs come from Task spans); keep every track sorted by start.
void sortTrack(TimelineTrack& track) {
    if (std::is_sorted(track.starts.begin(), track.starts.end())) {
        return;
    }
    std::vector<std::size_t> order(track.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return track.starts[a] < track.starts[b]; });
    TimelineTrack sorted;
    for (std::size_t i : order) {
        sorted.ids.push_back(track.ids[i]);
        sorted.starts.push_back(track.starts[i]);
        sorted.ends.push_back(track.ends[i]);
    }
    track = std::move(sorted);
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
    addTaskRuns(store, analysis.taskRuns);
    finish();
}

SpanPlace TimelineLayout::placeOf(SpanId id) const {
    if (!isTaskRunId(id)) {
        return id < places_.size() ? places_[id] : SpanPlace{};
    }
    const std::size_t run = id & ~kTaskRunBit;
    if (run >= taskPlaces_.size() || taskPlaces_[run] == 0) {
        return {};
    }
    const auto cpu = static_cast<std::size_t>(
        std::upper_bound(taskFirst_.begin(), taskFirst_.end(), run) - taskFirst_.begin() - 1);
    const std::uint8_t code = taskPlaces_[run];
    return {taskRows_[cpu][(code >> 3) - 1], static_cast<std::uint8_t>(code & 7)};
}

// Task runs go to the kworker, ksoftirqd or other-tasks row of their CPU by
// the task's name; irq threads have IrqThread spans of their own.
void TimelineLayout::addTaskRuns(const EventStore& store, const TaskRuns& runs) {
    taskPlaces_.assign(runs.size(), 0);
    taskFirst_.clear();
    std::size_t first = 0;
    for (std::size_t cpu = 0; cpu < runs.cpus.size(); ++cpu) {
        taskFirst_.push_back(first);
        const CpuTaskRuns& c = runs.cpus[cpu];
        for (std::size_t i = 0; i < c.size() && static_cast<int>(cpu) < store.cpuCount(); ++i) {
            const Mechanism m = taskMechanism(store.comm(c.pid(i), c.start(i)));
            const auto k = std::find(std::begin(kTaskRows), std::end(kTaskRows), m);
            if (k == std::end(kTaskRows)) {
                continue;
            }
            const int row = rowFor(static_cast<int>(cpu), m, 0);
            const std::uint8_t track =
                place(row, 0, runs.id(static_cast<std::uint16_t>(cpu), i), c.start(i), c.end(i));
            taskPlaces_[first + i] =
                static_cast<std::uint8_t>((k - std::begin(kTaskRows) + 1) << 3 | track);
        }
        first += c.size();
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
    return static_cast<int>(rows_.size() - 1);
}

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
    // Start at the span's nesting depth; move down while it would overlap.
    std::size_t t = std::min<std::size_t>(depth, kMaxTracks - 1);
    while (t < tracks.size() && !tracks[t].ends.empty() && tracks[t].ends.back() > start &&
           t + 1 < kMaxTracks) {
        ++t;
    }
    if (tracks.size() <= t) {
        tracks.resize(t + 1);
    }
    auto& track = tracks[t];
    track.ids.push_back(id);
    track.starts.push_back(start);
    track.ends.push_back(std::max(end, start));
    return static_cast<std::uint8_t>(t);
}

void TimelineLayout::finish() {
    for (auto& row : rows_) {
        for (auto& track : row.tracks) {
            sortTrack(track);
            track.ids.shrink_to_fit();
            track.starts.shrink_to_fit();
            track.ends.shrink_to_fit();
            track.busyPrefix.assign(1, 0);
            track.busyPrefix.reserve(track.size() + 1);
            for (std::size_t i = 0; i < track.size(); ++i) {
                track.busyPrefix.push_back(track.busyPrefix.back() + track.ends[i] -
                                           track.starts[i]);
            }
        }
    }

    rowIndex_.clear();
    // Order rows by CPU, then mechanism, then sub key, and fix up the places.
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
    for (std::size_t i = 0; i < order.size(); ++i) {
        newIndex[order[i]] = static_cast<int>(i);
        sortedRows.push_back(std::move(rows_[order[i]]));
    }
    rows_ = std::move(sortedRows);
    for (auto& p : places_) {
        if (p.row != 0xffff) {
            p.row = static_cast<std::uint16_t>(newIndex[p.row]);
        }
    }
    taskRows_.assign(taskFirst_.size(), {0xffff, 0xffff, 0xffff});
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
    std::size_t bytes = places_.capacity() * sizeof(SpanPlace) + taskPlaces_.capacity() +
                        taskFirst_.capacity() * sizeof(std::size_t) +
                        taskRows_.capacity() * sizeof(taskRows_[0]);
    for (const auto& r : rows_) {
        for (const auto& t : r.tracks) {
            bytes += t.ids.capacity() * sizeof(SpanId) + t.starts.capacity() * 8 +
                     t.ends.capacity() * 8 + t.busyPrefix.capacity() * 8;
        }
    }
    return bytes;
}

} // namespace irqlens::gui
