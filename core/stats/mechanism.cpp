#include "core/stats/mechanism.h"

#include <array>

namespace irqlens {

namespace {

struct MechanismInfo {
    std::string_view id;
    std::string_view label;
    std::string_view inText;  // the label inside a sentence
    std::string_view context; // what runs, in which context
    std::string_view latency; // what its latency means here
};

// The one table (docs/ARCHITECTURE.md "Mechanisms" is generated from it).
constexpr std::array<MechanismInfo, kMechanismCount> kMechanisms = {{
    {"hardirq", "Hard IRQ", "hard IRQ",
     "The top half: the driver's handler, run at once on the CPU the interrupt arrived on, "
     "with that CPU's interrupts off (x86 vectors and IPIs too).",
     "It does not wait; its duration is time taken from whatever that CPU was running."},
    {"softirq", "Softirq", "softirq",
     "Deferred work of one vector (TIMER, NET_RX, TASKLET, ...) run on the CPU that raised it "
     "when the hard IRQ returns, or later in ksoftirqd/N; interrupt context, it cannot sleep.",
     "Its latency is softirq_raise → softirq_entry: how long the raised vector waited for "
     "that CPU."},
    {"tasklet", "Tasklet", "tasklet",
     "A function run inside the TASKLET (or HI) softirq on the CPU that scheduled it; "
     "interrupt context, and one tasklet never runs on two CPUs at once.",
     "Its latency is the softirq's raise → tasklet_entry: how long it waited for its softirq "
     "and the tasklets ahead of it."},
    {"workqueue", "Work item", "work item",
     "A function queued on a workqueue and run by a kworker kernel thread; process context, "
     "so it may sleep, and it is scheduled like any task.",
     "Its latency is workqueue_queue_work → workqueue_execute_start: how long it waited for "
     "a kworker to get the CPU and reach it."},
    {"irq_thread", "IRQ thread", "IRQ thread",
     "A threaded handler: the hard IRQ wakes the kernel thread irq/N-name, which runs the "
     "handler in process context (SCHED_FIFO by default).",
     "Its latency is sched_waking → switch in: how long the woken thread waited for a CPU."},
    {"episode", "Episode", "episode",
     "One hard IRQ and every bottom half it caused, linked by the causality rules (a raise, "
     "queue or waking inside the hard IRQ).",
     "Its end-to-end latency is hard IRQ entry → end of its last bottom half."},
}};

struct MetricInfo {
    std::string_view id;
    std::string_view label;
    std::string_view definition;
};

constexpr std::array<MetricInfo, kMetricCount> kMetrics = {{
    {"duration", "Duration", "run time: begin event → end event"},
    {"raise_to_entry", "Raise → entry latency",
     "softirq_raise → softirq_entry (for a tasklet: → tasklet_entry) on that CPU"},
    {"queue_to_start", "Queue → start latency", "workqueue_queue_work → workqueue_execute_start"},
    {"wake_to_run", "Wake → run latency", "sched_waking of the irq thread → switch into it"},
    {"end_to_end", "End-to-end latency", "hard IRQ entry → end of its last bottom half"},
}};

const MechanismInfo& info(Mechanism m) {
    const auto i = static_cast<std::size_t>(m);
    return kMechanisms[i < kMechanisms.size() ? i : 0];
}

const MetricInfo& info(Metric m) {
    const auto i = static_cast<std::size_t>(m);
    return kMetrics[i < kMetrics.size() ? i : 0];
}

} // namespace

std::string_view mechanismId(Mechanism mechanism) {
    return info(mechanism).id;
}
std::string_view mechanismLabel(Mechanism mechanism) {
    return info(mechanism).label;
}
std::string_view mechanismInText(Mechanism mechanism) {
    return info(mechanism).inText;
}
std::string_view mechanismContext(Mechanism mechanism) {
    return info(mechanism).context;
}
std::string_view mechanismLatencyMeaning(Mechanism mechanism) {
    return info(mechanism).latency;
}
std::string mechanismDefinition(Mechanism mechanism) {
    return std::string(info(mechanism).context) + "\n" + std::string(info(mechanism).latency);
}

std::optional<Mechanism> mechanismById(std::string_view id) {
    for (int m = 0; m < kMechanismCount; ++m) {
        if (kMechanisms[static_cast<std::size_t>(m)].id == id) {
            return static_cast<Mechanism>(m);
        }
    }
    return std::nullopt;
}

std::optional<Mechanism> mechanismOf(SpanKind kind) {
    switch (kind) {
    case SpanKind::HardIrq:
        return Mechanism::HardIrq;
    case SpanKind::Softirq:
        return Mechanism::Softirq;
    case SpanKind::Tasklet:
        return Mechanism::Tasklet;
    case SpanKind::Workqueue:
        return Mechanism::WorkItem;
    case SpanKind::IrqThread:
        return Mechanism::IrqThread;
    default:
        return std::nullopt;
    }
}

std::optional<Metric> waitMetricOf(Mechanism mechanism) {
    switch (mechanism) {
    case Mechanism::Softirq:
    case Mechanism::Tasklet:
        return Metric::RaiseToEntry;
    case Mechanism::WorkItem:
        return Metric::QueueToStart;
    case Mechanism::IrqThread:
        return Metric::WakeToRun;
    default:
        return std::nullopt;
    }
}

std::string_view metricId(Metric metric) {
    return info(metric).id;
}
std::string_view metricLabel(Metric metric) {
    return info(metric).label;
}
std::string_view metricDefinition(Metric metric) {
    return info(metric).definition;
}

std::optional<Metric> metricById(std::string_view id) {
    for (int m = 0; m < kMetricCount; ++m) {
        if (kMetrics[static_cast<std::size_t>(m)].id == id) {
            return static_cast<Metric>(m);
        }
    }
    return std::nullopt;
}

std::string mechanismTableMarkdown() {
    std::string table =
        "| mechanism | id | what runs, in which context | what its latency means |\n"
        "|---|---|---|---|\n";
    for (const MechanismInfo& m : kMechanisms) {
        table += "| " + std::string(m.label) + " | `" + std::string(m.id) + "` | " +
                 std::string(m.context) + " | " + std::string(m.latency) + " |\n";
    }
    return table;
}

} // namespace irqlens
