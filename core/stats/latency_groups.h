// Latency groups: one (mechanism, key, metric) series of values taken from an
// Analysis — what `irqlens-cli latency`, the latency view, compare and the
// overview use.
#pragma once

#include "core/spans/span.h"
#include "core/stats/mechanism.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace irqlens {

// mechanism: hard IRQ, softirq, tasklet, work item, IRQ thread or episode
//            (mechanism.h names them);
// key:       irq name ("36 virtio1-req.0"), vector name ("TIMER"), work/tasklet function
//            name, irq thread comm ("irq/36-virtio1"); for episodes the hard IRQ key.
// Metrics per mechanism: hard IRQ: duration; softirq and tasklet: raise_to_entry,
// duration; work item: queue_to_start, duration; IRQ thread: wake_to_run,
// duration; episode: end_to_end (waitMetricOf() gives the latency metric).
// Spans whose latency is unknown are left out of that latency metric (they
// still count for duration).
struct LatencyGroup {
    Mechanism mechanism = Mechanism::HardIrq;
    std::string key;
    Metric metric = Metric::Duration;
    std::vector<std::int64_t> values; // ns, in span order (not sorted)
    std::vector<std::uint32_t>
        ids; // SpanId (or EpisodeId for mechanism "episode"), parallel to values
};

// All groups with at least one value, sorted by (mechanism, key, metric).
std::vector<LatencyGroup> buildLatencyGroups(const EventStore& store, const Analysis& analysis);

// "mechanism/key/metric" with the ids of mechanism.h ("workqueue/free_work/
// queue_to_start"), used by `--group` and to match groups across captures.
std::string groupId(const LatencyGroup& group);
std::string groupId(Mechanism mechanism, std::string_view key, Metric metric);

} // namespace irqlens
