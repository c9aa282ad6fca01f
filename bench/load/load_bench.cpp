// irqlens-bench-load: how fast and how compact loading big.dat is, next to a
// plain serial libtracecmd iteration of the same file (the floor to beat) and
// KernelShark's loader, all measured in one run; each of those and
// `trace-cmd report` runs in a process of its own, so each peak RSS is its own.
//   irqlens-bench-load [FILE] [--runs N]     (default tests/data/big.dat)
// and `trace-cmd report FILE > /dev/null`.  bench/load/run.sh runs it on
// big.dat and on a 10 M-event capture it generates.
#include "bench/load/kshark_load.h"
#include "core/spans/span.h"
#include "parsers/capture_loader.h"
#include "parsers/tracedat/libtracecmd.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <malloc.h>
#include <spawn.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// VmHWM: the process's peak resident set so far.
std::size_t peakResidentBytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::stoul(line.substr(6)) * 1024;
        }
    }
    return 0;
}

std::size_t residentBytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

double processCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

struct Timing {
    std::vector<double> seconds;
    std::vector<double> cpu; // CPU time of all threads (the machine may be shared)
    std::uint64_t events = 0;
    double peakMb = 0; // peak RSS of the process that did it (tools run in a child)
    double best() const { return *std::min_element(seconds.begin(), seconds.end()); }
    double median() const {
        auto s = seconds;
        std::sort(s.begin(), s.end());
        return s[s.size() / 2];
    }
};

// The floor: open + iterate every record in time order, reading type and pid.
std::uint64_t rawIteration(const std::string& path) {
    struct Sink {
        tep_handle* tep;
        std::uint64_t events = 0;
        std::uint64_t checksum = 0;
    };
    tracecmd_input* handle = tracecmd_open(path.c_str(), 0);
    if (!handle) {
        return 0;
    }
    Sink sink{tracecmd_get_tep(handle)};
    tracecmd_iterate_events(
        handle, nullptr, 0,
        [](tracecmd_input*, tep_record* rec, int, void* data) {
            auto& s = *static_cast<Sink*>(data);
            s.checksum +=
                std::uint64_t(tep_data_type(s.tep, rec)) + std::uint64_t(tep_data_pid(s.tep, rec));
            ++s.events;
            return 0;
        },
        &sink);
    tracecmd_close(handle);
    return sink.checksum ? sink.events : 0;
}

// A measurement in a process of its own, started with posix_spawn (no copy
// of this process's memory, so the child's peak RSS is its own): `argv[0]`
// is run with stdout into a pipe; wait4 gives its peak RSS (with any
// process it waited for: trace-cmd under sh and timeout).
struct ChildRun {
    int status = -1;
    double seconds = 0; // wall, measured here
    double peakMb = 0;  // ru_maxrss
    std::string output; // its stdout
};

