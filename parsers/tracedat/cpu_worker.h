// One loader thread: iterates its share of the CPU record streams through its
// own libtracecmd handle, one piece at a time (each CPU's stream is already
// in time order, so no merge sort is needed).  A piece is a CPU's whole
// stream or a run of its pages, so one busy CPU can be split over threads.
#pragma once

#include "core/model/event_store.h"
#include "parsers/tracedat/event_decoder.h"
#include "parsers/tracedat/load_progress.h"

#include <cstdint>
#include <string>
#include <vector>

struct tracecmd_input;

namespace irqlens::tracedat {

inline constexpr std::uint64_t kToTheEnd = ~std::uint64_t(0);

// Records of `cpu` whose libtracecmd offset lies in [begin, end).
struct StreamPiece {
    int cpu = 0;
    std::uint64_t begin = 0;     // page-aligned offset of the first record's page
    std::uint64_t end = 0;       // page-aligned; kToTheEnd for the stream's last piece
    bool first = false;          // starts the stream: decoded straight into the store
    std::uint64_t streamEnd = 0; // end of the CPU's whole stream
    std::uint64_t bytes() const { return (end == kToTheEnd ? streamEnd : end) - begin; }
};

// A piece that does not start its stream, decoded aside and appended to the
// store's column afterwards (with every record's offset, to place anchors).
struct PieceOutput {
    int cpu = 0;
    std::uint64_t begin = 0;
    CpuEvents events;
    std::vector<std::uint64_t> offsets;
    std::vector<MissedEvents> missed; // eventIndex relative to the piece
};

struct WorkerResult {
    std::vector<MissedEvents> missed; // in-stream "events lost" marks of first pieces
    std::vector<PieceOutput> pieces;
    std::vector<std::int32_t> seenPids;
    std::vector<std::string> warnings; // e.g. a stream that ended before its data did
    bool failed = false;               // libtracecmd reported an error
    bool cancelled = false;
};

WorkerResult loadPieces(tracecmd_input* handle, const std::vector<StreamPiece>& pieces,
                        const TypeTable& types, EventStore& store, LoadProgressTracker& progress);

} // namespace irqlens::tracedat
