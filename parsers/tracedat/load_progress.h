// Progress and cancellation shared by the loader threads.  Threads report
// every few thousand events; the user's callback runs at most ~20 times a
// second and never from two threads at once.
#pragma once

#include "parsers/capture_loader.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace irqlens::tracedat {

class LoadProgressTracker {
public:
    LoadProgressTracker(const LoadOptions& options, std::uint64_t totalBytes)
        : options_(options), totalBytes_(totalBytes ? totalBytes : 1) {}

    // Adds a thread's work since its last call; false when the load was cancelled.
    bool add(std::uint64_t events, std::uint64_t bytes) {
        const std::uint64_t allEvents = events_.fetch_add(events) + events;
        const std::uint64_t allBytes = bytes_.fetch_add(bytes) + bytes;
        if (options_.progress) {
            maybeReport(allEvents, allBytes);
        }
        return !cancelled();
    }
    bool cancelled() const { return options_.cancel && options_.cancel->load(); }
    std::uint64_t events() const { return events_.load(); }

private:
    static constexpr std::chrono::milliseconds kInterval{50};

    void maybeReport(std::uint64_t events, std::uint64_t bytes) {
        std::unique_lock lock(reportMutex_, std::try_to_lock);
        if (!lock.owns_lock()) {
            return;
        }
        const auto now = std::chrono::steady_clock::now();
        if (now - lastReport_ < kInterval) {
            return;
        }
        lastReport_ = now;
        LoadProgress p;
        p.events = events;
        p.fraction = std::min(1.0, double(bytes) / double(totalBytes_));
        options_.progress(p);
    }

    const LoadOptions& options_;
    const std::uint64_t totalBytes_;
    std::atomic<std::uint64_t> events_{0};
    std::atomic<std::uint64_t> bytes_{0};
    std::mutex reportMutex_;
    std::chrono::steady_clock::time_point lastReport_{};
};

} // namespace irqlens::tracedat
