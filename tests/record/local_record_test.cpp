// Local recording into trace.dat, checked against trace-cmd report and
// libtracecmd: counts, instance removal, SIGINT, SIGKILL + stale instance,
// clear errors.
#include "core/record/recorder.h"
#include "parsers/capture_loader.h"
#include "parsers/writer/tracedat_file_sink.h"
#include "tests/record/record_fixture.h"
#include "tests/record/report_counts.h"

#include <algorithm>
#include <fstream>
#include <signal.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <thread>
#include <unistd.h>

namespace irqlens {
namespace {

using test::RecordTest;

std::uint64_t count(const test::EventCounts& c, const std::string& event) {
    const auto it = c.byEvent.find(event);
    return it == c.byEvent.end() ? 0 : it->second;
}

bool instanceExists(const std::string& name) {
    const auto all = test::tracefsInstances();
    return std::find(all.begin(), all.end(), name) != all.end();
}

// The instance of recorder `pid` (irqlens-<pid>-<random>), or "".
std::string instanceOf(pid_t pid) {
    const std::string prefix = "irqlens-" + std::to_string(pid) + "-";
    for (const auto& name : test::tracefsInstances()) {
        if (name.starts_with(prefix)) {
            return name;
        }
    }
    return "";
}

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Per-event counts as irqlens's own loader sees the file.
test::EventCounts countWithLoader(const std::string& path) {
    test::EventCounts counts;
    auto loaded = loadCapture(path);
    if (!loaded.ok()) {
        counts.error = loaded.error;
        return counts;
    }
    const EventStore& store = *loaded.store;
    for (int c = 0; c < store.cpuCount(); ++c) {
        const CpuEvents& events = store.cpu(c);
        for (std::size_t i = 0; i < events.size(); ++i) {
            ++counts.byEvent[store.types()[events.type(i)].name];
            ++counts.total;
        }
    }
    for (const auto& m : store.missed())
        if (m.ts >= 0) {
            ++counts.lostMarkers;
            counts.lostEvents += m.count > 0 ? static_cast<std::uint64_t>(m.count) : 0;
        }
    counts.ok = true;
    return counts;
}

// Waits (on a loaded machine start-up can take seconds) until the record
// command `pid` says "recording into" on its stderr (`errFile`: start()
// succeeded), then lets it record for `seconds`.
bool waitUntilRecording(pid_t pid, const std::string& errFile, double seconds) {
    for (int i = 0; i < 600 && slurp(errFile).find("recording into") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(seconds * 1000)));
    return !instanceOf(pid).empty();
}

TEST_F(RecordTest, BottomHalvesUnderLoadMatchTraceCmdReport) {
    const std::string path = dir_ / "bh.dat";
    RecordOptions options;
    options.durationSeconds = 2;
    auto recorder = makeLocalRecorder(options);
    TraceDatFileSink sink(path);
    std::string error;
    test::LoadGenerator load(dir_);
    ASSERT_TRUE(recorder->start(sink, error)) << error;
    EXPECT_NE(instanceOf(::getpid()), "");
    int progressCalls = 0;
    const auto result = recorder->wait([&](const RecordCounters&) { ++progressCalls; });
    load.stop();
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_GE(progressCalls, 4);
    EXPECT_GT(load.diskBytes(), 0u);
    EXPECT_GT(load.netBytes(), 0u);
    EXPECT_EQ(instanceOf(::getpid()), "");

    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    const auto lib = test::countWithLibtracecmd(path);
    ASSERT_TRUE(lib.ok) << lib.error;
    // Our live counter, trace-cmd report and libtracecmd agree.
    EXPECT_EQ(report.total, result.counters.events);
    EXPECT_EQ(lib.total, result.counters.events);
    EXPECT_EQ(report.byEvent, lib.byEvent);
    EXPECT_EQ(report.lostEvents, result.counters.lost);
    const auto ours = countWithLoader(path);
    ASSERT_TRUE(ours.ok) << ours.error;
    EXPECT_EQ(ours.byEvent, report.byEvent);
    // The preset's events are there (disk I/O: hard IRQs; network: softirqs).
    EXPECT_GT(count(report, "irq_handler_entry"), 0u);
    EXPECT_GT(count(report, "softirq_entry"), 0u);
    EXPECT_GT(count(report, "sched_switch"), 0u);
    EXPECT_GT(count(report, "sched_wakeup"), 0u);
    EXPECT_GT(count(report, "workqueue_execute_start"), 0u);
    for (const auto& [event, n] : report.byEvent) {
        static const std::vector<std::string> expectedPrefixes{
            "irq_",     "softirq_",    "tasklet_",   "workqueue_",     "sched_",
            "ipi_",     "local_timer", "reschedule", "call_function",  "error_apic",
            "spurious", "thermal",     "threshold",  "deferred_error", "x86_platform",
            "irq_work", "reboot",      "vector_",    "kernel_stack"};
        const bool known = std::any_of(expectedPrefixes.begin(), expectedPrefixes.end(),
                                       [&](const std::string& p) { return event.starts_with(p); });
        EXPECT_TRUE(known) << "unexpected event " << event << " (" << n << ")";
    }
}

TEST_F(RecordTest, StacksPresetRecordsKernelStacks) {
    const std::string path = dir_ / "stacks.dat";
    RecordOptions options;
    options.preset = "stacks";
    options.durationSeconds = 1;
    auto recorder = makeLocalRecorder(options);
    TraceDatFileSink sink(path);
    std::string error;
    test::LoadGenerator load(dir_);
    ASSERT_TRUE(recorder->start(sink, error)) << error;
    const auto result = recorder->wait();
    load.stop();
    ASSERT_TRUE(result.ok) << result.error;
    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(count(report, "kernel_stack"), 0u);
    EXPECT_EQ(report.total, result.counters.events);
}

TEST_F(RecordTest, CpuMaskAndCustomEvents) {
    const std::string path = dir_ / "cpu0.dat";
    RecordOptions options;
    options.preset = "none";
    options.events = {"sched:sched_switch", "timer"};
    options.cpus = "0";
    options.durationSeconds = 1;
    options.bufferKb = 2048;
    auto recorder = makeLocalRecorder(options);
    TraceDatFileSink sink(path);
    std::string error;
    ASSERT_TRUE(recorder->start(sink, error)) << error;
    const auto result = recorder->wait();
    ASSERT_TRUE(result.ok) << result.error;
    const auto out = test::runCommand("trace-cmd report '" + path + "' 2>/dev/null");
    EXPECT_EQ(out.find("[001]"), std::string::npos) << "events of CPU 1 recorded";
    const auto report = test::countWithTraceCmdReport(path);
    EXPECT_GT(count(report, "sched_switch"), 0u);
    EXPECT_EQ(count(report, "irq_handler_entry"), 0u);
    EXPECT_EQ(report.total, result.counters.events);
    // The capture names the machine it was recorded on, as uname(2) does.
    utsname u{};
    ASSERT_EQ(::uname(&u), 0);
    EXPECT_NE(test::runCommand("trace-cmd report --uname '" + path + "' 2>/dev/null")
                  .find(std::string("Linux ") + u.nodename + " " + u.release + " " + u.machine),
              std::string::npos);
    auto loaded = loadCapture(path);
    ASSERT_TRUE(loaded.ok()) << loaded.error;
    EXPECT_EQ(loaded.store->info().kernel, u.release);
    EXPECT_EQ(loaded.store->info().machine, u.machine);
    EXPECT_EQ(loaded.store->info().hostname, u.nodename);
}

TEST_F(RecordTest, UnknownEventAndRefusedFunctionGraphAreClearErrors) {
    RecordOptions options;
    options.events = {"nosuchsystem:foo"};
    TraceDatFileSink sink(dir_ / "x.dat");
    std::string error;
    EXPECT_FALSE(makeLocalRecorder(options)->start(sink, error));
    EXPECT_NE(error.find("no event nosuchsystem:foo"), std::string::npos) << error;

    options.events = {"irq:*;touch /tmp/x"};
    error.clear();
    EXPECT_FALSE(makeLocalRecorder(options)->start(sink, error));
    EXPECT_NE(error.find("bad event"), std::string::npos) << error;

    const auto tracers = test::runCommand("cat /sys/kernel/tracing/available_tracers");
    if (tracers.find("function_graph") == std::string::npos) {
        RecordOptions graph;
        graph.preset = "funcgraph";
        TraceDatFileSink sink2(dir_ / "g.dat");
        error.clear();
        EXPECT_FALSE(makeLocalRecorder(graph)->start(sink2, error));
        EXPECT_NE(error.find("function_graph"), std::string::npos) << error;
    }
    EXPECT_EQ(instanceOf(::getpid()), "");
}

TEST_F(RecordTest, SigintMidRecordingGivesReadableFile) {
    const std::string path = dir_ / "sigint.dat";
    auto argv = test::recordCommand();
    argv.insert(argv.end(), {"-o", path});
    const pid_t pid = test::spawnProcess(argv, dir_ / "err.txt");
    ASSERT_GT(pid, 0);
    test::LoadGenerator load(dir_);
    EXPECT_TRUE(waitUntilRecording(pid, dir_ / "err.txt", 2));
    ::kill(pid, SIGINT);
    const int status = test::waitProcess(pid, 15);
    load.stop();
    const std::string err = slurp(dir_ / "err.txt");
    EXPECT_EQ(status, 0) << err;
    EXPECT_EQ(instanceOf(pid), "");
    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(report.total, 100u);
    // The CLI's final line states the same event count.
    EXPECT_NE(err.find(": " + std::to_string(report.total) + " events"), std::string::npos) << err;
}

TEST_F(RecordTest, KilledRecorderLeavesReadableFileAndStaleInstanceIsRemoved) {
    const std::string path = dir_ / "killed.dat";
    auto argv = test::recordCommand();
    argv.insert(argv.end(), {"-o", path});
    const pid_t pid = test::spawnProcess(argv, dir_ / "err.txt");
    ASSERT_GT(pid, 0);
    test::LoadGenerator load(dir_);
    EXPECT_TRUE(waitUntilRecording(pid, dir_ / "err.txt", 2));
    ::kill(pid, SIGKILL);
    test::waitProcess(pid, 5);
    load.stop();
    // No finalisation ran: OUT was never created, the partial file next to
    // it is readable, the instance stays.
    EXPECT_FALSE(std::filesystem::exists(path));
    std::string partial;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
        if (e.path().filename().string().starts_with("killed.partial-")) {
            partial = e.path().string();
        }
    }
    ASSERT_NE(partial, "");
    const auto report = test::countWithTraceCmdReport(partial);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(report.total, 0u);
    const std::string stale = instanceOf(pid);
    ASSERT_FALSE(stale.empty());