ChildRun runChild(const std::vector<std::string>& args) {
    ChildRun run;
    int out[2];
    if (pipe(out) != 0) {
        return run;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<char*> argv;
    for (const std::string& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    const auto start = Clock::now();
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (rc == 0) {
        char buf[4096];
        for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) {
            run.output.append(buf, static_cast<std::size_t>(n));
        }
        rusage usage{};
        if (wait4(pid, &run.status, 0, &usage) == pid) {
            run.seconds = secondsSince(start);
            run.peakMb = double(usage.ru_maxrss) * 1024 / 1e6;
        }
    }
    close(out[0]);
    return run;
}

// `trace-cmd report FILE > /dev/null`: what a user without irqlens runs;
// given up after 10 minutes (seconds -2).
ChildRun traceCmdReport(const std::string& path) {
    ChildRun run =
        runChild({"sh", "-c", "timeout 600 trace-cmd report \"$0\" > /dev/null 2>&1", path});
    if (WIFEXITED(run.status) && WEXITSTATUS(run.status) == 124) {
        run.seconds = -2;
    } else if (run.status != 0) {
        run.seconds = -1;
    }
    return run;
}

// The serial libtracecmd iteration or KernelShark's loader in a child
// (`irqlens-bench-load --child raw|kshark FILE`): prints "events seconds cpu".
struct ToolRun {
    bool ok = false;
    std::uint64_t events = 0;
    double seconds = 0;
    double cpu = 0;
    double peakMb = 0;
};

ToolRun runTool(const char* self, const char* tool, const std::string& path) {
    const ChildRun child = runChild({self, "--child", tool, path});
    ToolRun run;
    unsigned long long events = 0;
    if (child.status == 0 &&
        std::sscanf(child.output.c_str(), "%llu %lf %lf", &events, &run.seconds, &run.cpu) == 3) {
        run.ok = events > 0;
        run.events = events;
        run.peakMb = child.peakMb;
    }
    return run;
}

int childMain(const std::string& tool, const std::string& path) {
    const auto start = Clock::now();
    const double cpu = processCpuSeconds();
    std::uint64_t events = 0;
    if (tool == "raw") {
        events = rawIteration(path);
    } else {
        bench_kshark_result ks{};
        if (bench_kshark_load(path.c_str(), &ks) == 0) {
            events = std::uint64_t(ks.entries);
        }
    }
    std::printf("%llu %.6f %.6f\n", static_cast<unsigned long long>(events), secondsSince(start),
                processCpuSeconds() - cpu);
    std::fflush(stdout);
    return events > 0 ? 0 : 1;
}

struct IrqlensRun {
    double seconds = 0;
    double cpu = 0;     // all threads
    double mainCpu = 0; // the calling thread (opens the file, decodes the first share)
    std::uint64_t events = 0;
    double eventBytes = 0;        // per event
    double storeBytes = 0;        // per event
    double loadPeak = 0;          // process peak RSS right after the load (before analyze), bytes
    double rssGrowth = 0;         // per event, right after the load
    double rssKept = 0;           // per event, after malloc_trim
    double analyzeSeconds = 0;    // analyze(): spans and episodes on the loaded store
    double analyzeCpu = 0;        // its CPU time (one thread): fair on a shared machine
    double cliAnalyzeSeconds = 0; // analyze() without task runs, as irqlens-cli does
    double cliAnalyzeCpu = 0;
    std::size_t cliSpans = 0;
    std::size_t spans = 0;    // spans and task runs
    std::size_t taskRuns = 0; // Analysis::taskRuns
    std::size_t taskRunBytes = 0;
    std::size_t episodes = 0;
    double analysisBytes = 0; // per event
};

IrqlensRun irqlensLoad(const std::string& path) {
    malloc_trim(0);
    const std::size_t rssBefore = residentBytes();
    const auto start = Clock::now();
    const double cpu0 = processCpuSeconds();
    const double main0 = threadCpuSeconds();
    irqlens::LoadResult result = irqlens::loadCapture(path);
    IrqlensRun run;
    run.seconds = secondsSince(start);
    run.mainCpu = threadCpuSeconds() - main0;
    run.cpu = processCpuSeconds() - cpu0;
    run.loadPeak = double(peakResidentBytes());
    if (!result.ok()) {
        std::fprintf(stderr, "%s\n", result.error.c_str());
        std::exit(2);
    }
    const auto& store = *result.store;
    run.events = store.totalEvents();
    const double n = double(std::max<std::uint64_t>(run.events, 1));
    run.eventBytes = double(store.eventBytesUsed()) / n;
    run.storeBytes = double(store.bytesUsed()) / n;
    run.rssGrowth = double(residentBytes() - std::min(residentBytes(), rssBefore)) / n;
    malloc_trim(0); // what stays once freed heap pages went back to the system
    run.rssKept = double(residentBytes() - std::min(residentBytes(), rssBefore)) / n;
    {
        const auto analyzeStart = Clock::now();
        const double analyzeCpu0 = processCpuSeconds();
        const irqlens::Analysis analysis = irqlens::analyze(store);
        run.analyzeSeconds = secondsSince(analyzeStart);
        run.analyzeCpu = processCpuSeconds() - analyzeCpu0;
        run.spans = analysis.spans.size() + analysis.taskRuns.size();
        run.taskRuns = analysis.taskRuns.size();
        run.taskRunBytes = analysis.taskRuns.bytesUsed();
        run.episodes = analysis.episodes.size();
        run.analysisBytes = double(analysis.bytesUsed()) / n;
    }
    // The CLI's model: no task runs (irqlens-cli analyses without them).
    irqlens::AnalysisOptions cli;
    cli.taskSpans = false;
    const auto cliStart = Clock::now();
    const double cliCpu0 = processCpuSeconds();
    const irqlens::Analysis lean = irqlens::analyze(store, cli);
    run.cliAnalyzeSeconds = secondsSince(cliStart);
    run.cliAnalyzeCpu = processCpuSeconds() - cliCpu0;
    run.cliSpans = lean.spans.size();
    return run;
}

void printRow(const char* name, const Timing& t, double floor) {
    auto cpu = t.cpu;
    std::sort(cpu.begin(), cpu.end());
    std::printf("%-34s %8.3f %8.3f %10.2f %8.2fx", name, t.best(), t.median(),
                double(t.events) / t.best() / 1e6, t.best() / floor);
    if (cpu.empty()) {
        std::printf(" %9s", "-");
    } else {
        std::printf(" %9.3f", cpu[cpu.size() / 2]);
    }
    if (t.peakMb > 0) {
        std::printf(" %9.0f\n", t.peakMb);
    } else {
        std::printf(" %9s\n", "-");
    }
}

} // namespace

