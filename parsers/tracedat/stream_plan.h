// How the CPU streams of a capture are cut into pieces for the loader
// threads.  A piece is a run of whole pages of one CPU (whole chunks when
// compressed); the pieces of a stream are decoded by whichever thread is
// free and appended to the CPU's column in stream order, so one busy CPU
// (the one taking the interrupts) is spread over all threads.
#pragma once

#include "parsers/tracedat/cpu_pages.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace irqlens::tracedat {

struct StreamPiece {
    std::size_t stream = 0;  // index in CpuDataPlan::cpus
    int cpu = 0;             // the store column (CpuPages::column)
    std::uint64_t begin = 0; // offsets in the uncompressed stream
    std::uint64_t end = 0;
    std::uint64_t bytes() const { return end - begin; }
};

// Pieces of about `pieceBytes` (at least one page or chunk each), stream
// after stream, each stream's pieces in order.
std::vector<StreamPiece> planPieces(const CpuDataPlan& plan, std::uint64_t pieceBytes);

} // namespace irqlens::tracedat