    RecordOptions options;
    options.durationSeconds = 0.2;
    auto recorder = makeLocalRecorder(options);
    TraceDatFileSink sink(dir_ / "next.dat");
    std::string error;
    ASSERT_TRUE(recorder->start(sink, error)) << error;
    EXPECT_FALSE(instanceExists(stale));
    const auto& w = recorder->warnings();
    EXPECT_TRUE(std::any_of(w.begin(), w.end(), [&](const std::string& s) {
        return s.find("removed stale tracefs instance " + stale) != std::string::npos;
    }));
    EXPECT_TRUE(recorder->wait().ok);
}

// `record -o EXISTING` refuses before anything else (exit 2, the file
// byte-identical); --force replaces it, once the new recording is complete.
TEST_F(RecordTest, CliNeverReplacesAnExistingFileWithoutForce) {
    const std::string path = dir_ / "precious.dat";
    { std::ofstream(path) << "an earlier capture\n"; }
    auto argv = test::recordCommand();
    argv.insert(argv.end(), {"-o", path, "--duration", "0.5", "-q"});
    pid_t pid = test::spawnProcess(argv, dir_ / "err.txt");
    EXPECT_EQ(test::waitProcess(pid, 60), 2) << slurp(dir_ / "err.txt");
    EXPECT_EQ(slurp(path), "an earlier capture\n");
    EXPECT_NE(slurp(dir_ / "err.txt").find("--force"), std::string::npos)
        << slurp(dir_ / "err.txt");

    argv.push_back("--force");
    pid = test::spawnProcess(argv, dir_ / "err.txt");
    EXPECT_EQ(test::waitProcess(pid, 120), 0) << slurp(dir_ / "err.txt");
    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(report.total, 0u);
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
        files += e.path().filename().string().starts_with("precious");
    }
    EXPECT_EQ(files, 1u) << "a partial file was left";
}

