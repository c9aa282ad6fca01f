#include "core/overview/wait_breakdown.h"

#include "core/stats/duration_format.h"
#include "core/stats/mechanism.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

namespace irqlens {

namespace {

// One span clipped to the waiting stretch.  Hard IRQs interrupt softirqs
// and tasklets, which interrupt tasks: the innermost of them owns the CPU
// (rank).  A work item or an irq-thread run names the task running it, but
// only while that task is on the CPU: a work item that sleeps or is
// preempted goes on as a span while other tasks run.
enum class Layer : std::uint8_t { Interrupt, BottomHalfTask, Task };

struct Interval {
    std::int64_t start = 0;
    std::int64_t end = 0;
    Layer layer = Layer::Task;
    int rank = 0;
    SpanId span = kNone;
};

Layer layerOf(SpanKind kind) {
    switch (kind) {
    case SpanKind::HardIrq:
    case SpanKind::Softirq:
    case SpanKind::Tasklet:
        return Layer::Interrupt;
    case SpanKind::Workqueue:
    case SpanKind::IrqThread:
        return Layer::BottomHalfTask;
    default:
        return Layer::Task;
    }
}

int rankOf(const Span& span) {
    switch (span.kind) {
    case SpanKind::HardIrq:
        return 300 + span.depth;
    case SpanKind::Tasklet:
        return 200 + span.depth;
    default:
        return 100 + span.depth;
    }
}

constexpr SpanKind kOccupying[] = {SpanKind::HardIrq, SpanKind::Softirq, SpanKind::Tasklet,
                                   SpanKind::Workqueue, SpanKind::IrqThread}; // + task runs

// Spans of one kind on one CPU overlapping [from, to).  Spans are sorted by
// (cpu, kind, start); walking back from the first one starting at `to`
// can stop at an outermost span that ended before `from`: in a row of
// properly nested spans every earlier one ended before it began.
void collect(const Analysis& a, std::uint16_t cpu, SpanKind kind, std::int64_t from,
             std::int64_t to, std::vector<Interval>& out) {
    const auto byRow = [](const Span& s, std::tuple<std::uint16_t, SpanKind, std::int64_t> k) {
        return std::tie(s.cpu, s.kind, s.start) < k;
    };
    const auto rowBegin = std::lower_bound(a.spans.begin(), a.spans.end(),
                                           std::make_tuple(cpu, kind, INT64_MIN), byRow);
    auto it = std::lower_bound(rowBegin, a.spans.end(), std::make_tuple(cpu, kind, to), byRow);
    while (it != rowBegin) {
        --it;
        if (it->end > from) {
            out.push_back({std::max(it->start, from), std::min(it->end, to), layerOf(kind),
                           rankOf(*it), static_cast<SpanId>(it - a.spans.begin())});
        } else if (it->depth == 0 && layerOf(kind) != Layer::BottomHalfTask) {
            break; // work items of different kworkers may overlap: no early stop
        }
    }
}

// The task runs of `cpu` overlapping [from, to), in the order collect()
// gives spans (latest start first).  Runs of one CPU follow each other, so
// the walk back stops at the first one that ended before `from`.
void collectTaskRuns(const Analysis& a, std::uint16_t cpu, std::int64_t from, std::int64_t to,
                     std::vector<Interval>& out) {
    if (cpu >= a.taskRuns.cpus.size()) {
        return;
    }
    const CpuTaskRuns& runs = a.taskRuns.cpus[cpu];
    auto i = static_cast<std::size_t>(
        std::lower_bound(runs.starts().begin(), runs.starts().end(), to) - runs.starts().begin());
    while (i-- > 0) {
        const std::int64_t end = runs.end(i);
        if (end <= from) {
            break;
        }
        const std::int64_t start = runs.start(i);
        out.push_back(
            {std::max(start, from), std::min(end, to), Layer::Task, 100, a.taskRuns.id(cpu, i)});
    }
}

bool hasTaskSpans(const Analysis& a, std::uint16_t cpu) {
    return cpu < a.taskRuns.cpus.size() && !a.taskRuns.cpus[cpu].empty();
}

// Who a span is, as a share's identity.
WaitShare identify(const EventStore& store, const Analysis& a, SpanId id, SpanId self) {
    const Span s = a.spanAt(id);
    WaitShare w;
    w.name = spanKeyName(store, s);
    switch (s.kind) {
    case SpanKind::HardIrq:
        w.occupant = Occupant::HardIrq;
        w.self = id == self;
        break;
    case SpanKind::Softirq:
        w.occupant = Occupant::Softirq;
        break;
    case SpanKind::Tasklet:
        w.occupant = Occupant::Tasklet;
        break;
    case SpanKind::Workqueue:
        w.occupant = Occupant::WorkItem;
        w.pid = s.pid;
        w.task = std::string(store.comm(s.pid, s.start));
        break;
    case SpanKind::IrqThread:
        w.occupant = Occupant::IrqThread;
        w.pid = s.pid;
        break;
    default:
        w.occupant = Occupant::Task;
        w.pid = s.pid;
        break;
    }
    return w;
}

using ShareKey = std::tuple<Occupant, std::string, std::int32_t, bool>;

class ShareTable {
public:
    void add(WaitShare who, std::int64_t start, std::int64_t end, bool continues) {
        auto [it, inserted] =
            index_.try_emplace(ShareKey{who.occupant, who.name, who.pid, who.self}, shares_.size());
        if (inserted) {
            who.first = start;
            shares_.push_back(std::move(who));
        }
        WaitShare& share = shares_[it->second];
        share.ns += end - start;
        if (!continues) {
            ++share.pieces;
        }
    }
    std::vector<WaitShare> take() {
        std::stable_sort(shares_.begin(), shares_.end(),
                         [](const WaitShare& x, const WaitShare& y) { return x.ns > y.ns; });
        return std::move(shares_);
    }

private:
    std::map<ShareKey, std::size_t> index_;
    std::vector<WaitShare> shares_;
};

// What is running while the intervals in `active` are: the innermost
// interrupt, else the task (named by its work item / irq-thread run when
// one of its is under way), else nothing.
class ActiveSet {
public:
    explicit ActiveSet(const std::vector<Interval>& intervals, const Analysis& a)
        : intervals_(intervals), a_(a) {}
    void open(std::size_t i) { setOf(i).insert({intervals_[i].rank, i}); }
    void close(std::size_t i) { setOf(i).erase({intervals_[i].rank, i}); }

