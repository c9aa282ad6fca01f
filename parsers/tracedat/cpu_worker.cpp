#include "parsers/tracedat/cpu_worker.h"

#include "parsers/tracedat/libtracecmd.h"

#include <algorithm>
#include <sched.h>

namespace irqlens::tracedat {

namespace {

// Progress and cancellation are checked every this many events.
constexpr std::uint32_t kCheckEvery = 8192;
// A first guess of the column size from the stream's bytes (records are
// 24-64 bytes in the ring buffer); the columns are shrunk when done.
constexpr std::uint64_t kBytesPerEventGuess = 40;

struct PieceContext {
    EventDecoder& decoder;
    CpuEvents& events;
    std::vector<std::uint64_t>* offsets; // every record's offset (pieces only)
    std::vector<MissedEvents>& missed;
    LoadProgressTracker& progress;
    const StreamPiece& piece;
    std::uint64_t pageSize = 4096;
    std::uint64_t lastOffset = 0;
    std::uint64_t reportedBytes = 0;
    std::uint32_t sinceCheck = 0;
    bool reachedEnd = false;
    bool cancelled = false;

    bool report(std::uint64_t offset) {
        const std::uint64_t done = offset > piece.begin ? offset - piece.begin : 0;
        const std::uint64_t delta = done > reportedBytes ? done - reportedBytes : 0;
        reportedBytes += delta;
        const bool go = progress.add(sinceCheck, delta);
        sinceCheck = 0;
        return go;
    }
};

int take(PieceContext& ctx, const tep_record& rec) {
    if (rec.offset >= ctx.piece.end) {
        ctx.reachedEnd = true; // the next piece's first record: another thread's
        return -1;
    }
    if (rec.missed_events != 0) {
        MissedEvents mark;
        mark.cpu = static_cast<std::uint16_t>(ctx.piece.cpu);
        mark.ts = static_cast<std::int64_t>(rec.ts);
        mark.count = rec.missed_events > 0 ? rec.missed_events : -1;
        mark.eventIndex = static_cast<std::uint32_t>(ctx.events.size());
        ctx.missed.push_back(mark);
    }
    ctx.events.append(ctx.decoder.decode(rec), rec.offset);
    ctx.lastOffset = rec.offset;
    if (ctx.offsets) {
        ctx.offsets->push_back(rec.offset);
    }
    if (++ctx.sinceCheck == kCheckEvery && !ctx.report(rec.offset)) {
        ctx.cancelled = true;
        return -1;
    }
    return 0;
}

int onRecord(tracecmd_input*, tep_record* rec, int, void* data) {
    return take(*static_cast<PieceContext*>(data), *rec);
}

int iterateOneCpu(tracecmd_input* handle, int cpu, PieceContext& ctx) {
    const int cpuCount = std::max(cpu + 1, tracecmd_cpus(handle));
    cpu_set_t* set = CPU_ALLOC(cpuCount);
    const std::size_t setSize = CPU_ALLOC_SIZE(cpuCount);
    CPU_ZERO_S(setSize, set);
    CPU_SET_S(cpu, setSize, set);
    const int ret = tracecmd_iterate_events(handle, set, static_cast<int>(setSize), onRecord, &ctx);
    CPU_FREE(set);
    return ret;
}

// False when libtracecmd failed (not when the piece ended or was cancelled).
bool loadPiece(tracecmd_input* handle, PieceContext& ctx) {
    const StreamPiece& piece = ctx.piece;
    if (!piece.first) {
        // Start at the piece's page: read_at returns its first record.
        int cpu = -1;
        tep_record* first = tracecmd_read_at(handle, piece.begin, &cpu);
        if (!first || cpu != piece.cpu) {
            tracecmd_free_record(first);
            return false;
        }
        const int ret = take(ctx, *first);
        tracecmd_free_record(first);
        if (ret < 0) {
            return true;
        }
    }
    const int ret = iterateOneCpu(handle, piece.cpu, ctx);
    if (!ctx.cancelled) {
        const std::uint64_t size = piece.bytes();
        const std::uint64_t rest = size > ctx.reportedBytes ? size - ctx.reportedBytes : 0;
        ctx.cancelled = !ctx.progress.add(ctx.sinceCheck, rest);
        ctx.sinceCheck = 0;
    }
    return ret >= 0 || ctx.reachedEnd || ctx.cancelled;
}

// libtracecmd ends a stream quietly at a page or chunk it cannot read; the
// records after it would be lost without a word.
std::string earlyEndWarning(const PieceContext& ctx) {
    const StreamPiece& piece = ctx.piece;
    const std::uint64_t end = piece.begin + piece.bytes();
    const std::uint64_t reached = ctx.events.empty() ? piece.begin : ctx.lastOffset;
    if (ctx.cancelled || ctx.reachedEnd || reached + 2 * ctx.pageSize >= end) {
        return "";
    }
    return "CPU " + std::to_string(piece.cpu) + ": libtracecmd stopped reading at offset " +
           std::to_string(reached) + ", " + std::to_string(end - reached) +
           " bytes before the end of the CPU's data (damaged data?): later events are missing";
}

} // namespace

WorkerResult loadPieces(tracecmd_input* handle, const std::vector<StreamPiece>& pieces,
                        const TypeTable& types, EventStore& store, LoadProgressTracker& progress) {
    WorkerResult result;
    EventDecoder decoder(tracecmd_get_tep(handle), types, store);
    const auto pageSize = static_cast<std::uint64_t>(std::max(tracecmd_page_size(handle), 1));
    for (const StreamPiece& piece : pieces) {
        decoder.cache().startStream();
        PieceOutput* out = nullptr;
        if (!piece.first) {
            out = &result.pieces.emplace_back();
            out->cpu = piece.cpu;
            out->begin = piece.begin;
        }
        CpuEvents& events = out ? out->events : store.cpuEventsMutable(piece.cpu);
        events.reserve(piece.bytes() / kBytesPerEventGuess + 16);
        PieceContext ctx{decoder,
                         events,
                         out ? &out->offsets : nullptr,
                         out ? out->missed : result.missed,
                         progress,
                         piece,
                         pageSize};
        if (!loadPiece(handle, ctx)) {
            result.failed = true;
        }
        if (auto warning = earlyEndWarning(ctx); !warning.empty()) {
            result.warnings.push_back(std::move(warning));
        }
        if (ctx.cancelled || result.failed) {
            result.cancelled = ctx.cancelled;
            break;
        }
    }
    result.seenPids = decoder.cache().seenPids();
    return result;
}

} // namespace irqlens::tracedat