// A terminal closed (SIGHUP) or SIGTERM: stopped like Ctrl-C, so the file
// is finished (named, compacted, not a 64 GiB-per-CPU sparse file) and the
// instance removed.
TEST_F(RecordTest, SighupAndSigtermFinishTheFileLikeCtrlC) {
    for (const int sig : {SIGHUP, SIGTERM}) {
        const std::string path = dir_ / ("sig" + std::to_string(sig) + ".dat");
        auto argv = test::recordCommand();
        argv.insert(argv.end(), {"-o", path});
        const std::string err = dir_ / ("err" + std::to_string(sig) + ".txt");
        const pid_t pid = test::spawnProcess(argv, err);
        EXPECT_TRUE(waitUntilRecording(pid, err, 0.5));
        ::kill(pid, sig);
        EXPECT_EQ(test::waitProcess(pid, 60), 0) << sig << ": " << slurp(err);
        EXPECT_EQ(instanceOf(pid), "");
        struct stat st {};
        ASSERT_EQ(::stat(path.c_str(), &st), 0) << sig << ": the file was not finished";
        EXPECT_LT(st.st_size, std::int64_t{1} << 30) << "left sparse, not compacted";
        const auto report = test::countWithTraceCmdReport(path);
        ASSERT_TRUE(report.ok) << report.error;
        EXPECT_GT(report.total, 0u);
    }
}

