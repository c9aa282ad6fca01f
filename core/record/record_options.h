// What to record, shared by the local and the remote recorder.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace irqlens {

struct RecordOptions {
    // "bottom-halves" (default), "stacks" (+ kernel stack per event),
    // "funcgraph" (+ function_graph of module functions), "none" (only `events`).
    std::string preset = "bottom-halves";
    std::vector<std::string> events;  // extra "system:event" / "system:*" / "system"
    std::vector<std::string> modules; // for "funcgraph": modules whose functions to graph
    double durationSeconds = 0;       // 0: until stop()
    unsigned bufferKb = 0;            // per-CPU ring buffer, 0: leave the kernel's default
    std::string cpus;                 // "0-1,3" (empty: all CPUs)
};

struct EventName {
    std::string system;
    std::string event;
    bool operator<(const EventName& o) const {
        return system != o.system ? system < o.system : event < o.event;
    }
    bool operator==(const EventName& o) const = default;
};

// The patterns a preset stands for ("irq:*", "sched:sched_switch", ...),
// each with whether it may be missing on the target (irq_vectors, ipi).
struct EventPattern {
    std::string system;
    std::string event; // "*" for all events of the system
    bool optional = false;
};

// Returns nullopt and sets `error` for an unknown preset name.
std::optional<std::vector<EventPattern>> presetPatterns(const std::string& preset,
                                                        std::string& error);

// Parses "system:event", "system:*" or "system" (also "system/event").
std::optional<EventPattern> parseEventPattern(const std::string& text, std::string& error);

// Parses a CPU list ("0-1,3") into CPU numbers below `cpuCount`.
std::optional<std::vector<int>> parseCpuList(const std::string& text, int cpuCount,
                                             std::string& error);

const std::vector<std::string>& presetNames();

// Hex mask for tracing_cpumask ("3", "ffffffff,00000001") from CPU numbers.
std::string cpuMaskHex(const std::vector<int>& cpus);

} // namespace irqlens
