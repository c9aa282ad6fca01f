// One loader thread: iterates its CPUs' record streams through its own
// libtracecmd handle, one CPU at a time (each CPU's stream is already in time
// order, so no merge is needed), and appends straight into that CPU's columns.
#pragma once

#include "core/model/event_store.h"
#include "parsers/tracedat/event_decoder.h"
#include "parsers/tracedat/load_progress.h"

#include <cstdint>
#include <string>
#include <vector>

struct tracecmd_input;

namespace irqlens::tracedat {

struct CpuStream {
    int cpu = 0;
    std::uint64_t bytes = 0; // size of the CPU's data, for progress and thread balance
};

struct WorkerResult {
    std::vector<MissedEvents> missed; // in-stream "events lost" marks
    std::vector<std::int32_t> seenPids;
    bool failed = false; // libtracecmd reported an error
    bool cancelled = false;
};

WorkerResult loadCpuStreams(tracecmd_input* handle, const std::vector<CpuStream>& cpus,
                            const TypeTable& types, EventStore& store,
                            LoadProgressTracker& progress);

// Splits the CPU streams over `threads` groups of about equal size.
std::vector<std::vector<CpuStream>> balanceStreams(std::vector<CpuStream> streams, int threads);

} // namespace irqlens::tracedat
