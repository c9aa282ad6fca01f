// Latency groups: one (mechanism, key, metric) series of values taken from an
// Analysis — what `irqlens-cli latency`, the latency view and compare use.
#pragma once

#include "core/spans/span.h"

#include <cstdint>
#include <string>
#include <vector>

namespace irqlens {

// mechanism: "hardirq" | "softirq" | "tasklet" | "workqueue" | "irq_thread" | "episode"
// metric:    "duration" | "raise_to_entry" | "queue_to_start" | "wake_to_run" | "end_to_end"
// key:       irq name ("36 virtio1-req.0"), vector name ("TIMER"), work/tasklet function
//            name, irq thread comm ("irq/36-virtio1"); for episodes the hard IRQ key.
// Metrics per mechanism: hardirq: duration; softirq: raise_to_entry, duration;
// tasklet: raise_to_entry, duration; workqueue: queue_to_start, duration;
// irq_thread: wake_to_run, duration; episode: end_to_end.
// Spans whose latency is unknown are left out of that latency metric (they
// still count for duration).
struct LatencyGroup {
    std::string mechanism;
    std::string key;
    std::string metric;
    std::vector<std::int64_t> values; // ns, in span order (not sorted)
    std::vector<std::uint32_t>
        ids; // SpanId (or EpisodeId for mechanism "episode"), parallel to values
};

// All groups with at least one value, sorted by (mechanism order above, key, metric).
std::vector<LatencyGroup> buildLatencyGroups(const EventStore& store, const Analysis& analysis);

// "mechanism/key/metric", used by `--group` and to match groups across captures.
std::string groupId(const LatencyGroup& group);

} // namespace irqlens
