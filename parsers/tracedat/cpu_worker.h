// The loader threads: each takes the next piece of a CPU stream, reads its
// pages (PageReader) and decodes them (its own PageDecoder).  A piece that
// continues what is already in the store is decoded straight into the CPU's
// column; one that runs ahead of its predecessor is decoded aside and
// appended as soon as the pieces before it are in, so pieces held aside
// stay about one per thread and memory stays bounded by the store.
#pragma once

#include "core/model/event_store.h"
#include "parsers/tracedat/cpu_pages.h"
#include "parsers/tracedat/load_progress.h"
#include "parsers/tracedat/page_decoder.h"
#include "parsers/tracedat/stream_plan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace irqlens::tracedat {

struct WorkOutcome {
    std::vector<std::string> warnings; // damaged pages or chunks, read errors
    std::vector<std::int32_t> seenPids;
    std::uint64_t damagedPages = 0;
    bool cancelled = false;
    bool outOfMemory = false; // an allocation failed in a thread: the load stopped
};

// Decodes `pieces` of `plan` (read from `fd`) into `store` with one thread
// per decoder (the caller's thread runs the first).
WorkOutcome runPieces(int fd, const CpuDataPlan& plan, const std::vector<StreamPiece>& pieces,
                      const std::vector<PageDecoder*>& decoders, EventStore& store,
                      LoadProgressTracker& progress);

} // namespace irqlens::tracedat
