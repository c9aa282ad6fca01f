// Local recording into trace.dat, checked against trace-cmd report and
// libtracecmd: counts, instance removal, SIGINT, SIGKILL + stale instance,
// clear errors.
#include "core/record/recorder.h"
#include "core/record/tracedat_file_sink.h"
#include "parsers/capture_loader.h"
#include "tests/record/record_fixture.h"
#include "tests/record/report_counts.h"

#include <algorithm>
#include <fstream>
#include <signal.h>
#include <sstream>
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

// Waits (on a loaded machine start-up can take seconds) until recorder
// `pid` has its instance, then lets it record for `seconds`.
bool waitUntilRecording(pid_t pid, int seconds) {
    const std::string name = "irqlens-" + std::to_string(pid);
    for (int i = 0; i < 300 && !instanceExists(name); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    return instanceExists(name);
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
    EXPECT_TRUE(instanceExists("irqlens-" + std::to_string(::getpid())));
    int progressCalls = 0;
    const auto result = recorder->wait([&](const RecordCounters&) { ++progressCalls; });
    load.stop();
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_GE(progressCalls, 4);
    EXPECT_GT(load.diskBytes(), 0u);
    EXPECT_GT(load.netBytes(), 0u);
    EXPECT_FALSE(instanceExists("irqlens-" + std::to_string(::getpid())));

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
    EXPECT_FALSE(instanceExists("irqlens-" + std::to_string(::getpid())));
}

TEST_F(RecordTest, SigintMidRecordingGivesReadableFile) {
    const std::string path = dir_ / "sigint.dat";
    auto argv = test::recordCommand();
    argv.insert(argv.end(), {"-o", path});
    const pid_t pid = test::spawnProcess(argv, dir_ / "err.txt");
    ASSERT_GT(pid, 0);
    test::LoadGenerator load(dir_);
    EXPECT_TRUE(waitUntilRecording(pid, 2));
    ::kill(pid, SIGINT);
    const int status = test::waitProcess(pid, 15);
    load.stop();
    const std::string err = slurp(dir_ / "err.txt");
    EXPECT_EQ(status, 0) << err;
    EXPECT_FALSE(instanceExists("irqlens-" + std::to_string(pid)));
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
    EXPECT_TRUE(waitUntilRecording(pid, 2));
    ::kill(pid, SIGKILL);
    test::waitProcess(pid, 5);
    load.stop();
    // No finalisation ran: the file is still readable, the instance stays.
    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(report.total, 0u);
    const std::string stale = "irqlens-" + std::to_string(pid);
    ASSERT_TRUE(instanceExists(stale));

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

} // namespace
} // namespace irqlens
