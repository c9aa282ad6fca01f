// How the CPU streams of a capture are shared out over loader threads.  A
// CPU that holds more than one thread's share (one busy CPU is common: the
// one taking the interrupts) is cut at page boundaries into pieces.
#pragma once

#include "parsers/tracedat/cpu_worker.h"

#include <cstdint>
#include <vector>

struct tracecmd_input;

namespace irqlens::tracedat {

// Splits the CPU streams of `handle` into `threads` shares of about equal
// size, cutting a stream at a page boundary where one CPU holds more than a
// share (into pieces of at least `minPieceBytes`).  Empty when no CPU has data.
std::vector<std::vector<StreamPiece>> planPieces(tracecmd_input* handle, int threads,
                                                 std::uint64_t minPieceBytes);

// Total bytes of the CPU streams.
std::uint64_t streamBytes(tracecmd_input* handle);

} // namespace irqlens::tracedat
