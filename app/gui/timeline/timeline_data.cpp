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

// The Print-kind events of every CPU from scanned[cpu] on (none scanned
// when no type is one); `scanned` then holds each CPU's event count.
void addPrintMarks(const EventStore& store, std::vector<std::vector<PrintMark>>& marks,
                   std::vector<std::size_t>& scanned) {
    std::vector<bool> isPrint;
    for (const auto& type : store.types()) {
        isPrint.push_back(type.kind == EventKind::Print);
    }
    const auto cpus = static_cast<std::size_t>(store.cpuCount());
    marks.resize(cpus);
    scanned.resize(cpus, 0);
    const bool any = std::find(isPrint.begin(), isPrint.end(), true) != isPrint.end();
    for (std::size_t cpu = 0; cpu < cpus; ++cpu) {
        const CpuEvents& events = store.cpu(static_cast<int>(cpu));
        for (std::size_t i = scanned[cpu]; any && i < events.size(); ++i) {
            if (isPrint[events.type(i)]) {
                marks[cpu].push_back({events.ts(i), static_cast<std::uint32_t>(i)});
            }
        }
        scanned[cpu] = events.size();
    }
}

std::vector<int> printCpusOf(const TimelineData& data) {
    std::vector<int> printCpus;
    for (std::size_t cpu = 0; cpu < data.printsByCpu.size(); ++cpu) {
        if (!data.printsByCpu[cpu].empty()) {
            printCpus.push_back(static_cast<int>(cpu));
        }
    }
    return printCpus;
}

void placeMissed(TimelineData& data, const EventStore& store) {
    data.missedByCpu.assign(static_cast<std::size_t>(store.cpuCount()), {});
    for (const auto& m : store.missed()) {
        if (m.ts >= 0 && m.cpu < data.missedByCpu.size()) {
            data.missedByCpu[m.cpu].push_back({m.ts, m.count});
        }
    }
    for (auto& marks : data.missedByCpu) {
        std::sort(marks.begin(), marks.end(),
                  [](const MissedMark& a, const MissedMark& b) { return a.ts < b.ts; });
    }
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
    addPrintMarks(*capture.store, data->printsByCpu, data->printsScanned);
    data->layout = TimelineLayout(*capture.store, *capture.analysis, printCpusOf(*data));
    data->order = EventOrder(*capture.store);
    placeMissed(*data, *capture.store);
    for (int cpu = 0; cpu < capture.store->cpuCount(); ++cpu) {
        data->eventSamples.emplace_back(capture.store->cpu(cpu));
    }
    data->buildSeconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    std::lock_guard lock(cacheMutex);
    std::erase_if(cache, [&](const CacheEntry& e) { return e.key == capture.store.get(); });
    cache.push_back({capture.store, capture.store.get(), capture.analysis.get(), data});
    return data;
}

void extendTimelineData(TimelineData& data, const EventStore& store, const Analysis& analysis,
                        std::span<const SpanId> changed, SpanId firstNew,
                        std::span<const std::size_t> taskFrom,
                        const std::vector<std::size_t>& orderLimits,
                        const std::vector<std::uint16_t>* orderRows) {
    addPrintMarks(store, data.printsByCpu, data.printsScanned);
    data.layout.extend(store, analysis, changed, firstNew, printCpusOf(data), taskFrom);
    if (orderRows) {
        data.order.append(store, *orderRows);
    } else {
        data.order.extend(store, orderLimits);
    }
    placeMissed(data, store);
    data.eventSamples.resize(static_cast<std::size_t>(store.cpuCount()));
    for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
        data.eventSamples[static_cast<std::size_t>(cpu)].extend(store.cpu(cpu));
    }
}

void rememberTimelineData(const LoadedCapture& capture, std::shared_ptr<const TimelineData> data) {
    std::lock_guard lock(cacheMutex);
    std::erase_if(cache, [&](const CacheEntry& e) {
        return e.store.expired() || e.key == capture.store.get();
    });
    cache.push_back({capture.store, capture.store.get(), capture.analysis.get(), std::move(data)});
}

} // namespace irqlens::gui
