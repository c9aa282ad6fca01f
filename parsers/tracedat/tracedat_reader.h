// trace.dat (v6, v7 with zstd/zlib) → EventStore, decoding the CPU streams
// in parallel with our own page decoder (libtracecmd reads the headers).
#pragma once

#include "parsers/capture_loader.h"

#include <cstdint>
#include <string>

namespace irqlens::tracedat {

// Knobs of the parallel load; the defaults suit real captures, tests lower
// them to exercise stream splitting on small files.
struct ReaderTuning {
    // A thread costs ~0.1 ms to start plus its decoder's set-up: an extra
    // thread only pays off with this much event data per thread.
    std::uint64_t minBytesPerExtraThread = 1ull << 20;
    // CPU streams are cut into pieces of (total / 8 per thread) bytes within
    // these bounds; a piece decoded ahead of its predecessor is held aside
    // (16 B/event) until that one is in the store.
    std::uint64_t minPieceBytes = 1ull << 20;
    std::uint64_t maxPieceBytes = 8ull << 20;
};

LoadResult loadTraceDat(const std::string& path, const LoadOptions& options,
                        const ReaderTuning& tuning = {});

} // namespace irqlens::tracedat