int main(int argc, char** argv) {
    std::string path;
    int runs = 3;
    bool haveKshark = true;
    std::uint64_t expected = 0;
    if (argc == 4 && std::strcmp(argv[1], "--child") == 0) {
        tracecmd_set_loglevel(TEP_LOG_NONE);
        tep_set_loglevel(TEP_LOG_NONE);
        return childMain(argv[2], argv[3]);
    }
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = std::max(1, std::atoi(argv[++i]));
        } else if (std::strcmp(argv[i], "--no-kshark") == 0) {
            haveKshark = false; // libkshark needs 48 B/entry plus libtracecmd's mappings
        } else if (std::strcmp(argv[i], "--expect") == 0 && i + 1 < argc) {
            expected = std::strtoull(argv[++i], nullptr, 10);
        } else {
            path = argv[i];
        }
    }
    if (path.empty()) {
        path = IRQLENS_TEST_DATA_DIR "/big.dat";
    }
    tracecmd_set_loglevel(TEP_LOG_NONE);
    tep_set_loglevel(TEP_LOG_NONE);

    Timing raw, irq, kshark, report;
    std::vector<IrqlensRun> irqRuns;
    bool reportGaveUp = false;
    // The other tools first, while this process is small: a child spawned
    // (vfork + exec) starts its peak RSS count from this process's peak.
    for (int r = 0; r < runs; ++r) {
        const ToolRun rawRun = runTool(argv[0], "raw", path);
        raw.events = rawRun.events;
        raw.seconds.push_back(rawRun.seconds);
        raw.cpu.push_back(rawRun.cpu);
        raw.peakMb = std::max(raw.peakMb, rawRun.peakMb);
        if (haveKshark) {
            const ToolRun ksRun = runTool(argv[0], "kshark", path);
            haveKshark = ksRun.ok;
            kshark.seconds.push_back(ksRun.seconds);
            kshark.cpu.push_back(ksRun.cpu);
            kshark.events = ksRun.events;
            kshark.peakMb = std::max(kshark.peakMb, ksRun.peakMb);
        }
        if (reportGaveUp) {
            continue;
        }
        if (const ChildRun rep = traceCmdReport(path); rep.seconds >= 0) {
            report.seconds.push_back(rep.seconds);
            report.peakMb = std::max(report.peakMb, rep.peakMb);
        } else if (rep.seconds == -2) {
            reportGaveUp = true;
        }
    }
    const std::size_t peakBefore = peakResidentBytes();
    std::size_t peakAfterLoad = 0;
    for (int r = 0; r < runs; ++r) {
        irqRuns.push_back(irqlensLoad(path));
        irq.cpu.push_back(irqRuns.back().cpu);
        irq.seconds.push_back(irqRuns.back().seconds);
        irq.events = irqRuns.back().events;
        if (r == 0) {
            peakAfterLoad = peakResidentBytes(); // the first run's load + analyze
        }
        malloc_trim(0);
    }
    report.events = irq.events;

    std::printf("%s: %llu events, %d runs, %u hardware threads\n", path.c_str(),
                static_cast<unsigned long long>(irq.events), runs,
                std::max(1u, unsigned(sysconf(_SC_NPROCESSORS_ONLN))));
    irq.peakMb = irqRuns.front().loadPeak / 1e6;
    std::printf("%-34s %8s %8s %10s %9s %9s %9s\n", "", "best s", "median s", "Mevents/s", "vs raw",
                "cpu s", "peak MB");
    printRow("libtracecmd serial iteration", raw, raw.best());
    printRow("irqlens loadCapture", irq, raw.best());
    if (haveKshark) {
        printRow("KernelShark kshark_load_entries", kshark, raw.best());
    }
    if (!report.seconds.empty()) {
        printRow("trace-cmd report > /dev/null", report, raw.best());
    } else if (reportGaveUp) {
        std::printf("%-34s skipped: still running after 10 minutes\n",
                    "trace-cmd report > /dev/null");
    }
    Timing analyzeTiming, ready;
    analyzeTiming.events = ready.events = irq.events;
    for (std::size_t i = 0; i < irqRuns.size(); ++i) {
        analyzeTiming.seconds.push_back(irqRuns[i].analyzeSeconds);
        analyzeTiming.cpu.push_back(irqRuns[i].analyzeCpu);
        ready.seconds.push_back(irqRuns[i].seconds + irqRuns[i].analyzeSeconds);
        ready.cpu.push_back(irqRuns[i].cpu + irqRuns[i].analyzeCpu);
    }
    ready.peakMb = double(peakAfterLoad) / 1e6;
    printRow("irqlens analyze (spans, episodes)", analyzeTiming, raw.best());
    printRow("irqlens load + analyze", ready, raw.best());
    Timing cliReady;
    cliReady.events = irq.events;
    for (const IrqlensRun& run : irqRuns) {
        cliReady.seconds.push_back(run.seconds + run.cliAnalyzeSeconds);
        cliReady.cpu.push_back(run.cpu + run.cliAnalyzeCpu);
    }
    printRow("  same, no task runs (CLI model)", cliReady, raw.best());
    const IrqlensRun& first = irqRuns.front();
    // On a shared machine wall times mostly measure the other processes; the
    // busiest thread's CPU time is what the load would take on idle cores.
    double critical = 1e9;
    for (const auto& run : irqRuns) {
        critical = std::min(critical, std::max(run.mainCpu, run.cpu - run.mainCpu));
    }
    auto rawCpu = raw.cpu;
    std::sort(rawCpu.begin(), rawCpu.end());
    std::printf("\nCPU-time view (independent of other load on the machine): irqlens busiest "
                "thread %.3f s vs serial libtracecmd %.3f s = %.2fx\n",
                critical, rawCpu.front(), critical / rawCpu.front());
    std::printf("\nanalyze: %zu spans (%zu without task runs), %zu episodes, %.2f bytes/event\n",
                first.spans, first.cliSpans, first.episodes, first.analysisBytes);
    std::printf("task runs: %zu in %.1f MB (%.2f bytes/run)\n", first.taskRuns,
                double(first.taskRunBytes) / 1e6,
                double(first.taskRunBytes) / double(std::max<std::size_t>(first.taskRuns, 1)));
    std::printf("irqlens store: %.2f bytes/event in event columns, %.2f bytes/event in all\n",
                first.eventBytes, first.storeBytes);
    std::printf("irqlens peak RSS of the first load alone: %.1f MB (%.2f bytes/event over the "
                "%.1f MB before it)\n",
                first.loadPeak / 1e6,
                (first.loadPeak - std::min(first.loadPeak, double(peakBefore))) /
                    double(std::max<std::uint64_t>(irq.events, 1)),
                double(peakBefore) / 1e6);
    std::printf("irqlens peak RSS of the first load + analyze: %.1f MB (%.2f bytes/event over the "
                "%.1f MB before it)\n",
                double(peakAfterLoad) / 1e6,
                double(peakAfterLoad - std::min(peakAfterLoad, peakBefore)) /
                    double(std::max<std::uint64_t>(irq.events, 1)),
                double(peakBefore) / 1e6);
    std::printf("irqlens RSS growth, first load: %.2f bytes/event right after it, %.2f after "
                "malloc_trim (what the store keeps)\n",
                first.rssGrowth, first.rssKept);
    if (haveKshark) {
        std::printf("KernelShark: irqlens load is %.2fx faster\n", kshark.best() / irq.best());
    }
    if (!report.seconds.empty()) {
        std::printf("trace-cmd report: irqlens load + analyze is %.2fx faster\n",
                    report.best() / ready.best());
    }
    if (haveKshark) {
        std::printf("irqlens load + analyze (ready model) is %.2fx faster than KernelShark's "
                    "loader\n",
                    kshark.best() / ready.best());
    }
    if (expected != 0) {
        std::printf("expected event count %llu: irqlens %s\n",
                    static_cast<unsigned long long>(expected),
                    irq.events == expected ? "equal" : "DIFFERENT");
    }
    if (raw.events != irq.events || (haveKshark && kshark.events != irq.events)) {
        std::printf("WARNING: event counts differ (raw %llu, kshark %llu)\n",
                    static_cast<unsigned long long>(raw.events),
                    static_cast<unsigned long long>(kshark.events));
    }
    std::printf("\npeak MB: the process's peak RSS (VmHWM / wait4 ru_maxrss); libtracecmd, "
                "KernelShark and trace-cmd report each run in a process of their own\n");
    return 0;
}
