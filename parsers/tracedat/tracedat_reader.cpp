#include "parsers/tracedat/tracedat_reader.h"

#include "parsers/tracedat/capture_headers.h"
#include "parsers/tracedat/capture_info.h"
#include "parsers/tracedat/cpu_pages.h"
#include "parsers/tracedat/cpu_worker.h"
#include "parsers/tracedat/libtracecmd.h"
#include "parsers/tracedat/page_source.h"
#include "parsers/tracedat/safe_open.h"
#include "parsers/tracedat/stream_plan.h"
#include "parsers/tracedat/tracedat_layout.h"
#include "parsers/tracedat/tracedat_source.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <new>
#include <thread>
#include <unistd.h>

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

// Pieces small enough to keep every thread busy to the end (and the pieces
// held aside small), big enough that each costs little to hand out.
std::uint64_t pieceBytes(const ReaderTuning& tuning, std::uint64_t totalBytes, int threads) {
    if (threads <= 1) {
        return ~std::uint64_t(0);
    }
    const std::uint64_t even = totalBytes / (std::uint64_t(threads) * 8);
    return std::max(tuning.minPieceBytes, std::min(even, tuning.maxPieceBytes));
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
void noteSavedCmdlines(tep_handle* tep, std::vector<std::int32_t> pids, EventStore& store) {
    std::sort(pids.begin(), pids.end());
    pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
    for (std::int32_t pid : pids) {
        const char* comm = pid > 0 ? tep_data_comm_from_pid(tep, pid) : nullptr;
        if (comm && std::strcmp(comm, "<...>") != 0 && store.comms.latest(pid) == kNoString) {
            store.comms.noteInitial(pid, store.strings.intern(comm));
        }
    }
}

// After the threads: warnings, names, marks and the finish.
void assembleStore(WorkOutcome& outcome, tep_handle* tep, EventStore& store) {
    auto& warnings = store.info().warnings;
    warnings.insert(warnings.end(), outcome.warnings.begin(), outcome.warnings.end());
    noteSavedCmdlines(tep, std::move(outcome.seenPids), store);
    addOverrunMarks(store);
    addWarnings(store);
    store.finish();
}

// A file cut inside its CPU data: which CPUs (store columns) lost their end.
void noteTruncation(const std::vector<CpuDataPlan>& plans, EventStore& store) {
    CaptureInfo& info = store.info();
    for (const CpuDataPlan& plan : plans) {
        if (plan.truncatedAt == 0) {
            continue;
        }
        info.truncatedAt = plan.truncatedAt;
        for (const CpuPages& cpu : plan.cpus) {
            if (cpu.cutShort) {
                info.cpusCut.push_back(cpu.column);
            }
        }
    }
}

// Ring-buffer records average 30-50 bytes; the store keeps 16 per event and
// the spans and episodes about as much again.
std::string notEnoughMemory(const std::string& path, std::uint64_t dataBytes) {
    const std::uint64_t events = dataBytes / 40;
    char gb[32];
    std::snprintf(gb, sizeof gb, "%.1f", double(events) * 34.0 / 1e9);
    return path + ": not enough memory: about " + std::to_string(events) + " events need about " +
           gb + " GB";
}

int storeCpuCount(const CaptureHeaders& headers, const CpuDataPlan& plan) {
    int count = headers.cpuCount();
    for (const CpuPages& cpu : plan.cpus) {
        count = std::max(count, cpu.cpu + 1);
    }
    return count;
}

struct FdCloser {
    int fd;
    ~FdCloser() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

// Events of the pages, decoded by `threads` decoders built here (their
// construction reads the formats, so it happens before the threads start).
WorkOutcome decodeAll(int fd, const CpuDataPlan& plan, const CaptureHeaders& headers,
                      const TypeTable& types, int threads, const ReaderTuning& tuning,
                      EventStore& store, LoadProgressTracker& progress) {
    const auto pieces = planPieces(plan, pieceBytes(tuning, plan.totalBytes, threads));
    threads = std::max(1, std::min<int>(threads, static_cast<int>(pieces.size())));
    std::vector<std::unique_ptr<PageDecoder>> owned;
    std::vector<PageDecoder*> decoders;
    for (int t = 0; t < threads; ++t) {
        owned.push_back(std::make_unique<PageDecoder>(headers.tep(), types, store, plan.pageSize,
                                                      headers.conversion()));
        decoders.push_back(owned.back().get());
    }
    return runPieces(fd, plan, pieces, decoders, store, progress);
}

// Every buffer's pages: the top buffer's plan first, then each extra
// buffer's (pages of its own size), one after the other.
WorkOutcome decodeBuffers(int fd, const std::vector<CpuDataPlan>& plans,
                          const CaptureHeaders& headers, const TypeTable& types,
                          const LoadOptions& options, const ReaderTuning& tuning, EventStore& store,
                          LoadProgressTracker& progress) {
    WorkOutcome all;
    for (const CpuDataPlan& plan : plans) {
        WorkOutcome one =
            decodeAll(fd, plan, headers, types, threadCount(options, tuning, plan.totalBytes),
                      tuning, store, progress);
        all.warnings.insert(all.warnings.end(), one.warnings.begin(), one.warnings.end());
        all.seenPids.insert(all.seenPids.end(), one.seenPids.begin(), one.seenPids.end());
        all.damagedPages += one.damagedPages;
        all.cancelled = one.cancelled;
        all.outOfMemory = one.outOfMemory;
        if (all.cancelled || all.outOfMemory) {
            break;
        }
    }
    return all;
}

// The CPU streams of the top buffer and of every extra buffer (trace-cmd
// record -B, v7 instances), whose CPUs get store columns after the top
// buffer's, named in CaptureInfo::buffers.  "" or why they cannot be read.
struct BufferPlans {
    std::vector<CpuDataPlan> plans; // [0]: the top buffer
    std::vector<BufferColumns> extraColumns;
    std::vector<ExtraBuffer> extraBuffers;
    int columns = 0;
    std::uint64_t totalBytes = 0;
};

std::string planBuffers(int fd, const Layout& layout, const CaptureHeaders& headers,
                        BufferPlans& out) {
    CpuDataPlan& top = out.plans.emplace_back();
    if (auto problem = describeCpuData(fd, layout, top); !problem.empty()) {
        return problem;
    }
    out.columns = storeCpuCount(headers, top);
    out.totalBytes = top.totalBytes;
    for (const BufferLayout& buffer : layout.buffers) {
        CpuDataPlan plan;
        if (auto problem =
                describeBufferData(fd, layout, buffer, out.columns, out.plans.front(), plan);
            !problem.empty()) {
            return problem;
        }
        int cpus = static_cast<int>(buffer.cpuData.size());
        for (const CpuDataRange& range : buffer.cpuData) {
            cpus = std::max(cpus, range.cpu + 1);
        }
        out.extraColumns.push_back({buffer.instance, out.columns, cpus});
        out.extraBuffers.push_back({buffer.name, out.columns, cpus});
        out.columns += cpus;
        out.totalBytes += plan.totalBytes;
        out.plans.push_back(std::move(plan));
    }
    return "";
}

LoadResult cancelledLoad(const std::string& path) {
    LoadResult r;
    r.status = LoadResult::Status::Cancelled;
    r.error = path + ": loading cancelled";
    return r;
}

// The details of single events: read again through libtracecmd where it
// can read the file; where it cannot (zlib, a cut-short file) or must not
// (damaged pages: it trusts page headers), found again in the pages the
// way the decoder found them.
void attachSource(const std::string& path, const Layout& layout,
                  std::unique_ptr<CaptureHeaders> headers, const WorkOutcome& outcome,
                  BufferPlans& buffers, EventStore& store) {
    if (outcome.damagedPages == 0 && headers->libtracecmdReadable()) {
        store.setSource(
            std::make_unique<TraceDatSource>(path, layout, std::move(buffers.extraColumns)));
    } else {
        store.setSource(
            std::make_unique<PageSource>(path, std::move(headers), std::move(buffers.plans)));
    }
}

LoadResult loadChecked(const std::string& path, const Layout& layout, const LoadOptions& options,
                       const ReaderTuning& tuning) {
    // libtracecmd (or our own reader) reads the headers; the pages are ours.
    FdCloser fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (fd.fd < 0) {
        return failed(path + ": cannot open: " + std::strerror(errno));
    }
    std::string error;
    auto headers = CaptureHeaders::open(path, fd.fd, layout, error);
    if (!headers) {
        return failed(path + ": trace.dat " + error);
    }
    BufferPlans buffers;
    if (auto problem = planBuffers(fd.fd, layout, *headers, buffers); !problem.empty()) {
        return failed(path + ": trace.dat " + problem);
    }
    auto store = std::make_unique<EventStore>();
    store->info().path = path;
    headers->fillInfo(layout, store->info());
    store->setCpuCount(buffers.columns);
    store->info().buffers = buffers.extraBuffers;
    tep_handle* tep = headers->tep();
    const TypeTable types = registerEventTypes(tep, *store);

    LoadProgressTracker progress(options, buffers.totalBytes);
    WorkOutcome outcome =
        decodeBuffers(fd.fd, buffers.plans, *headers, types, options, tuning, *store, progress);
    if (outcome.outOfMemory) {
        return failed(notEnoughMemory(path, buffers.totalBytes));
    }
    if (outcome.cancelled) {
        return cancelledLoad(path);
    }
    noteTruncation(buffers.plans, *store);
    if (!layout.recovered.empty()) {
        store->info().truncatedAt = layout.fileSize;
        store->info().warnings.push_back(layout.recovered);
    }
    for (const std::string& name : layout.buffersCut) {
        store->info().truncatedAt = layout.fileSize;
        store->info().warnings.push_back("buffer " + name +
                                         ": the file ends before its data; its events are missing");
    }
    assembleStore(outcome, tep, *store);
    if (const std::string cut = truncationWarning(*store); !cut.empty()) {
        store->info().warnings.insert(store->info().warnings.begin(), cut);
    }
    attachSource(path, layout, std::move(headers), outcome, buffers, *store);
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
    } else if (const std::string why = prepareHeaders(path, std::get<Layout>(layout));
               !why.empty()) {
        result = failed(path + ": " + why);
    } else {
        const Layout& checked = std::get<Layout>(layout);
        try {
            result = loadChecked(path, checked, options, tuning);
        } catch (const std::bad_alloc&) {
            result = failed(notEnoughMemory(path, std::max(checked.dataBytes, checked.fileSize)));
        }
    }
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace irqlens::tracedat
