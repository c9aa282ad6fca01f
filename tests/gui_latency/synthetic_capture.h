// Hand-made analyses with known latency values, for view tests that must not
// depend on a capture reader: episodes of "hard IRQ 36 → work item".
#pragma once

#include "app/gui/capture_session.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace irqlens::test {

struct SyntheticEpisode {
    std::int64_t irqDurationNs;
    std::int64_t queueLatencyNs; // hard IRQ exit → work start
    std::int64_t workDurationNs;
};

// `count` episodes whose values are spread over several decades; `scale`
// multiplies the queue latencies (a slower second capture).
std::vector<SyntheticEpisode> spreadEpisodes(std::size_t count, double scale = 1.0);

// One hard-IRQ span (IRQ 36 "virtio1-req.0"), one workqueue span and one episode
// per entry, 1 ms apart, alternating CPUs 0 and 1.
std::shared_ptr<const gui::LoadedCapture> makeCapture(const std::vector<SyntheticEpisode>& episodes,
                                                      const QString& path);

} // namespace irqlens::test
