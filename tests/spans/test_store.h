// A tiny EventStore builder for span tests: registers event types on first
// use and appends events with `arg` packed as core/model/event_kind.h says.
// Events must be added in time order per CPU (as a reader would).
#pragma once

#include "core/model/event_store.h"

#include <map>
#include <memory>
#include <string>

namespace irqlens::test {

class TestStore {
public:
    explicit TestStore(int cpus = 2) : store_(std::make_unique<EventStore>()), current_(cpus, 0) {
        store_->setCpuCount(cpus);
    }

    // Task name valid from the start of the capture.
    TestStore& comm(std::int32_t pid, const std::string& name) {
        store_->comms.noteInitial(pid, store_->strings.intern(name));
        return *this;
    }
    // The task current on `cpu` (the pid of the events that follow).
    TestStore& current(int cpu, std::int32_t pid) {
        current_[cpu] = pid;
        return *this;
    }

    TestStore& irqEntry(int cpu, std::int64_t ts, int irq, const std::string& name) {
        const auto id = store_->irqActions.intern({irq, store_->strings.intern(name)});
        return add(cpu, ts, "irq", "irq_handler_entry", id);
    }
    TestStore& irqExit(int cpu, std::int64_t ts, int irq, bool handled = true) {
        return add(cpu, ts, "irq", "irq_handler_exit",
                   static_cast<std::uint32_t>(irq) | (handled ? 0 : kIrqRetUnhandled));
    }
    TestStore& vectorEntry(int cpu, std::int64_t ts, const std::string& vector, int number) {
        return add(cpu, ts, "irq_vectors", vector + "_entry", static_cast<std::uint32_t>(number));
    }
    TestStore& vectorExit(int cpu, std::int64_t ts, const std::string& vector, int number) {
        return add(cpu, ts, "irq_vectors", vector + "_exit", static_cast<std::uint32_t>(number));
    }
    TestStore& raise(int cpu, std::int64_t ts, int vec) {
        return add(cpu, ts, "irq", "softirq_raise", static_cast<std::uint32_t>(vec));
    }
    TestStore& softEntry(int cpu, std::int64_t ts, int vec) {
        return add(cpu, ts, "irq", "softirq_entry", static_cast<std::uint32_t>(vec));
    }
    TestStore& softExit(int cpu, std::int64_t ts, int vec) {
        return add(cpu, ts, "irq", "softirq_exit", static_cast<std::uint32_t>(vec));
    }
    TestStore& taskletEntry(int cpu, std::int64_t ts, std::uint64_t function) {
        return add(cpu, ts, "irq", "tasklet_entry", store_->addresses.intern(function));
    }
    TestStore& taskletExit(int cpu, std::int64_t ts, std::uint64_t function) {
        return add(cpu, ts, "irq", "tasklet_exit", store_->addresses.intern(function));
    }
    TestStore& queueWork(int cpu, std::int64_t ts, std::uint64_t work, std::uint64_t function) {
        return add(cpu, ts, "workqueue", "workqueue_queue_work",
                   store_->works.intern({work, function}));
    }
    TestStore& activateWork(int cpu, std::int64_t ts, std::uint64_t work) {
        return add(cpu, ts, "workqueue", "workqueue_activate_work",
                   store_->works.intern({work, 0}));
    }
    TestStore& workStart(int cpu, std::int64_t ts, std::uint64_t work, std::uint64_t function) {
        return add(cpu, ts, "workqueue", "workqueue_execute_start",
                   store_->works.intern({work, function}));
    }
    TestStore& workEnd(int cpu, std::int64_t ts, std::uint64_t work) {
        return add(cpu, ts, "workqueue", "workqueue_execute_end", store_->works.intern({work, 0}));
    }
    // sched_switch from the current task of `cpu` to `next`; state 'R', 'S', 'D'.
    TestStore& switchTo(int cpu, std::int64_t ts, std::int32_t next, char state = 'S') {
        const std::uint8_t code = state == 'R' ? 0 : state == 'S' ? 1 : state == 'D' ? 2 : 15;
        add(cpu, ts, "sched", "sched_switch", packSwitch(static_cast<std::uint32_t>(next), code));
        current_[cpu] = next;
        return *this;
    }
    TestStore& waking(int cpu, std::int64_t ts, std::int32_t pid, int targetCpu) {
        return add(
            cpu, ts, "sched", "sched_waking",
            packWake(static_cast<std::uint32_t>(pid), static_cast<std::uint32_t>(targetCpu)));
    }
    TestStore& funcEntry(int cpu, std::int64_t ts, std::uint64_t function, int depth) {
        return add(cpu, ts, "ftrace", "funcgraph_entry",
                   packFunc(store_->addresses.intern(function), static_cast<std::uint32_t>(depth)));
    }
    TestStore& funcExit(int cpu, std::int64_t ts, std::uint64_t function, int depth) {
        return add(cpu, ts, "ftrace", "funcgraph_exit",
                   packFunc(store_->addresses.intern(function), static_cast<std::uint32_t>(depth)));
    }
    TestStore& other(int cpu, std::int64_t ts) { return add(cpu, ts, "timer", "hrtimer_start", 0); }
    // Lost events on `cpu` just before the next event added to it (at `ts`).
    TestStore& drop(int cpu, std::int64_t ts, std::int64_t count = 10) {
        const auto index = static_cast<std::uint32_t>(store_->cpu(cpu).size());
        store_->addMissed({static_cast<std::uint16_t>(cpu), ts, count, index});
        return *this;
    }

    std::unique_ptr<EventStore> finish() {
        store_->finish();
        return std::move(store_);
    }

private:
    TestStore& add(int cpu, std::int64_t ts, const std::string& system, const std::string& name,
                   std::uint32_t arg) {
        auto [it, inserted] = types_.try_emplace(system + ":" + name, 0);
        if (inserted) {
            it->second = store_->addType({system, name, classifyEvent(system, name), -1});
        }
        EventFields f;
        f.ts = ts;
        f.pid = current_[cpu];
        f.type = it->second;
        f.arg = arg;
        store_->cpuEventsMutable(cpu).append(f, 0);
        return *this;
    }

    std::unique_ptr<EventStore> store_;
    std::vector<std::int32_t> current_;
    std::map<std::string, TypeId> types_;
};

} // namespace irqlens::test
