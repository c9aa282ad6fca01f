#include "core/model/event_kind.h"

#include <array>

namespace irqlens {

namespace {
bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

EventKind classifyIrq(std::string_view name) {
    if (name == "irq_handler_entry")
        return EventKind::IrqHandlerEntry;
    if (name == "irq_handler_exit")
        return EventKind::IrqHandlerExit;
    if (name == "softirq_raise")
        return EventKind::SoftirqRaise;
    if (name == "softirq_entry")
        return EventKind::SoftirqEntry;
    if (name == "softirq_exit")
        return EventKind::SoftirqExit;
    if (name == "tasklet_entry")
        return EventKind::TaskletEntry;
    if (name == "tasklet_exit")
        return EventKind::TaskletExit;
    return EventKind::Other;
}

EventKind classifyOther(std::string_view system, std::string_view name) {
    if (system == "workqueue") {
        if (name == "workqueue_queue_work")
            return EventKind::WorkQueue;
        if (name == "workqueue_activate_work")
            return EventKind::WorkActivate;
        if (name == "workqueue_execute_start")
            return EventKind::WorkStart;
        if (name == "workqueue_execute_end")
            return EventKind::WorkEnd;
    } else if (system == "sched") {
        if (name == "sched_switch")
            return EventKind::SchedSwitch;
        if (name == "sched_waking")
            return EventKind::SchedWaking;
        if (name == "sched_wakeup")
            return EventKind::SchedWakeup;
        if (name == "sched_wakeup_new")
            return EventKind::SchedWakeupNew;
    } else if (system == "ftrace") {
        if (name == "kernel_stack")
            return EventKind::KernelStack;
        if (name == "user_stack")
            return EventKind::UserStack;
        if (name == "funcgraph_entry")
            return EventKind::FuncgraphEntry;
        if (name == "funcgraph_exit")
            return EventKind::FuncgraphExit;
        if (name == "function")
            return EventKind::Function;
        if (name == "bprint" || name == "print" || name == "bputs")
            return EventKind::Print;
    } else if (system == "irq_vectors") {
        if (endsWith(name, "_entry"))
            return EventKind::VectorEntry;
        if (endsWith(name, "_exit"))
            return EventKind::VectorExit;
    } else if (system == "ipi") {
        if (name == "ipi_entry")
            return EventKind::IpiEntry;
        if (name == "ipi_exit")
            return EventKind::IpiExit;
    }
    return EventKind::Other;
}
} // namespace

EventKind classifyEvent(std::string_view system, std::string_view name) {
    if (system == "irq") {
        return classifyIrq(name);
    }
    return classifyOther(system, name);
}

std::uint8_t prevStateCode(std::int64_t rawPrevState) {
    // Only the low 8 task-state bits are reported; anything above (the
    // kernel's TASK_REPORT_MAX "preempted" marker) means still runnable.
    const auto state = static_cast<std::uint64_t>(rawPrevState) & 0xff;
    if (state == 0) {
        return 0;
    }
    for (std::uint8_t bit = 0; bit < 8; ++bit) {
        if (state & (1u << bit)) {
            return static_cast<std::uint8_t>(bit + 1);
        }
    }
    return 15;
}

char prevStateLetter(std::uint8_t code) {
    static constexpr std::string_view letters = "RSDTtXZPI";
    return code < letters.size() ? letters[code] : '?';
}

std::string_view softirqName(std::uint32_t vector) {
    static constexpr std::array<std::string_view, 10> names = {
        "HI",       "TIMER",   "NET_TX", "NET_RX",  "BLOCK",
        "IRQ_POLL", "TASKLET", "SCHED",  "HRTIMER", "RCU"};
    return vector < names.size() ? names[vector] : "?";
}

} // namespace irqlens
