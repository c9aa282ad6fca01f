#include "app/gui/timeline/timeline_data.h"

#include <QElapsedTimer>
#include <algorithm>
#include <mutex>
#include <vector>

namespace irqlens::gui {

namespace {
struct CacheEntry {
    std::weak_ptr<const EventStore> store;
    const EventStore* key = nullptr;
    std::shared_ptr<const TimelineData> data;
};
std::mutex cacheMutex;
std::vector<CacheEntry> cache;
} // namespace

std::shared_ptr<const TimelineData> timelineDataFor(const LoadedCapture& capture) {
    if (!capture.store || !capture.analysis) {
        return std::make_shared<TimelineData>();
    }
    {
        std::lock_guard lock(cacheMutex);
        // Forget captures nobody holds any more.
        std::erase_if(cache, [](const CacheEntry& e) { return e.store.expired(); });
        for (const auto& e : cache) {
            if (e.key == capture.store.get()) {
                return e.data;
            }
        }
    }
    QElapsedTimer timer;
    timer.start();
    auto data = std::make_shared<TimelineData>();
    data->layout = TimelineLayout(*capture.store, *capture.analysis);
    data->order = EventOrder(*capture.store);
    data->missedByCpu.resize(static_cast<std::size_t>(capture.store->cpuCount()));
    for (const auto& m : capture.store->missed()) {
        if (m.ts >= 0 && m.cpu < data->missedByCpu.size()) {
            data->missedByCpu[m.cpu].push_back({m.ts, m.count});
        }
    }
    for (int cpu = 0; cpu < capture.store->cpuCount(); ++cpu) {
        data->eventSamples.emplace_back(capture.store->cpu(cpu));
    }
    for (auto& marks : data->missedByCpu) {
        std::sort(marks.begin(), marks.end(),
                  [](const MissedMark& a, const MissedMark& b) { return a.ts < b.ts; });
    }
    data->buildSeconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    std::lock_guard lock(cacheMutex);
    cache.push_back({capture.store, capture.store.get(), data});
    return data;
}

} // namespace irqlens::gui
