#include "tests/gui_latency/synthetic_capture.h"

#include <cmath>

namespace irqlens::test {

std::vector<SyntheticEpisode> spreadEpisodes(std::size_t count, double scale) {
    std::vector<SyntheticEpisode> out;
    for (std::size_t i = 0; i < count; ++i) {
        // A deterministic pseudo-random exponent: values from ~2 µs to ~2 ms,
        // dense in the middle and with a thin tail, like real queue latencies.
        const double u = static_cast<double>((i * 7919) % 1000) / 1000.0;
        const double exponent = 3.3 + 1.2 * u + 1.5 * std::pow(u, 8);
        out.push_back({static_cast<std::int64_t>(1500 + (i * 37) % 3000),
                       static_cast<std::int64_t>(std::pow(10.0, exponent) * scale),
                       static_cast<std::int64_t>(8000 + (i * 101) % 20000)});
    }
    return out;
}

std::shared_ptr<const gui::LoadedCapture> makeCapture(const std::vector<SyntheticEpisode>& episodes,
                                                      const QString& path) {
    auto analysis = std::make_shared<Analysis>();
    // Real interned keys, so that key names resolve like in a loaded capture.
    auto store = std::make_shared<EventStore>();
    store->setCpuCount(2);
    const std::uint32_t irqKey =
        store->irqActions.intern({36, store->strings.intern("virtio1-req.0")});
    const std::uint32_t workKey = store->addresses.intern(0xffffffff81234560ull);
    std::int64_t t = 1'000'000'000;
    for (std::size_t i = 0; i < episodes.size(); ++i, t += 1'000'000) {
        const SyntheticEpisode& e = episodes[i];
        const auto cpu = static_cast<std::uint16_t>(i % 2);
        Span irq;
        irq.kind = SpanKind::HardIrq;
        irq.key = irqKey;
        irq.cpu = cpu;
        irq.start = t;
        irq.end = t + e.irqDurationNs;
        Span work;
        work.kind = SpanKind::Workqueue;
        work.key = workKey;
        work.cpu = cpu;
        work.trigger = irq.end - 100;
        work.start = work.trigger + e.queueLatencyNs;
        work.end = work.start + e.workDurationNs;
        const auto irqId = static_cast<SpanId>(analysis->spans.size());
        analysis->spans.push_back(irq);
        analysis->spans.push_back(work);
        Episode episode;
        episode.hardIrq = irqId;
        episode.firstLink = static_cast<std::uint32_t>(analysis->links.size());
        episode.linkCount = 1;
        episode.end = work.end;
        episode.topHalfNs = e.irqDurationNs;
        episode.waitNs = e.queueLatencyNs;
        episode.runNs = e.workDurationNs;
        analysis->links.push_back({irqId + 1, LinkRole::WorkQueued, work.trigger});
        analysis->episodes.push_back(episode);
    }
    analysis->spanEpisodeOffsets.push_back(0);
    for (std::size_t s = 0; s < analysis->spans.size(); ++s) {
        analysis->spanEpisodes.push_back(static_cast<EpisodeId>(s / 2));
        analysis->spanEpisodeOffsets.push_back(
            static_cast<std::uint32_t>(analysis->spanEpisodes.size()));
    }
    auto capture = std::make_shared<gui::LoadedCapture>();
    capture->store = store;
    capture->analysis = analysis;
    capture->path = path;
    return capture;
}

} // namespace irqlens::test
