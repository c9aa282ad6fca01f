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
    // A live recording shows its growing store with a new analysis per
    // picture: the store alone does not identify what was built.
    const Analysis* analysis = nullptr;
    std::shared_ptr<const TimelineData> data;
};
std::mutex cacheMutex;
std::vector<CacheEntry> cache;

// The Print-kind events of every CPU (none scanned when no type is one).
std::vector<std::vector<PrintMark>> printMarks(const EventStore& store) {
    std::vector<bool> isPrint;
    for (const auto& type : store.types()) {
        isPrint.push_back(type.kind == EventKind::Print);
    }
    std::vector<std::vector<PrintMark>> marks(static_cast<std::size_t>(store.cpuCount()));
    if (std::find(isPrint.begin(), isPrint.end(), true) == isPrint.end()) {
        return marks;
    }
    for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
        const CpuEvents& events = store.cpu(cpu);
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (isPrint[events.type(i)]) {
                marks[static_cast<std::size_t>(cpu)].push_back(
                    {events.ts(i), static_cast<std::uint32_t>(i)});
            }
        }
    }
    return marks;
}
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
            if (e.key == capture.store.get() && e.analysis == capture.analysis.get()) {
                return e.data;
            }
        }
    }
    QElapsedTimer timer;
    timer.start();
    auto data = std::make_shared<TimelineData>();
    data->printsByCpu = printMarks(*capture.store);
    std::vector<int> printCpus;
    for (std::size_t cpu = 0; cpu < data->printsByCpu.size(); ++cpu) {
        if (!data->printsByCpu[cpu].empty()) {
            printCpus.push_back(static_cast<int>(cpu));
        }
    }
    data->layout = TimelineLayout(*capture.store, *capture.analysis, printCpus);
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
    std::erase_if(cache, [&](const CacheEntry& e) { return e.key == capture.store.get(); });
    cache.push_back({capture.store, capture.store.get(), capture.analysis.get(), data});
    return data;
}

} // namespace irqlens::gui
