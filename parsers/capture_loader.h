// Opens any capture irqlens reads, detecting the format from the content
// (never from the file name): trace.dat v6/v7, trace-cmd report text, the
// kernel's trace/trace_pipe text, function_graph text.
#pragma once

#include "core/model/event_store.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace irqlens {

struct LoadProgress {
    double fraction = 0;      // 0..1
    std::uint64_t events = 0; // decoded so far
};

struct LoadOptions {
    // Called from loader threads, at most ~20 times a second.
    std::function<void(const LoadProgress&)> progress;
    const std::atomic<bool>* cancel = nullptr; // set to true to stop; the result is then Cancelled
    int threads = 0;                           // 0: one per CPU stream, up to the machine's cores
};

struct LoadResult {
    enum class Status { Ok, Cancelled, Failed };
    Status status = Status::Failed;
    std::unique_ptr<EventStore> store; // set when Ok (warnings in store->info().warnings)
    std::string error;                 // one line naming the file and what is wrong
    double seconds = 0;                // wall time of the load
    bool ok() const { return status == Status::Ok; }
};

LoadResult loadCapture(const std::string& path, const LoadOptions& options = {});

} // namespace irqlens
