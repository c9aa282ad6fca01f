// Span builder: bookkeeping plus the hard IRQ, softirq, tasklet and function
// pairings.  Pairing rules: an end event closes the innermost open span of
// the same key on its CPU; open spans above it (their end was lost) end there
// flagged OpenEnd; an end with no open span is an OpenStart span.  Nothing is
// dropped and nothing is paired across keys.
#include "core/spans/span_builder.h"

#include <algorithm>
#include <exception>
#include <thread>

namespace irqlens::detail {

SpanBuilder::SpanBuilder(const EventStore& store, const AnalysisOptions& options,
                         std::span<const LatencyRule> rules)
    : store_(store), options_(options), rules_(rules) {}

// Task runs need no other CPU's events: they are scanned, ordered and
// finished on a second thread while the walk runs (it touches only
// out_.taskRuns and its scanners; the walk never does).
Analysis SpanBuilder::build() {
    prepare();
    std::exception_ptr scanFailed;
    std::thread tasks;
    if (!taskScanners_.empty()) {
        tasks = std::thread([this, &scanFailed] {
            try {
                scanTaskRuns({});
                finishTaskRuns();
                taskRunsDone_ = true;
            } catch (...) {
                scanFailed = std::current_exception();
            }
        });
    }
    try {
        walk();
    } catch (...) {
        if (tasks.joinable()) {
            tasks.join();
        }
        throw;
    }
    if (tasks.joinable()) {
        tasks.join();
    }
    if (scanFailed) {
        std::rethrow_exception(scanFailed);
    }
    return finishBuild();
}

Analysis SpanBuilder::finishBuild() {
    closeOpenSpans();
    markDrops();
    const std::vector<SpanId> finalId = sortSpans();
    fillSideTables(finalId);
    if (!taskRunsDone_) {
        finishTaskRuns(); // live: the snapshot's copy
    }
    std::vector<std::int64_t> missedTs;
    for (const MissedEvents& m : store_.missed()) {
        if (m.ts >= 0) {
            missedTs.push_back(m.ts);
        }
    }
    std::sort(missedTs.begin(), missedTs.end());
    causality_.finish(out_, finalId, missedTs);
    return std::move(out_);
}

void SpanBuilder::prepare() {
    prepareTypes();
    refreshKeys();
    firstTs_ = std::max<std::int64_t>(store_.firstTs(), 0);
    lastTs_ = std::max<std::int64_t>(store_.lastTs(), 0);
    findSpecialTasks();
    custom_.prepare(store_, rules_);
    reserveSpans();
    prepareTaskRuns();
}

void SpanBuilder::prepareTaskRuns() {
    isSwitch_.clear();
    for (EventKind kind : kindOf_) {
        isSwitch_.push_back(kind == EventKind::SchedSwitch ? 1 : 0);
    }
    if (options_.taskSpans) {
        taskScanners_.resize(cpus_.size());
        for (std::size_t c = 0; c < taskRunsPerCpu_.size() && c < cpus_.size(); ++c) {
            // Runs seen only at their end come on top (2.4 % of CPU 1's runs on
            // big.dat); room left unused is never touched, so never resident.
            taskScanners_[c].reserve(taskRunsPerCpu_[c] + taskRunsPerCpu_[c] / 8 + 64);
        }
    }
}

// Scans each CPU up to limits[cpu] (all of it when `limits` is empty).
void SpanBuilder::scanTaskRuns(const std::vector<std::size_t>& limits) {
    for (std::size_t c = 0; c < taskScanners_.size(); ++c) {
        const CpuEvents& col = store_.cpu(static_cast<int>(c));
        const std::size_t to = c < limits.size() ? limits[c] : limits.empty() ? col.size() : 0;
        taskScanners_[c].scan(col, to, isSwitch_, firstTs_, cpuMissedTs_[c]);
    }
}

void SpanBuilder::finishTaskRuns() {
    out_.taskRuns.cpus.clear();
    for (std::size_t c = 0; c < taskScanners_.size(); ++c) {
        out_.taskRuns.cpus.push_back(taskScanners_[c].take(lastTs_, cpuMissedTs_[c]));
    }
    out_.taskRuns.index();
}

// What the event types decide (fixed once the types are registered).
void SpanBuilder::prepareTypes() {
    for (const EventTypeInfo& type : store_.types()) {
        kindOf_.push_back(type.kind);
        std::uint32_t key = kNone;
        if (type.kind == EventKind::VectorEntry || type.kind == EventKind::VectorExit) {
            if (auto name = store_.strings.find(vectorKeyName(type.name))) {
                key = store_.irqActions.find({-1, *name}).value_or(kNone);
            }
            if (key == kNone) {
                out_.warnings.push_back("no hard-IRQ key interned for " + type.fullName() +
                                        " (EventStore::finish() not called?)");
            }
        }
        vectorKey_.push_back(key);
    }
    const bool hasWaking =
        std::find(kindOf_.begin(), kindOf_.end(), EventKind::SchedWaking) != kindOf_.end();
    wakeKind_ = hasWaking ? EventKind::SchedWaking : EventKind::SchedWakeup;
}

// What grows with the store (a live recording calls it again for new
// events): first action per irq, work function keys, per-CPU drop marks.
void SpanBuilder::refreshKeys() {
    const auto& actions = store_.irqActions.all();
    for (std::size_t id = irqActionsSeen_; id < actions.size(); ++id) {
        irqFirstAction_.try_emplace(actions[id].irq, static_cast<std::uint32_t>(id));
    }
    irqActionsSeen_ = actions.size();
    const auto& works = store_.works.all();
    for (std::size_t w = workKey_.size(); w < works.size(); ++w) {
        workKey_.push_back(store_.addresses.find(works[w].function).value_or(0));
    }
    cpus_.resize(static_cast<std::size_t>(std::max(store_.cpuCount(), 0)));
    cpuMissedTs_.assign(cpus_.size(), {});
    for (const MissedEvents& m : store_.missed()) {
        if (m.ts >= 0 && m.cpu < cpuMissedTs_.size()) {
            cpuMissedTs_[m.cpu].push_back(m.ts);
        }
    }
    for (auto& marks : cpuMissedTs_) {
        std::sort(marks.begin(), marks.end());
    }
}

// One cheap pass over the type column: how many spans will begin, so the
// span vector is allocated once, nearly to size (growing it would double it
// at the peak).  A switch to an irq thread opens a thread run.  The small
// slack is for OpenStart spans (ends whose begin was lost); more of them only
// makes the vector grow, never a wrong result.  Each switch into a task (next
// pid != 0) begins a task run: the task-run tables are reserved the same way.
void SpanBuilder::reserveSpans() {
    std::vector<std::uint8_t> begins(kindOf_.size(), 0);
    std::vector<std::uint8_t> isSwitch(kindOf_.size(), 0);
    for (std::size_t t = 0; t < kindOf_.size(); ++t) {
        switch (kindOf_[t]) {
        case EventKind::IrqHandlerEntry:
        case EventKind::VectorEntry:
        case EventKind::IpiEntry:
        case EventKind::SoftirqEntry:
        case EventKind::TaskletEntry:
        case EventKind::WorkStart:
        case EventKind::FuncgraphEntry:
            begins[t] = 1;
            break;
        case EventKind::SchedSwitch:
            isSwitch[t] = 1;
            break;
        default:
            break;
        }
    }
    std::size_t count = 0;
    taskRunsPerCpu_.assign(static_cast<std::size_t>(std::max(store_.cpuCount(), 0)), 0);
    for (int c = 0; c < store_.cpuCount(); ++c) {
        const CpuEvents& col = store_.cpu(c);
        std::size_t runs = 0;
        for (std::size_t i = 0; i < col.size(); ++i) {
            const TypeId type = col.type(i);
            count += begins[type];
            if (isSwitch[type]) {
                const auto next = static_cast<std::int32_t>(switchNextPid(col.arg(i)));
                count += pidClass(next) == kIrqThread ? 1 : 0;
                runs += next != 0 ? 1 : 0;
            }
        }
        taskRunsPerCpu_[static_cast<std::size_t>(c)] = runs;
    }
    spans_.reserve(count + count / 64 + 256);
}

// Events of all CPUs in time order (ties by CPU, as forEachInTimeOrder).  A
// linear scan over the CPUs' next timestamps beats a heap for the usual few
// CPUs and computes each timestamp once.
void SpanBuilder::walk() {
    const int cpus = store_.cpuCount();
    if (cpus > 16) {
        store_.forEachInTimeOrder([this](EventRef ref) { onEvent(ref, store_.ts(ref)); });
        return;
    }
    constexpr std::int64_t kDone = INT64_MAX;
    std::vector<std::uint32_t> pos(static_cast<std::size_t>(cpus), 0);
    std::vector<std::int64_t> next(static_cast<std::size_t>(cpus), kDone);
    std::vector<std::size_t> segment(static_cast<std::size_t>(cpus), 0);
    for (int c = 0; c < cpus; ++c) {
        if (!store_.cpu(c).empty()) {
            next[c] = store_.cpu(c).tsForward(0, segment[c]);
        }
    }
    for (;;) {
        int best = -1;
        int second = -1;
        std::int64_t bestTs = kDone;
        std::int64_t secondTs = kDone;
        for (int c = 0; c < cpus; ++c) {
            if (next[c] < bestTs) {
                second = best;
                secondTs = bestTs;
                best = c;
                bestTs = next[c];
            } else if (next[c] < secondTs) {
                second = c;
                secondTs = next[c];
            }
        }
        if (best < 0) {
            return;
        }
        // Events mostly come in runs per CPU: take `best`'s events while they
        // precede every other CPU's next one (a tie goes to the lower CPU)
        // instead of scanning all CPUs again for each event.
        const CpuEvents& col = store_.cpu(best);
        std::uint32_t i = pos[best];
        std::int64_t ts = bestTs;
        for (;;) {
            onEvent({static_cast<std::uint16_t>(best), i}, ts);
            if (++i >= col.size()) {
                ts = kDone;
                break;
            }
            ts = col.tsForward(i, segment[best]);
            if (ts > secondTs || (ts == secondTs && second < best)) {
                break;
            }
        }
        pos[best] = i;
        next[best] = ts;
    }
}

void SpanBuilder::onEvent(EventRef ref, std::int64_t ts) {
    const CpuEvents& col = store_.cpu(ref.cpu);
    const EventFields f{ts,
                        col.pid(ref.index),
                        col.type(ref.index),
                        col.flags(ref.index),
                        col.preempt(ref.index),
                        col.arg(ref.index)};
    const Ev e{ref, f, kindOf_[f.type]};
    CpuState& c = cpus_[ref.cpu];
    if (!(f.flags & LatencyFlag::HardIrq) || e.kind == EventKind::IrqHandlerEntry) {
        c.justExited = OpenHard{}; // left the interrupt, or the next handler began
    }
    switch (e.kind) {
    case EventKind::IrqHandlerEntry:
        irqHandlerEntry(e);
        break;
    case EventKind::IrqHandlerExit:
        irqHandlerExit(e);
        break;
    case EventKind::VectorEntry:
        vectorEvent(e, true);
        break;
    case EventKind::VectorExit:
        vectorEvent(e, false);
        break;
    case EventKind::IpiEntry:
        ipiEvent(e, true);
        break;
    case EventKind::IpiExit:
        ipiEvent(e, false);
        break;
    case EventKind::SoftirqRaise:
        softirqRaise(e);
        break;
    case EventKind::SoftirqEntry:
        softirqEntry(e);
        break;
    case EventKind::SoftirqExit:
        softirqExit(e);
        break;
    case EventKind::TaskletEntry:
        taskletEntry(e);
        break;
    case EventKind::TaskletExit:
        taskletExit(e);
        break;
    case EventKind::WorkQueue:
        workQueue(e);
        break;
    case EventKind::WorkActivate:
        workActivate(e);
        break;
    case EventKind::WorkStart:
        workStart(e);
        break;
    case EventKind::WorkEnd:
        workEnd(e);
        break;
    case EventKind::SchedSwitch:
        schedSwitch(e);
        break;
    case EventKind::SchedWaking:
    case EventKind::SchedWakeup:
        schedWaking(e);
        break;
    case EventKind::FuncgraphEntry:
        funcEntry(e);
        break;
    case EventKind::FuncgraphExit:
        funcExit(e);
        break;
    default:
        break;
    }
    if (custom_.active()) {
        custom_.onEvent(e, spans_);
    }
}

// A span starts open-ended (end = capture end, OpenEnd) until its end event.
SpanId SpanBuilder::open(SpanKind kind, const Ev& e, std::uint32_t key) {
    Span s;
    s.start = e.f.ts;
    s.end = std::max(lastTs_, e.f.ts);
    s.key = key;
    s.pid = e.f.pid;
    s.begin = e.ref;
    s.cpu = e.ref.cpu;
    s.kind = kind;
    s.flags = SpanFlag::OpenEnd;
    spans_.push_back(s);
    return static_cast<SpanId>(spans_.size() - 1);
}

void SpanBuilder::close(SpanId id, const Ev& e) {
    Span& s = spans_[id];
    s.end = e.f.ts;
    s.finish = e.ref;
    s.flags &= static_cast<std::uint16_t>(~SpanFlag::OpenEnd);
}

// Its end event was lost (a drop, or a bug in the kernel's pairing): it
// certainly ended before `ts`, where its enclosing span ended.
void SpanBuilder::closeUnmatched(SpanId id, std::int64_t ts) {
    spans_[id].end = ts;
}

// An end with no begin: it began before the capture (or before a drop on its
// CPU, then it starts at that drop and is flagged CrossesDrop).
SpanId SpanBuilder::openStart(SpanKind kind, const Ev& e, std::uint32_t key) {
    Span s;
    s.start = firstTs_;
    const auto& marks = cpuMissedTs_[e.ref.cpu];
    auto it = std::upper_bound(marks.begin(), marks.end(), e.f.ts);
    if (it != marks.begin() && *std::prev(it) > firstTs_) {
        s.start = *std::prev(it);
        s.flags |= SpanFlag::CrossesDrop;
    }
    s.start = std::min(s.start, e.f.ts);
    s.end = e.f.ts;
    s.key = key;
    s.pid = e.f.pid;
    s.finish = e.ref;
    s.cpu = e.ref.cpu;
    s.kind = kind;
    s.flags |= SpanFlag::OpenStart;
    spans_.push_back(s);
    return static_cast<SpanId>(spans_.size() - 1);
}

void SpanBuilder::hardEntry(const Ev& e, HardClass cls, std::int32_t match, std::uint32_t key,
                            std::int32_t irq) {
    CpuState& c = cpus_[e.ref.cpu];
    const SpanId id = open(SpanKind::HardIrq, e, key);
    spans_[id].depth = static_cast<std::uint8_t>(std::min<std::size_t>(c.hard.size(), 255));
    if (!c.hard.empty()) {
        spans_[id].flags |= SpanFlag::Nested;
    }
    c.hard.push_back({id, causality_.onHardIrq(id), cls, match, irq});
}

SpanId SpanBuilder::hardExit(const Ev& e, HardClass cls, std::int32_t match, std::uint32_t key) {
    CpuState& c = cpus_[e.ref.cpu];
    for (std::size_t i = c.hard.size(); i-- > 0;) {
        if (c.hard[i].cls == cls && c.hard[i].match == match) {
            for (std::size_t j = i + 1; j < c.hard.size(); ++j) {
                closeUnmatched(c.hard[j].span, e.f.ts);
            }
            const SpanId id = c.hard[i].span;
            close(id, e);
            c.justExited = c.hard[i];
            c.hard.resize(i);
            return id;
        }
    }
    // Began before the capture: no episode (its raises were not seen as its own).
    const SpanId id = openStart(SpanKind::HardIrq, e, key);
    spans_[id].depth = static_cast<std::uint8_t>(std::min<std::size_t>(c.hard.size(), 255));
    return id;
}

void SpanBuilder::irqHandlerEntry(const Ev& e) {
    const std::int32_t irq =
        e.f.arg < store_.irqActions.size() ? store_.irqActions.get(e.f.arg).irq : -1;
    hardEntry(e, HardClass::Handler, irq, e.f.arg, irq);
}

void SpanBuilder::irqHandlerExit(const Ev& e) {
    const auto irq = static_cast<std::int32_t>(e.f.arg & ~kIrqRetUnhandled);
    auto action = irqFirstAction_.find(irq);
    const SpanId id = hardExit(e, HardClass::Handler, irq,
                               action == irqFirstAction_.end() ? kNone : action->second);
    if (e.f.arg & kIrqRetUnhandled) {
        spans_[id].flags |= SpanFlag::Unhandled;
    }
}

void SpanBuilder::vectorEvent(const Ev& e, bool entry) {
    const std::uint32_t key = vectorKey_[e.f.type];
    const auto match = static_cast<std::int32_t>(key);
    if (entry) {
        hardEntry(e, HardClass::Vector, match, key, -1);
    } else {
        hardExit(e, HardClass::Vector, match, key);
    }
}

void SpanBuilder::ipiEvent(const Ev& e, bool entry) {
    const std::uint32_t key = store_.irqActions.find({-1, e.f.arg}).value_or(kNone);
    const auto match = static_cast<std::int32_t>(e.f.arg);
    if (entry) {
        hardEntry(e, HardClass::Ipi, match, key, -1);
    } else {
        hardExit(e, HardClass::Ipi, match, key);
    }
}

void SpanBuilder::softirqRaise(const Ev& e) {
    if (e.f.arg >= 10) {
        return;
    }
    CpuState& c = cpus_[e.ref.cpu];
    c.raises[e.f.arg].push_back({e.f.ts, causality_.raiseEpisode(c)});
}

// The trigger is the first raise since the previous entry of this vector on
// this CPU (the one that made it pending); none seen -> latency unknown.
void SpanBuilder::softirqEntry(const Ev& e) {
    CpuState& c = cpus_[e.ref.cpu];
    const SpanId id = open(SpanKind::Softirq, e, e.f.arg);
    Span& s = spans_[id];
    s.depth = static_cast<std::uint8_t>(std::min<std::size_t>(c.softirq.size(), 255));
    if (!c.softirq.empty()) {
        s.flags |= SpanFlag::Nested;
    }
    if (isKsoftirqd(e.f.pid, e.f.ts)) {
        s.flags |= SpanFlag::InKsoftirqd;
    }
    if (e.f.arg < 10 && !c.raises[e.f.arg].empty()) {
        auto& pending = c.raises[e.f.arg];
        s.trigger = pending.front().ts;
        causality_.onSoftirqEntry(id, pending);
        pending.clear();
    } else {
        s.flags |= SpanFlag::LatencyUnknown;
    }
    c.softirq.push_back(id);
}

void SpanBuilder::softirqExit(const Ev& e) {
    CpuState& c = cpus_[e.ref.cpu];
    for (std::size_t i = c.softirq.size(); i-- > 0;) {
        if (spans_[c.softirq[i]].key == e.f.arg) {
            for (std::size_t j = i + 1; j < c.softirq.size(); ++j) {
                closeUnmatched(c.softirq[j], e.f.ts);
            }
            close(c.softirq[i], e);
            c.softirq.resize(i);
            return;
        }
    }
    const SpanId id = openStart(SpanKind::Softirq, e, e.f.arg);
    spans_[id].flags |= SpanFlag::LatencyUnknown;
}

// A tasklet runs inside the TASKLET or HI softirq: its latency is measured
// from that softirq's raise.
void SpanBuilder::taskletEntry(const Ev& e) {
    CpuState& c = cpus_[e.ref.cpu];
    const SpanId id = open(SpanKind::Tasklet, e, e.f.arg);
    spans_[id].depth = static_cast<std::uint8_t>(std::min<std::size_t>(c.tasklet.size(), 255));
    SpanId softirq = kNone;
    if (!c.softirq.empty()) {
        const std::uint32_t vec = spans_[c.softirq.back()].key;
        if (vec == kSoftirqTasklet || vec == kSoftirqHi) {
            softirq = c.softirq.back();
        }
    }
    if (softirq == kNone) {
        spans_[id].flags |= SpanFlag::LatencyUnknown;
    } else {
        const Span& parent = spans_[softirq];
        spans_[id].trigger = parent.trigger;
        spans_[id].flags |= parent.flags & (SpanFlag::LatencyUnknown | SpanFlag::InKsoftirqd);
        causality_.onTaskletEntry(id, softirq);
    }
    if (!c.tasklet.empty()) {
        spans_[id].flags |= SpanFlag::Nested;
    }
    c.tasklet.push_back(id);
}

void SpanBuilder::taskletExit(const Ev& e) {
    CpuState& c = cpus_[e.ref.cpu];
    for (std::size_t i = c.tasklet.size(); i-- > 0;) {
        const std::uint32_t key = spans_[c.tasklet[i]].key;
        if (key == e.f.arg || key == 0 || e.f.arg == 0) {
            for (std::size_t j = i + 1; j < c.tasklet.size(); ++j) {
                closeUnmatched(c.tasklet[j], e.f.ts);
            }
            close(c.tasklet[i], e);
            c.tasklet.resize(i);
            return;
        }
    }
    const SpanId id = openStart(SpanKind::Tasklet, e, e.f.arg);
    spans_[id].flags |= SpanFlag::LatencyUnknown;
}

namespace {
// Function calls nest per task (a task may sleep in a function and resume on
// another CPU); the idle task is per CPU.
std::uint64_t funcStackKey(const Ev& e) {
    return e.f.pid != 0 ? static_cast<std::uint32_t>(e.f.pid) : (1ull << 40) | e.ref.cpu;
}
} // namespace

void SpanBuilder::funcEntry(const Ev& e) {
    auto& stack = funcStacks_[funcStackKey(e)];
    const SpanId id = open(SpanKind::Function, e, funcAddressId(e.f.arg));
    spans_[id].depth = static_cast<std::uint8_t>(funcDepth(e.f.arg));
    if (!stack.empty()) {
        spans_[id].flags |= SpanFlag::Nested;
    }
    stack.push_back(id);
}

void SpanBuilder::funcExit(const Ev& e) {
    auto& stack = funcStacks_[funcStackKey(e)];
    const std::uint32_t func = funcAddressId(e.f.arg);
    const std::uint32_t depth = funcDepth(e.f.arg);
    for (std::size_t i = stack.size(); i-- > 0;) {
        const Span& s = spans_[stack[i]];
        if (s.key == func && s.depth == depth) {
            for (std::size_t j = i + 1; j < stack.size(); ++j) {
                closeUnmatched(stack[j], e.f.ts);
            }
            close(stack[i], e);
            stack.resize(i);
            return;
        }
    }
    const SpanId id = openStart(SpanKind::Function, e, func);
    spans_[id].depth = static_cast<std::uint8_t>(depth);
}

} // namespace irqlens::detail