// fsync() fails at the end (a disk that loses data): exit 1 with the reason,
// and what was written is kept.
TEST_F(RecordTest, CliFailsWhenTheDataDoesNotReachTheDisk) {
    const std::string preload =
        std::string(std::getenv("IRQLENS_BIN_DIR") ? std::getenv("IRQLENS_BIN_DIR") : ".") +
        "/irqlens_fail_fsync.so";
    if (!std::filesystem::exists(preload)) {
        GTEST_SKIP() << preload << " not built";
    }
    const std::string path = dir_ / "lost.dat";
    auto argv = test::recordCommand();
    argv.insert(argv.end(), {"-o", path, "--duration", "0.5", "-q"});
    ::setenv("LD_PRELOAD", preload.c_str(), 1);
    ::setenv("IRQLENS_FAIL_FSYNC", "lost.partial-", 1);
    ::setenv("ASAN_OPTIONS", "detect_leaks=0:verify_asan_link_order=0", 1);
    const pid_t pid = test::spawnProcess(argv, dir_ / "err.txt");
    ::unsetenv("LD_PRELOAD");
    ::unsetenv("IRQLENS_FAIL_FSYNC");
    EXPECT_EQ(test::waitProcess(pid, 120), 1) << slurp(dir_ / "err.txt");
    EXPECT_NE(slurp(dir_ / "err.txt").find("(fsync): Input/output error"), std::string::npos)
        << slurp(dir_ / "err.txt");
    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(report.total, 0u);
}

} // namespace
} // namespace irqlens
