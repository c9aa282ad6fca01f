#include "parsers/tracedat/stream_plan.h"

#include <algorithm>

namespace irqlens::tracedat {

namespace {

// Compressed streams can only be cut between chunks.
void cutChunks(const CpuPages& cpu, std::size_t stream, std::uint64_t pieceBytes,
               std::vector<StreamPiece>& pieces) {
    StreamPiece piece{stream, cpu.column, 0, 0};
    for (const Chunk& chunk : cpu.chunks) {
        piece.end = chunk.start + chunk.unpacked;
        if (piece.bytes() >= pieceBytes) {
            pieces.push_back(piece);
            piece.begin = piece.end;
        }
    }
    if (piece.end > piece.begin) {
        pieces.push_back(piece);
    }
}

void cutPages(const CpuPages& cpu, std::size_t stream, std::uint64_t pieceBytes,
              std::uint32_t pageSize, std::vector<StreamPiece>& pieces) {
    const std::uint64_t step = std::max<std::uint64_t>(pieceBytes / pageSize, 1) * pageSize;
    for (std::uint64_t at = 0; at < cpu.bytes; at += step) {
        pieces.push_back({stream, cpu.column, at, std::min(cpu.bytes, at + step)});
    }
}

} // namespace

std::vector<StreamPiece> planPieces(const CpuDataPlan& plan, std::uint64_t pieceBytes) {
    std::vector<StreamPiece> pieces;
    for (std::size_t s = 0; s < plan.cpus.size(); ++s) {
        const CpuPages& cpu = plan.cpus[s];
        if (cpu.bytes == 0) {
            continue;
        }
        if (!cpu.chunks.empty()) {
            cutChunks(cpu, s, pieceBytes, pieces);
        } else {
            cutPages(cpu, s, pieceBytes, plan.pageSize, pieces);
        }
    }
    return pieces;
}

} // namespace irqlens::tracedat
