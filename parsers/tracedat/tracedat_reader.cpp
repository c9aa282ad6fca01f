#include "parsers/tracedat/tracedat_reader.h"

#include "parsers/tracedat/buffer_loader.h"
#include "parsers/tracedat/capture_info.h"
#include "parsers/tracedat/cpu_worker.h"
#include "parsers/tracedat/libtracecmd.h"
#include "parsers/tracedat/safe_open.h"
#include "parsers/tracedat/stream_plan.h"
#include "parsers/tracedat/tracedat_layout.h"
#include "parsers/tracedat/tracedat_source.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>
#include <malloc.h>
#include <thread>

namespace irqlens::tracedat {

namespace {

LoadResult failed(std::string error) {
    LoadResult r;
    r.status = LoadResult::Status::Failed;
    r.error = std::move(error);
    return r;
}

// libtracecmd and libtraceevent print their own warnings to stderr; we
// report problems ourselves, in one line.
void silenceLibraries() {
    tracecmd_set_loglevel(TEP_LOG_NONE);
    tep_set_loglevel(TEP_LOG_NONE);
}

int threadCount(const LoadOptions& options, const ReaderTuning& tuning, std::uint64_t totalBytes) {
    if (options.threads > 0) {
        return options.threads;
    }
    const auto worthwhile = static_cast<int>(
        1 + totalBytes / std::max<std::uint64_t>(tuning.minBytesPerExtraThread, 1));
    const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    return std::max(1, std::min(cores, worthwhile));
}

// Runs group 0 on `main` in this thread and every other group on a handle
// of its own (opened in its thread, without plugins: only raw fields are read).
std::vector<WorkerResult> runWorkers(const std::string& path, const Layout& layout,
                                     tracecmd_input* main, tracecmd_input* preopened,
                                     const std::vector<std::vector<StreamPiece>>& groups,
                                     const TypeTable& types, EventStore& store,
                                     LoadProgressTracker& progress) {
    std::vector<WorkerResult> results(groups.size());
    std::vector<std::thread> threads;
    for (std::size_t g = 1; g < groups.size(); ++g) {
        threads.emplace_back([&, g] {
            std::string error;
            tracecmd_input* own =
                g == 1 && preopened
                    ? preopened
                    : openTraceDat(path, TRACECMD_FL_LOAD_NO_PLUGINS, layout, error);
            if (!own) {
                results[g].failed = true;
                return;
            }
            results[g] = loadPieces(own, groups[g], types, store, progress);
            tracecmd_close(own);
        });
    }
    if (!groups.empty()) {
        results[0] = loadPieces(main, groups[0], types, store, progress);
    }
    for (auto& t : threads) {
        t.join();
    }
    return results;
}

// Kernel overruns not already reported by in-stream marks become unplaced marks.
void addOverrunMarks(EventStore& store) {
    const auto& overruns = store.info().overrunPerCpu;
    for (std::size_t cpu = 0; cpu < overruns.size() && cpu < std::size_t(store.cpuCount()); ++cpu) {
        std::int64_t inStream = 0;
        for (const MissedEvents& m : store.missed()) {
            inStream += m.cpu == cpu ? std::max<std::int64_t>(m.count, 0) : 0;
        }
        if (overruns[cpu] > inStream) {
            MissedEvents mark;
            mark.cpu = static_cast<std::uint16_t>(cpu);
            mark.count = overruns[cpu] - inStream;
            store.addMissed(mark);
        }
    }
}

void addWarnings(EventStore& store) {
    auto& warnings = store.info().warnings;
    for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
        if (const auto steps = store.cpu(cpu).backwardSteps()) {
            warnings.push_back("CPU " + std::to_string(cpu) + ": timestamps go backwards " +
                               std::to_string(steps) + " times");
        }
    }
    if (store.totalEvents() == 0) {
        warnings.push_back("the capture holds no events");
    }
}

// saved_cmdlines (written when the recording stopped) names the pids that
// no event named itself (sched_switch, sched_waking, ... carry comms).
void noteSavedCmdlines(tep_handle* tep, const std::vector<WorkerResult>& results,
                       EventStore& store) {
    std::vector<std::int32_t> pids;
    for (const auto& r : results) {
        pids.insert(pids.end(), r.seenPids.begin(), r.seenPids.end());
    }
    std::sort(pids.begin(), pids.end());
    pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
    for (std::int32_t pid : pids) {
        const char* comm = pid > 0 ? tep_data_comm_from_pid(tep, pid) : nullptr;
        if (comm && std::strcmp(comm, "<...>") != 0 && store.comms.latest(pid) == kNoString) {
            store.comms.noteInitial(pid, store.strings.intern(comm));
        }
    }
}

// Pieces that continue a CPU's stream go after its first piece, in order.
void appendPieces(std::vector<WorkerResult>& results, EventStore& store) {
    std::vector<PieceOutput*> pieces;
    for (auto& r : results) {
        for (auto& p : r.pieces) {
            pieces.push_back(&p);
        }
    }
    std::sort(pieces.begin(), pieces.end(), [](const PieceOutput* a, const PieceOutput* b) {
        return a->cpu != b->cpu ? a->cpu < b->cpu : a->begin < b->begin;
    });
    for (PieceOutput* p : pieces) {
        CpuEvents& column = store.cpuEventsMutable(p->cpu);
        const auto base = static_cast<std::uint32_t>(column.size());
        column.reserve(column.size() + p->events.size());
        for (std::size_t i = 0; i < p->events.size(); ++i) {
            column.append(p->events.at(i), p->offsets[i]);
        }
        for (MissedEvents m : p->missed) {
            m.eventIndex += base;
            store.addMissed(m);
        }
        p->events = CpuEvents();
        p->offsets = {};
    }
}

// After the threads: marks, warnings, the pieces, names and the finish.
void assembleStore(std::vector<WorkerResult>& results, tep_handle* tep, EventStore& store) {
    for (const auto& r : results) {
        for (const auto& m : r.missed) {
            store.addMissed(m);
        }
        auto& warnings = store.info().warnings;
        warnings.insert(warnings.end(), r.warnings.begin(), r.warnings.end());
    }
    appendPieces(results, store);
    noteSavedCmdlines(tep, results, store);
    addOverrunMarks(store);
    addWarnings(store);
    store.finish();
}

struct HandleCloser {
    void operator()(tracecmd_input* h) const { tracecmd_close(h); }
};

LoadResult loadChecked(const std::string& path, const Layout& layout, const LoadOptions& options,
                       const ReaderTuning& tuning) {
    // Loading reads raw fields only; the EventSource, which prints events,
    // opens its own handle with the print plugins.
    // A second thread will need its own handle: open it alongside the first
    // (each open parses the headers and kallsyms, ~0.08 s on big.dat).
    std::future<tracecmd_input*> second;
    if (threadCount(options, tuning, layout.dataBytes) > 1) {
        second = std::async(std::launch::async, [&path, &layout] {
            std::string ignored;
            return openTraceDat(path, TRACECMD_FL_LOAD_NO_PLUGINS, layout, ignored);
        });
    }
    std::string error;
    std::unique_ptr<tracecmd_input, HandleCloser> main(
        openTraceDat(path, TRACECMD_FL_LOAD_NO_PLUGINS, layout, error));
    std::unique_ptr<tracecmd_input, HandleCloser> preopened(second.valid() ? second.get()
                                                                           : nullptr);
    if (!main) {
        return failed(path + ": " + error);
    }
    auto store = std::make_unique<EventStore>();
    store->info().path = path;
    fillCaptureInfo(main.get(), layout, store->info());
    store->setCpuCount(tracecmd_cpus(main.get()));
    const TypeTable types = registerEventTypes(tracecmd_get_tep(main.get()), *store);

    const std::uint64_t totalBytes = streamBytes(main.get());
    LoadProgressTracker progress(options, totalBytes);
    const auto groups =
        planPieces(main.get(), threadCount(options, tuning, totalBytes), tuning.minPieceBytes);
    auto results =
        runWorkers(path, layout, main.get(), groups.size() > 1 ? preopened.release() : nullptr,
                   groups, types, *store, progress);

    if (progress.cancelled()) {
        LoadResult r;
        r.status = LoadResult::Status::Cancelled;
        r.error = path + ": loading cancelled";
        return r;
    }
    if (std::any_of(results.begin(), results.end(), [](const auto& r) { return r.failed; })) {
        return failed(path + ": libtracecmd failed while reading the event data");
    }
    ExtraBuffersResult extra = loadExtraBuffers(main.get(), types, *store);
    WorkerResult& extraResult = results.emplace_back();
    extraResult.seenPids = std::move(extra.seenPids);
    extraResult.warnings = std::move(extra.warnings);
    assembleStore(results, tracecmd_get_tep(main.get()), *store);
    store->setSource(std::make_unique<TraceDatSource>(path, layout, std::move(extra.columns)));
    main.reset();
    malloc_trim(0); // give the decompressed pages libtracecmd freed back to the system
    LoadResult r;
    r.status = LoadResult::Status::Ok;
    r.store = std::move(store);
    return r;
}

} // namespace

LoadResult loadTraceDat(const std::string& path, const LoadOptions& options,
                        const ReaderTuning& tuning) {
    const auto start = std::chrono::steady_clock::now();
    silenceLibraries();
    auto layout = inspectLayout(path);
    LoadResult result;
    if (const auto* problem = std::get_if<std::string>(&layout)) {
        result = failed(path + ": trace.dat " + *problem);
    } else if (const std::string why = prepareForLibtracecmd(path, std::get<Layout>(layout));
               !why.empty()) {
        result = failed(path + ": " + why);
    } else {
        result = loadChecked(path, std::get<Layout>(layout), options, tuning);
    }
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace irqlens::tracedat