    SpanId owner(bool knowTasks) const {
        if (!interrupts_.empty()) {
            return intervals_[interrupts_.rbegin()->second].span;
        }
        if (tasks_.empty()) {
            // Without task runs a work item or irq thread is the best guess.
            return !knowTasks && !bottomHalves_.empty()
                       ? intervals_[bottomHalves_.rbegin()->second].span
                       : kNone;
        }
        const SpanId task = intervals_[tasks_.rbegin()->second].span;
        for (const auto& [rank, i] : bottomHalves_) {
            if (a_.spans[intervals_[i].span].pid == a_.spanAt(task).pid) {
                return intervals_[i].span;
            }
        }
        return task;
    }

private:
    using Set = std::set<std::pair<int, std::size_t>>;
    Set& setOf(std::size_t i) {
        switch (intervals_[i].layer) {
        case Layer::Interrupt:
            return interrupts_;
        case Layer::BottomHalfTask:
            return bottomHalves_;
        default:
            return tasks_;
        }
    }
    const std::vector<Interval>& intervals_;
    const Analysis& a_;
    Set interrupts_, bottomHalves_, tasks_;
};

// Sweeps the intervals: between two consecutive boundaries the owner of the
// CPU gets the time (none: idle, or unknown without task runs).
std::vector<WaitShare> sweep(const EventStore& store, const Analysis& a,
                             const std::vector<Interval>& intervals, std::int64_t from,
                             std::int64_t to, SpanId self, bool knowTasks) {
    std::vector<std::tuple<std::int64_t, bool, std::size_t>> edges; // ts, opens, interval
    for (std::size_t i = 0; i < intervals.size(); ++i) {
        if (intervals[i].end > intervals[i].start) {
            edges.emplace_back(intervals[i].start, true, i);
            edges.emplace_back(intervals[i].end, false, i);
        }
    }
    std::sort(edges.begin(), edges.end()); // at one ts: closes (false) before opens
    ActiveSet active(intervals, a);
    ShareTable table;
    std::int64_t at = from;
    SpanId previous = kNone - 1; // no owner yet
    std::size_t e = 0;
    while (at < to) {
        for (; e < edges.size() && std::get<0>(edges[e]) <= at; ++e) {
            const auto& [ts, opens, i] = edges[e];
            opens ? active.open(i) : active.close(i);
        }
        const std::int64_t next = e < edges.size() ? std::min(std::get<0>(edges[e]), to) : to;
        const SpanId owner = active.owner(knowTasks);
        WaitShare who;
        if (owner != kNone) {
            who = identify(store, a, owner, self);
        } else {
            who.occupant = knowTasks ? Occupant::Idle : Occupant::Unknown;
        }
        table.add(std::move(who), at, next, owner == previous);
        previous = owner;
        at = next;
    }
    return table.take();
}

} // namespace

std::optional<WaitBreakdown> explainWait(const EventStore& store, const Analysis& a,
                                         EpisodeId episode) {
    if (episode >= a.episodes.size()) {
        return std::nullopt;
    }
    const EpisodeLink* link = stageLink(a, episode);
    if (!link || link->triggerTs < 0) {
        return std::nullopt;
    }
    const Span& bottom = a.spans[link->span];
    WaitBreakdown b;
    b.episode = episode;
    b.bottomHalf = link->span;
    b.cpu = bottom.cpu;
    b.from = link->triggerTs;
    b.to = std::max(bottom.start, link->triggerTs);
    std::vector<Interval> intervals;
    for (SpanKind kind : kOccupying) {
        collect(a, b.cpu, kind, b.from, b.to, intervals);
    }
    collectTaskRuns(a, b.cpu, b.from, b.to, intervals);
    b.shares = sweep(store, a, intervals, b.from, b.to, a.episodes[episode].hardIrq,
                     hasTaskSpans(a, b.cpu));
    return b;
}

std::optional<Mechanism> occupantMechanism(Occupant occupant) {
    switch (occupant) {
    case Occupant::HardIrq:
        return Mechanism::HardIrq;
    case Occupant::Softirq:
        return Mechanism::Softirq;
    case Occupant::Tasklet:
        return Mechanism::Tasklet;
    case Occupant::WorkItem:
        return Mechanism::WorkItem;
    case Occupant::IrqThread:
        return Mechanism::IrqThread;
    default:
        return std::nullopt;
    }
}

std::string occupantLabel(const WaitShare& w) {
    const std::string pid = w.pid >= 0 ? " (pid " + std::to_string(w.pid) + ")" : "";
    const auto mechanism = occupantMechanism(w.occupant);
    const std::string word = mechanism ? std::string(mechanismInText(*mechanism)) + " " : "";
    switch (w.occupant) {
    case Occupant::HardIrq: {
        const bool device = !w.name.empty() && std::isdigit(static_cast<unsigned char>(w.name[0]));
        return (device ? "IRQ " : "") + w.name + (w.self ? " (its own top half)" : "");
    }
    case Occupant::Softirq:
    case Occupant::Tasklet:
        return word + w.name;
    case Occupant::WorkItem:
        return word + w.name + " in " + w.task + pid;
    case Occupant::IrqThread:
        return word + w.name + pid;
    case Occupant::Task:
        return w.name + pid;
    case Occupant::Idle:
        return "idle (nothing ran)";
    default:
        return "task context (task runs not analysed)";
    }
}

std::string describeWait(const EventStore& store, const Analysis& a, const WaitBreakdown& b,
                         std::size_t maxShares) {
    const auto mechanism = mechanismOf(a.spans[b.bottomHalf].kind);
    const std::string label = mechanism ? std::string(mechanismInText(*mechanism)) : "bottom half";
    std::string text = "its " + label + " " + spanKeyName(store, a.spans[b.bottomHalf]) +
                       " waited " + formatDuration(static_cast<double>(b.waitNs())) + " on CPU " +
                       std::to_string(b.cpu);
    const Span& hard = a.spans[a.episodes[b.episode].hardIrq];
    if (hard.cpu != b.cpu) {
        text += " (its hard IRQ ran on CPU " + std::to_string(hard.cpu) + ")";
    }
    for (std::size_t i = 0; i < b.shares.size() && i < maxShares; ++i) {
        const WaitShare& w = b.shares[i];
        const double share =
            b.waitNs() > 0 ? 100.0 * static_cast<double>(w.ns) / static_cast<double>(b.waitNs())
                           : 0;
        text += (i ? ", " : ": ") + occupantLabel(w) + " " +
                formatDuration(static_cast<double>(w.ns)) + " (" +
                std::to_string(std::lround(share)) + " %)";
    }
    if (maxShares > 0 && b.shares.size() > maxShares) {
        text += ", " + std::to_string(b.shares.size() - maxShares) + " more";
    }
    return text;
}

} // namespace irqlens
