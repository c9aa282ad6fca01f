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

struct StreamContext {
    EventDecoder& decoder;
    CpuEvents& events;
    LoadProgressTracker& progress;
    WorkerResult& result;
    int cpu = 0;
    std::uint64_t firstOffset = 0;
    std::uint64_t reportedBytes = 0;
    std::uint32_t sinceCheck = 0;

    bool report(std::uint64_t offset) {
        const std::uint64_t done = offset > firstOffset ? offset - firstOffset : 0;
        const std::uint64_t delta = done > reportedBytes ? done - reportedBytes : 0;
        reportedBytes += delta;
        const bool go = progress.add(sinceCheck, delta);
        sinceCheck = 0;
        return go;
    }
};

int onRecord(tracecmd_input*, tep_record* rec, int, void* data) {
    auto& ctx = *static_cast<StreamContext*>(data);
    if (ctx.events.empty()) {
        ctx.firstOffset = rec->offset;
    }
    if (rec->missed_events != 0) {
        MissedEvents mark;
        mark.cpu = static_cast<std::uint16_t>(ctx.cpu);
        mark.ts = static_cast<std::int64_t>(rec->ts);
        mark.count = rec->missed_events > 0 ? rec->missed_events : -1;
        mark.eventIndex = static_cast<std::uint32_t>(ctx.events.size());
        ctx.result.missed.push_back(mark);
    }
    ctx.events.append(ctx.decoder.decode(*rec), rec->offset);
    if (++ctx.sinceCheck == kCheckEvery && !ctx.report(rec->offset)) {
        ctx.result.cancelled = true;
        return -1;
    }
    return 0;
}

bool loadOneCpu(tracecmd_input* handle, const CpuStream& stream, StreamContext& ctx) {
    ctx.events.reserve(stream.bytes / kBytesPerEventGuess + 16);
    const int cpuCount = std::max(stream.cpu + 1, tracecmd_cpus(handle));
    cpu_set_t* set = CPU_ALLOC(cpuCount);
    const std::size_t setSize = CPU_ALLOC_SIZE(cpuCount);
    CPU_ZERO_S(setSize, set);
    CPU_SET_S(stream.cpu, setSize, set);
    const int ret = tracecmd_iterate_events(handle, set, static_cast<int>(setSize), onRecord, &ctx);
    CPU_FREE(set);
    if (!ctx.result.cancelled) {
        const std::uint64_t rest =
            stream.bytes > ctx.reportedBytes ? stream.bytes - ctx.reportedBytes : 0;
        ctx.result.cancelled = !ctx.progress.add(ctx.sinceCheck, rest);
        ctx.sinceCheck = 0;
    }
    return ret >= 0 || ctx.result.cancelled;
}

} // namespace

WorkerResult loadCpuStreams(tracecmd_input* handle, const std::vector<CpuStream>& cpus,
                            const TypeTable& types, EventStore& store,
                            LoadProgressTracker& progress) {
    WorkerResult result;
    EventDecoder decoder(tracecmd_get_tep(handle), types, store);
    for (const CpuStream& stream : cpus) {
        StreamContext ctx{decoder, store.cpuEventsMutable(stream.cpu), progress, result,
                          stream.cpu};
        if (!loadOneCpu(handle, stream, ctx)) {
            result.failed = true;
        }
        if (result.cancelled || result.failed) {
            break;
        }
    }
    result.seenPids = decoder.cache().seenPids();
    return result;
}

std::vector<std::vector<CpuStream>> balanceStreams(std::vector<CpuStream> streams, int threads) {
    threads = std::max(1, std::min<int>(threads, static_cast<int>(streams.size())));
    std::sort(streams.begin(), streams.end(),
              [](const CpuStream& a, const CpuStream& b) { return a.bytes > b.bytes; });
    std::vector<std::vector<CpuStream>> groups(static_cast<std::size_t>(threads));
    std::vector<std::uint64_t> load(groups.size(), 0);
    for (const CpuStream& s : streams) {
        const auto least = static_cast<std::size_t>(
            std::min_element(load.begin(), load.end()) - load.begin());
        groups[least].push_back(s);
        load[least] += s.bytes;
    }
    return groups;
}

} // namespace irqlens::tracedat
