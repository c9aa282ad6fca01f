// Span builder: workqueue items, irq-thread runs and preemption (task runs:
// task_run_scanner.cpp).
// Workqueue items pair by work-struct address (not by CPU: a kworker may be
// migrated while it runs an item); irq-thread runs and preemption follow pids.
#include "core/spans/span_builder.h"

#include <charconv>

namespace irqlens::detail {

std::uint32_t SpanBuilder::workFunctionKey(std::uint32_t workId) const {
    return workId < workKey_.size() ? workKey_[workId] : 0;
}

// The queue event that made the item pending is the first one since its last
// execute_start; queue_work on a pending item emits nothing.
void SpanBuilder::workQueue(const Ev& e) {
    if (e.f.arg >= store_.works.size()) {
        return;
    }
    auto [it, inserted] = pendingWork_.try_emplace(store_.works.get(e.f.arg).work);
    if (!inserted) {
        return;
    }
    const CpuState& c = cpus_[e.ref.cpu];
    PendingWork& w = it->second;
    w.queueTs = e.f.ts;
    w.pid = e.f.pid;
    w.cpu = e.ref.cpu;
    w.context = causality_.queueContext(c);
    w.episodes = causality_.queueEpisodes(c, e.f.ts);
}

void SpanBuilder::workActivate(const Ev& e) {
    if (e.f.arg >= store_.works.size()) {
        return;
    }
    auto it = pendingWork_.find(store_.works.get(e.f.arg).work);
    if (it != pendingWork_.end() && it->second.activateTs < 0) {
        it->second.activateTs = e.f.ts;
    }
}

void SpanBuilder::workStart(const Ev& e) {
    if (e.f.arg >= store_.works.size()) {
        return;
    }
    const std::uint64_t work = store_.works.get(e.f.arg).work;
    if (auto running = runningWork_.find(work); running != runningWork_.end()) {
        closeUnmatched(running->second, e.f.ts); // its execute_end was lost
        runningBh_.erase(spans_[running->second].pid);
        runningWork_.erase(running);
    }
    const SpanId id = open(SpanKind::Workqueue, e, workFunctionKey(e.f.arg));
    if (auto pending = pendingWork_.find(work); pending != pendingWork_.end()) {
        spans_[id].trigger = pending->second.queueTs;
        causality_.onWorkStart(id, pending->second.episodes);
        queueContexts_.push_back({id, std::move(pending->second)});
        pendingWork_.erase(pending);
    } else {
        spans_[id].flags |= SpanFlag::LatencyUnknown;
    }
    runningWork_[work] = id;
    runningBh_[e.f.pid] = id;
}

void SpanBuilder::workEnd(const Ev& e) {
    if (e.f.arg >= store_.works.size()) {
        return;
    }
    auto it = runningWork_.find(store_.works.get(e.f.arg).work);
    if (it == runningWork_.end()) {
        const SpanId id = openStart(SpanKind::Workqueue, e, workFunctionKey(e.f.arg));
        spans_[id].flags |= SpanFlag::LatencyUnknown;
        return;
    }
    const SpanId id = it->second;
    close(id, e);
    endPreemption(spans_[id].pid, e.f.ts);
    if (auto bh = runningBh_.find(spans_[id].pid); bh != runningBh_.end() && bh->second == id) {
        runningBh_.erase(bh);
    }
    runningWork_.erase(it);
}

void SpanBuilder::endPreemption(std::int32_t pid, std::int64_t ts) {
    if (auto p = openPreemption_.find(pid); p != openPreemption_.end()) {
        preemptions_[p->second].end = ts;
        openPreemption_.erase(p);
    }
}

void SpanBuilder::schedSwitch(const Ev& e) {
    const std::int32_t prev = e.f.pid;
    const auto next = static_cast<std::int32_t>(switchNextPid(e.f.arg));
    switchOut(e, prev, switchPrevState(e.f.arg), next);
    switchIn(e, next);
}

// A bottom half switched out while still runnable (R) was preempted by
// `next`; an irq thread switched out asleep has finished its run.  A kworker
// blocking inside a work function (S/D) is neither: the item goes on.
void SpanBuilder::switchOut(const Ev& e, std::int32_t prev, std::uint8_t state, std::int32_t next) {
    auto it = runningBh_.find(prev);
    if (it == runningBh_.end()) {
        if (prev == 0 || !irqThreadNumber(prev, e.f.ts)) {
            return;
        }
        // First sight of this irq thread is a switch out: its run began earlier.
        const SpanId id = openStart(SpanKind::IrqThread, e, static_cast<std::uint32_t>(prev));
        spans_[id].flags |= SpanFlag::LatencyUnknown;
        if (state != 0) {
            return;
        }
        spans_[id].end = std::max(lastTs_, e.f.ts);
        spans_[id].finish = {};
        spans_[id].flags |= SpanFlag::OpenEnd;
        it = runningBh_.emplace(prev, id).first;
    }
    const SpanId id = it->second;
    Span& s = spans_[id];
    if (state == 0) {
        s.flags |= SpanFlag::Preempted;
        if (!openPreemption_.count(prev)) {
            preemptions_.push_back({id, e.f.ts, -1, next, e.ref.cpu});
            openPreemption_[prev] = preemptions_.size() - 1;
        }
    } else if (s.kind == SpanKind::IrqThread) {
        close(id, e);
        runningBh_.erase(it);
    }
}

// Switch in: a preempted bottom half resumes, or an irq thread starts a run
// whose trigger is the first waking since its previous run.
void SpanBuilder::switchIn(const Ev& e, std::int32_t next) {
    if (next == 0) {
        return;
    }
    endPreemption(next, e.f.ts);
    if (runningBh_.count(next) || !irqThreadNumber(next, e.f.ts)) {
        return;
    }
    const SpanId id = open(SpanKind::IrqThread, e, static_cast<std::uint32_t>(next));
    spans_[id].pid = next;
    if (auto w = pendingWake_.find(next); w != pendingWake_.end()) {
        spans_[id].trigger = w->second.firstTs;
        causality_.onThreadRun(id, w->second.episodes);
        pendingWake_.erase(w);
    } else {
        spans_[id].flags |= SpanFlag::LatencyUnknown;
    }
    runningBh_[next] = id;
}

void SpanBuilder::schedWaking(const Ev& e) {
    if (e.kind != wakeKind_) {
        return;
    }
    const auto pid = static_cast<std::int32_t>(wakePid(e.f.arg));
    const std::optional<std::int32_t> irq = irqThreadNumber(pid, e.f.ts);
    if (!irq) {
        return;
    }
    const EpisodeId episode = causality_.wakingEpisode(cpus_[e.ref.cpu], *irq);
    auto running = runningBh_.find(pid);
    if (running != runningBh_.end() && !openPreemption_.count(pid)) {
        // Woken while still on its CPU (between setting its state and
        // sleeping): it handles this IRQ in the run under way.
        if (episode != kNone) {
            const TriggerEpisode t{episode, e.f.ts};
            causality_.onThreadRun(running->second, std::span(&t, 1));
        }
        return;
    }
    PendingWake& w = pendingWake_[pid];
    if (w.firstTs < 0) {
        w.firstTs = e.f.ts;
    }
    if (episode != kNone) {
        w.episodes.push_back({episode, e.f.ts});
    }
}

namespace {
// "irq/36-virtio1" -> 36.
std::optional<std::int32_t> parseIrqThread(std::string_view comm) {
    if (comm.substr(0, 4) != "irq/") {
        return std::nullopt;
    }
    std::int32_t irq = 0;
    const char* first = comm.data() + 4;
    const char* last = comm.data() + comm.size();
    auto [ptr, ec] = std::from_chars(first, last, irq);
    if (ec != std::errc() || ptr == first || ptr == last || *ptr != '-') {
        return std::nullopt;
    }
    return irq;
}
} // namespace

void SpanBuilder::findSpecialTasks() {
    for (std::int32_t pid : store_.comms.pids()) {
        const std::string_view comm = store_.strings.get(store_.comms.latest(pid));
        std::uint8_t cls = 0;
        if (parseIrqThread(comm)) {
            cls = kIrqThread;
        } else if (comm.substr(0, 10) == "ksoftirqd/") {
            cls = kKsoftirqd;
        }
        if (cls != 0 && pid > 0 && pid < (1 << kPidBits)) {
            if (pidClass_.size() <= static_cast<std::size_t>(pid)) {
                pidClass_.resize(static_cast<std::size_t>(pid) + 1, 0);
            }
            pidClass_[static_cast<std::size_t>(pid)] = cls;
        }
    }
}

// Candidates come from each pid's latest name; the name at `ts` decides (a
// new kthread is renamed irq/N-... only after it was created).
std::optional<std::int32_t> SpanBuilder::irqThreadNumber(std::int32_t pid, std::int64_t ts) const {
    if (pidClass(pid) != kIrqThread) {
        return std::nullopt;
    }
    return parseIrqThread(store_.comm(pid, ts));
}

bool SpanBuilder::isKsoftirqd(std::int32_t pid, std::int64_t ts) const {
    return pidClass(pid) == kKsoftirqd && store_.comm(pid, ts).substr(0, 10) == "ksoftirqd/";
}

} // namespace irqlens::detail
