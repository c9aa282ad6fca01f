// trace.dat (v6, v7 with zstd/zlib) → EventStore, decoding the CPU streams
// in parallel on libtracecmd.
#pragma once

#include "parsers/capture_loader.h"

#include <cstdint>
#include <string>

namespace irqlens::tracedat {

// Knobs of the parallel load; the defaults suit real captures, tests lower
// them to exercise stream splitting on small files.
struct ReaderTuning {
    // Each extra thread opens the file again and libtracecmd parses the
    // capture's kallsyms on every open (~0.1 s for a 5 MB kallsyms): an
    // extra thread only pays off with this much event data per thread.
    std::uint64_t minBytesPerExtraThread = 32ull << 20;
    // A CPU stream is split over threads only into pieces at least this big
    // (the pieces after the first are copied once more when merged).
    std::uint64_t minPieceBytes = 4ull << 20;
};

LoadResult loadTraceDat(const std::string& path, const LoadOptions& options,
                        const ReaderTuning& tuning = {});

} // namespace irqlens::tracedat
