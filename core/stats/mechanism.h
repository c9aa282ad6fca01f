// The words irqlens measures with: the mechanisms (how an interrupt's work
// runs) and the metrics (what is timed).  One table gives each its id (JSON,
// CSV, `--mechanism`, group ids), its label (tables, legends, sentences) and a
// two-line definition (tooltips); the CLI, the GUI and every export take their
// words from here, and docs/ARCHITECTURE.md's "Mechanisms" table is this
// table (mechanismTableMarkdown(); a test keeps them equal).  No Qt.
#pragma once

#include "core/spans/span.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace irqlens {

enum class Mechanism : std::uint8_t {
    HardIrq = 0, // the top half
    Softirq,
    Tasklet,
    WorkItem,  // a workqueue item run by a kworker
    IrqThread, // a threaded handler's run in irq/N-name
    Episode,   // a hard IRQ with every bottom half it caused
    Count
};
inline constexpr int kMechanismCount = static_cast<int>(Mechanism::Count);

enum class Metric : std::uint8_t {
    Duration = 0,
    RaiseToEntry,
    QueueToStart,
    WakeToRun,
    EndToEnd,
    Count
};
inline constexpr int kMetricCount = static_cast<int>(Metric::Count);

// "hardirq", "softirq", "tasklet", "workqueue", "irq_thread", "episode".
std::string_view mechanismId(Mechanism mechanism);
// "Hard IRQ", "Softirq", "Tasklet", "Work item", "IRQ thread", "Episode".
std::string_view mechanismLabel(Mechanism mechanism);
// The label inside running text: "hard IRQ", "softirq", "tasklet", "work
// item", "IRQ thread", "episode".
std::string_view mechanismInText(Mechanism mechanism);
// Line 1 of the definition: what runs, in which context.
std::string_view mechanismContext(Mechanism mechanism);
// Line 2: what its latency means here.
std::string_view mechanismLatencyMeaning(Mechanism mechanism);
// Both lines, separated by '\n' (a tooltip).
std::string mechanismDefinition(Mechanism mechanism);
std::optional<Mechanism> mechanismById(std::string_view id);

// The mechanism of a span kind (HardIrq..IrqThread); nullopt for task,
// function and custom spans, which are not interrupt mechanisms.
std::optional<Mechanism> mechanismOf(SpanKind kind);
// The metric that times a mechanism's wait (raise/queue/wake -> start);
// nullopt for hard IRQs (they do not wait) and episodes.
std::optional<Metric> waitMetricOf(Mechanism mechanism);

// "duration", "raise_to_entry", "queue_to_start", "wake_to_run", "end_to_end".
std::string_view metricId(Metric metric);
// "Duration", "Raise → entry latency", ...
std::string_view metricLabel(Metric metric);
// One line: the events it is measured between.
std::string_view metricDefinition(Metric metric);
std::optional<Metric> metricById(std::string_view id);

// The mechanism table of docs/ARCHITECTURE.md, as Markdown (one row per
// mechanism: label, id, the two definition lines).
std::string mechanismTableMarkdown();

} // namespace irqlens
