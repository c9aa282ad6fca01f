// Remote recording over ssh against a throwaway sshd on loopback: same file
// as trace-cmd report and irqlens's loader see it, clear errors, hostile
// strings, a connection dropped mid-recording.
#include "core/record/recorder.h"
#include "core/record/remote_recorder.h"
#include "core/record/shell_quote.h"
#include "core/record/ssh_connection.h"
#include "core/record/tracedat_file_sink.h"
#include "parsers/capture_loader.h"
#include "tests/record/record_fixture.h"
#include "tests/record/report_counts.h"
#include "tests/record/sshd_fixture.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <netinet/in.h>
#include <signal.h>
#include <sstream>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace irqlens {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Pids of the processes reading tracefs instance `name` (the remote
// readers: their command lines name the instance's per_cpu files).
std::vector<pid_t> readersOf(const std::string& name) {
    std::vector<pid_t> pids;
    const std::string pattern = "instances/" + name + "/per_cpu/";
    for (const auto& entry : fs::directory_iterator("/proc")) {
        const std::string pid = entry.path().filename().string();
        if (pid.find_first_not_of("0123456789") == std::string::npos &&
            slurp(entry.path() / "cmdline").find(pattern) != std::string::npos) {
            pids.push_back(static_cast<pid_t>(std::stol(pid)));
        }
    }
    return pids;
}

// Seconds a child took to exit (it is killed after `limit`).
double secondsUntilExit(pid_t pid, int limit, int& status) {
    const auto begin = std::chrono::steady_clock::now();
    status = test::waitProcess(pid, limit);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

class RemoteRecordTest : public test::RecordTest {
protected:
    void SetUp() override {
        test::RecordTest::SetUp();
        if (IsSkipped())
            return;
        sshd_ = std::make_unique<test::LoopbackSshd>(dir_);
        if (!sshd_->error().empty())
            GTEST_SKIP() << sshd_->error();
        useConfig(sshd_->goodConfig());
    }
    void TearDown() override {
        sshd_.reset();
        ::unsetenv("IRQLENS_SSH_CONFIG");
        test::RecordTest::TearDown();
    }
    static void useConfig(const std::string& config) {
        ::setenv("IRQLENS_SSH_CONFIG", config.c_str(), 1);
    }
    std::string startError(const std::string& destination, RecordOptions options = {}) {
        std::string error;
        auto recorder = makeRemoteRecorder(options, destination, error);
        if (!recorder)
            return error;
        TraceDatFileSink sink(dir_ / "err.dat");
        if (recorder->start(sink, error))
            return "started";
        return error;
    }
    // An irqlens-PID instance made through this test's sshd: PID is one of its
    // sessions, or dead (left behind).  Recorders of other processes on the
    // machine (a developer's GUI, another suite) do not count.
    bool anyIrqlensInstance() const {
        const auto all = test::tracefsInstances();
        return std::any_of(all.begin(), all.end(), [this](const std::string& n) {
            if (!n.starts_with("irqlens-"))
                return false;
            const pid_t pid = static_cast<pid_t>(std::atol(n.c_str() + 8));
            return pid <= 0 || ::kill(pid, 0) != 0 || sshd_->ownsProcess(pid);
        });
    }
    // The irqlens-* instances made through this test's sshd (see above).
    std::vector<std::string> ourInstances() const {
        std::vector<std::string> names;
        for (const auto& n : test::tracefsInstances()) {
            if (n.starts_with("irqlens-") && sshd_->ownsProcess(std::atoi(n.c_str() + 8))) {
                names.push_back(n);
            }
        }
        return names;
    }
    // Replaces the sshd with one that runs `filter` before every command.
    void restartSshd(const std::string& filter) {
        sshd_.reset();
        sshd_ = std::make_unique<test::LoopbackSshd>(dir_ / "filtered", filter);
        ASSERT_EQ(sshd_->error(), "");
        useConfig(sshd_->goodConfig());
    }
    // Makes the target's dd one that cannot read non-blocking (as busybox's),
    // which logs its arguments to dd.log; `extra` runs first (sh, "$*" the
    // arguments).  The recorder then uses its busybox reader against this
    // machine's real tracefs.
    void targetWithoutNonblockingDd(const std::string& extra = "") {
        const fs::path bin = dir_ / "bin";
        fs::create_directories(bin);
        std::ofstream(bin / "dd") << "#!/bin/sh\ncase \"$*\" in *nonblock*) exit 1;; esac\n"
                                  << "echo \"$*\" >> " << (dir_ / "dd.log").string() << "\n"
                                  << extra << "\nexec /bin/dd \"$@\"\n";
        fs::permissions(bin / "dd", fs::perms::owner_all | fs::perms::group_read |
                                        fs::perms::group_exec | fs::perms::others_read |
                                        fs::perms::others_exec);
        restartSshd("PATH=" + bin.string() + ":$PATH; export PATH");
    }
    // dd.log's lines that read a trace_pipe_raw.
    std::vector<std::string> pipeReads() const {
        std::istringstream lines(slurp(dir_ / "dd.log"));
        std::vector<std::string> reads;
        for (std::string line; std::getline(lines, line);) {
            if (line.find("trace_pipe_raw") != std::string::npos) {
                reads.push_back(line);
            }
        }
        return reads;
    }
    std::unique_ptr<test::LoopbackSshd> sshd_;
};

TEST_F(RemoteRecordTest, RecordsOverSshLikeLocally) {
    const std::string path = dir_ / "remote.dat";
    RecordOptions options;
    options.durationSeconds = 2;
    std::string error;
    auto recorder = makeRemoteRecorder(options, sshd_->destination(), error);
    ASSERT_TRUE(recorder) << error;
    TraceDatFileSink sink(path);
    test::LoadGenerator load(dir_);
    ASSERT_TRUE(recorder->start(sink, error)) << error;
    EXPECT_TRUE(anyIrqlensInstance());
    const auto result = recorder->wait();
    load.stop();
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_TRUE(result.error.empty()) << result.error;
    EXPECT_FALSE(anyIrqlensInstance()) << "the remote instance was not removed";

    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_EQ(report.total, result.counters.events);
    EXPECT_GT(report.byEvent.count("irq_handler_entry"), 0u);
    EXPECT_GT(report.byEvent.count("sched_switch"), 0u);
    const auto lib = test::countWithLibtracecmd(path);
    EXPECT_EQ(lib.byEvent, report.byEvent);
    // Everything the target's kernel handed to the readers arrived.
    EXPECT_EQ(test::storedReadEvents(path), std::optional<std::uint64_t>(report.total));
    auto loaded = loadCapture(path);
    ASSERT_TRUE(loaded.ok()) << loaded.error;
    EXPECT_EQ(loaded.store->totalEvents(), report.total);
}

// A script longer than a command line may be (dropbear drops ~9000 bytes)
// reaches the target through stdin and runs with stdin at EOF.
TEST_F(RemoteRecordTest, LongScriptsGoThroughStdin) {
    std::string error;
    auto destination = parseSshDestination(sshd_->destination(), error);
    ASSERT_TRUE(destination) << error;
    SshConnection ssh(*destination);
    ASSERT_TRUE(ssh.open(error)) << error;
    std::string script = "printf '%s' \"$X\" ; cat; echo end\n";
    std::string expected;
    for (int i = 0; i < 5000; ++i) {
        script += "X=\"${X}" + std::to_string(i % 10) + "\"\n";
        expected += std::to_string(i % 10);
    }
    script =
        "set -e\n" + script.substr(script.find('\n') + 1) + "printf '%s' \"$X\"; cat; echo end\n";
    ASSERT_GT(script.size(), 4 * kLongCommandBytes);
    std::string out, err;
    EXPECT_EQ(ssh.run(script, out, err, 30), 0) << err;
    EXPECT_EQ(out, expected + "end\n");
    EXPECT_EQ(ssh.run("echo short; exit 3", out, err, 30), 3);
    EXPECT_EQ(out, "short\n");
    ssh.close();
}

TEST_F(RemoteRecordTest, CliRecordsRemotely) {
    const std::string path = dir_ / "cli.dat";
    auto argv = test::recordCommand();
    argv.insert(argv.end(), {"-o", path, "--duration", "1", "--remote", sshd_->destination(), "-e",
                             "timer:hrtimer_start"});
    const pid_t pid = test::spawnProcess(argv, dir_ / "err.txt");
    EXPECT_EQ(test::waitProcess(pid, 120), 0)
        << test::runCommand("cat " + (dir_ / "err.txt").string());
    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(report.total, 0u);
    EXPECT_GT(report.byEvent.count("hrtimer_start"), 0u);

    auto bad = test::recordCommand();
    bad.insert(bad.end(), {"-o", (dir_ / "bad.dat").string(), "--remote", "-oProxyCommand=sh"});
    const pid_t badPid = test::spawnProcess(bad, dir_ / "bad.txt");
    EXPECT_EQ(test::waitProcess(badPid, 30), 2);
    EXPECT_NE(test::runCommand("cat " + (dir_ / "bad.txt").string()).find("bad host name"),
              std::string::npos);
}

TEST_F(RemoteRecordTest, ConnectionProblemsAreNamed) {
    const std::string closedPort = "root@127.0.0.1:" + std::to_string(test::freeLoopbackPort());
    EXPECT_NE(startError(closedPort).find("unreachable"), std::string::npos)
        << startError(closedPort);

    useConfig(sshd_->wrongKeyConfig());
    const auto auth = startError(sshd_->destination());
    EXPECT_NE(auth.find("authentication failed"), std::string::npos) << auth;

    useConfig(sshd_->unknownHostConfig());
    const auto hostKey = startError(sshd_->destination());
    EXPECT_NE(hostKey.find("host key"), std::string::npos) << hostKey;

    useConfig(sshd_->goodConfig());
    RecordOptions bad;
    bad.events = {"nosuch:event"};
    const auto noEvent = startError(sshd_->destination(), bad);
    EXPECT_NE(noEvent.find("no event nosuch:event"), std::string::npos) << noEvent;
    EXPECT_FALSE(anyIrqlensInstance());
}

TEST_F(RemoteRecordTest, HostileStringsNeverReachAShell) {
    const fs::path marker = dir_ / "pwned";
    const std::string touch = "touch " + marker.string();
    const std::vector<std::string> hosts{"-oProxyCommand=" + touch,
                                         "127.0.0.1;" + touch,
                                         "$(" + touch + ")",
                                         "a b",
                                         "`" + touch + "`",
                                         "root@-oProxyCommand=x",
                                         "host:22;" + touch,
                                         "[::1]:22" + touch,
                                         ""};
    for (const auto& host : hosts) {
        std::string error;
        EXPECT_FALSE(makeRemoteRecorder({}, host, error)) << host;
        EXPECT_FALSE(error.empty()) << host;
    }
    RecordOptions options;
    options.events = {"irq:*;" + touch};
    EXPECT_NE(startError(sshd_->destination(), options).find("bad event"), std::string::npos);
    options.events = {"irq:$(" + touch + ")"};
    EXPECT_NE(startError(sshd_->destination(), options).find("bad event"), std::string::npos);
    // Module names (function graph) and CPU lists reach the target's shell
    // only quoted, or not at all.
    RecordOptions graph;
    graph.preset = "funcgraph";
    graph.modules = {"x'; " + touch + "; '", "$(" + touch + ")"};
    startError(sshd_->destination(), graph);
    RecordOptions cpus;
    cpus.cpus = "0;" + touch;
    EXPECT_NE(startError(sshd_->destination(), cpus).find("bad CPU list"), std::string::npos);
    EXPECT_FALSE(fs::exists(marker));
    // The quoting itself survives a real shell for any hostile text.
    const std::vector<std::string> texts{
        "a'b",     "'; " + touch + "; '", "$(" + touch + ")", "\\\"'\n`x`",
        "'\"'\"'", "${IFS}*?[a]~-e",      "\t\r\x01\x7f\xff"};
    for (const auto& text : texts) {
        EXPECT_EQ(test::runCommand("printf %s " + shellQuote(text)), text);
    }
    EXPECT_FALSE(fs::exists(marker));
}

TEST_F(RemoteRecordTest, DroppedConnectionKeepsWhatArrived) {
    const std::string path = dir_ / "dropped.dat";
    RecordOptions options; // no duration: ends when the link drops
    std::string error;
    auto recorder = makeRemoteRecorder(options, sshd_->destination(), error);
    ASSERT_TRUE(recorder) << error;
    TraceDatFileSink sink(path);
    test::LoadGenerator load(dir_);
    ASSERT_TRUE(recorder->start(sink, error)) << error;
    std::this_thread::sleep_for(std::chrono::seconds(2));
    sshd_->dropConnections();
    const auto result = recorder->wait();
    load.stop();
    EXPECT_TRUE(result.ok);
    EXPECT_NE(result.error.find("connection dropped"), std::string::npos) << result.error;
    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(report.total, 0u);
    EXPECT_EQ(report.total, result.counters.events);

    // The instance left behind is stale: the next recording removes it.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    RecordOptions next;
    next.durationSeconds = 0.3;
    auto again = makeRemoteRecorder(next, sshd_->destination(), error);
    TraceDatFileSink sink2(dir_ / "next.dat");
    ASSERT_TRUE(again->start(sink2, error)) << error;
    EXPECT_TRUE(again->wait().ok);
    EXPECT_FALSE(anyIrqlensInstance());
}

// irqlens killed outright mid-recording: the readers on the target end by
// themselves (their holder is gone), and the next start removes the
// instance left behind.
TEST_F(RemoteRecordTest, KilledRecorderLeavesNoReaderAndNoInstanceAfterTheNextStart) {
    auto argv = test::recordCommand();
    argv.insert(argv.end(),
                {"-o", (dir_ / "killed.dat").string(), "--remote", sshd_->destination(), "-q"});
    const pid_t pid = test::spawnProcess(argv, dir_ / "err.txt");
    std::string instance;
    for (int i = 0; i < 600 && (instance.empty() || readersOf(instance).empty()); ++i) {
        const auto ours = ourInstances();
        instance = ours.empty() ? "" : ours.front();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_NE(instance, "") << slurp(dir_ / "err.txt");
    ASSERT_FALSE(readersOf(instance).empty());
    std::this_thread::sleep_for(std::chrono::seconds(1));
    ::kill(pid, SIGKILL);
    test::waitProcess(pid, 10);
    // Within a few rounds of their loop the readers notice and end.
    for (int i = 0; i < 100 && !readersOf(instance).empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(readersOf(instance).empty()) << "readers outlived the recorder";

    RecordOptions next;
    next.durationSeconds = 0.3;
    std::string error;
    auto again = makeRemoteRecorder(next, sshd_->destination(), error);
    TraceDatFileSink sink(dir_ / "next.dat");
    ASSERT_TRUE(again->start(sink, error)) << error;
    const auto instances = test::tracefsInstances();
    EXPECT_EQ(std::count(instances.begin(), instances.end(), instance), 0) << "stale instance kept";
    EXPECT_TRUE(readersOf(instance).empty());
    const auto& w = again->warnings();
    EXPECT_TRUE(std::any_of(w.begin(), w.end(), [&](const std::string& line) {
        return line.find("removed stale tracefs instance instances/" + instance) !=
               std::string::npos;
    }));
    EXPECT_TRUE(again->wait().ok);
    for (pid_t reader : readersOf(instance)) {
        ::kill(reader, SIGKILL); // ours (our sshd's instance): never leave them running
    }
}

// A sink that counts pages delivered after `closed` was set.
class CountingSink : public TraceSink {
public:
    explicit CountingSink(const fs::path& path) : inner_(path.string()) {}
    bool begin(const TraceMetadata& m, std::string& e) override { return inner_.begin(m, e); }
    bool pages(int cpu, const void* data, std::size_t bytes) override {
        ++pages_;
        if (closed) {
            ++late;
        }
        return inner_.pages(cpu, data, bytes);
    }
    void cpuStats(int cpu, const std::string& s) override { inner_.cpuStats(cpu, s); }
    bool end(const std::string& c, std::string& e) override { return inner_.end(c, e); }
    std::string lastError() const override { return inner_.lastError(); }
    std::atomic<bool> closed{false};
    std::atomic<int> late{0};
    std::atomic<int> pages_{0};

private:
    TraceDatFileSink inner_;
};

// The target refuses to switch tracing on: start() fails after the readers
// started.  It returns with nothing left: no reader writes into the sink
// any more, no instance, no reader, no ssh process.
TEST_F(RemoteRecordTest, FailedStartLeavesNothingBehind) {
    restartSshd(
        R"(case "$SSH_ORIGINAL_COMMAND" in "echo 1 > "*tracing_on*) sleep 1; exit 1;; esac)");
    RecordOptions options;
    std::string error;
    auto recorder = makeRemoteRecorder(options, sshd_->destination(), error);
    ASSERT_TRUE(recorder) << error;
    CountingSink sink(dir_ / "failed.dat");
    test::LoadGenerator load(dir_);
    EXPECT_FALSE(recorder->start(sink, error));
    sink.closed = true;
    EXPECT_NE(error.find("cannot switch tracing on"), std::string::npos) << error;
    EXPECT_TRUE(ourInstances().empty()) << "instance left until the recorder is destroyed";
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    load.stop();
    EXPECT_EQ(sink.late.load(), 0) << "a reader wrote into the sink after start() returned";
    EXPECT_EQ(test::sshChildrenOf(::getpid()), 0) << "ssh processes left running";
    EXPECT_FALSE(recorder->wait().ok);
}

// Ctrl-C while ssh waits for a server that never answers: ends at once,
// not after the connection timeout.
TEST_F(RemoteRecordTest, CtrlCWhileConnectingStopsAtOnce) {
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), len), 0);
    ASSERT_EQ(::listen(listener, 8), 0); // accepts connections, never says a word
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
    const std::string silent = "root@127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    auto argv = test::recordCommand();
    argv.insert(argv.end(), {"-o", (dir_ / "never.dat").string(), "--remote", silent});
    const pid_t pid = test::spawnProcess(argv, dir_ / "err.txt");
    std::this_thread::sleep_for(std::chrono::seconds(2));
    ::kill(pid, SIGINT);
    int status = 0;
    const double seconds = secondsUntilExit(pid, 60, status);
    ::close(listener);
    EXPECT_LT(seconds, 5) << "Ctrl-C waited for the connection timeout";
    EXPECT_EQ(status, 1);
    EXPECT_NE(slurp(dir_ / "err.txt").find("stopped"), std::string::npos)
        << slurp(dir_ / "err.txt");
    for (const auto& e : fs::directory_iterator(dir_)) {
        EXPECT_FALSE(e.path().filename().string().starts_with("never")) << e.path();
    }
}

// The target hangs when tracing is switched off: the first Ctrl-C waits for
// it, the second aborts at once -- and still removes the instance and
// finishes the file.
TEST_F(RemoteRecordTest, SecondCtrlCAbortsAtOnceAndStillCleansUp) {
    restartSshd(R"(case "$SSH_ORIGINAL_COMMAND" in *"echo 0 > tracing_on"*) sleep 40;; esac)");
    const fs::path out = dir_ / "aborted.dat";
    auto argv = test::recordCommand();
    argv.insert(argv.end(), {"-o", out.string(), "--remote", sshd_->destination()});
    const pid_t pid = test::spawnProcess(argv, dir_ / "err.txt");
    // The CLI says "recording into ..." once start() succeeded.
    for (int i = 0; i < 1200 && slurp(dir_ / "err.txt").find("recording into") == std::string::npos;
         ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_FALSE(ourInstances().empty()) << slurp(dir_ / "err.txt");
    std::this_thread::sleep_for(std::chrono::seconds(1));
    ::kill(pid, SIGINT);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    ::kill(pid, SIGINT);
    int status = 0;
    const double seconds = secondsUntilExit(pid, 60, status);
    // Without the abort: the hung command (40 s), then the clean-up.
    // With it: only the clean-up (a few ssh round trips, slow on a loaded host).
    std::cout << "[abort] exited " << seconds << " s after the second Ctrl-C\n";
    EXPECT_LT(seconds, 14) << "the second Ctrl-C did not abort: " << slurp(dir_ / "err.txt");
    EXPECT_TRUE(ourInstances().empty()) << "the instance was left behind";
    const auto report = test::countWithTraceCmdReport(out.string());
    ASSERT_TRUE(report.ok) << report.error << slurp(dir_ / "err.txt");
    EXPECT_GT(report.total, 0u);
}

// The target takes longer than the old 15 s limit to switch tracing off (a
// starved emulated guest took 13-20 s per command): the recording still
// ends with everything the target's readers took.  The kernel's own count
// ("read events" of the stats stored in the file) equals trace-cmd report's.
TEST_F(RemoteRecordTest, SlowStopStillKeepsEveryEventTheTargetRead) {
    // Both the old form of the command and the stop script.
    restartSshd(R"(case "$SSH_ORIGINAL_COMMAND" in "echo 0 > "*tracing_on*|*"echo 0 > tracing_on"*)
  sleep 17;; esac)");
    const std::string path = dir_ / "slow.dat";
    RecordOptions options;
    options.preset = "none"; // a few thousand events a second: tracing stays on 17 s longer
    options.events = {"irq:irq_handler_entry", "irq:irq_handler_exit",
                      "timer:hrtimer_expire_entry"};
    options.durationSeconds = 1;
    std::string error;
    auto recorder = makeRemoteRecorder(options, sshd_->destination(), error);
    ASSERT_TRUE(recorder) << error;
    TraceDatFileSink sink(path);
    ASSERT_TRUE(recorder->start(sink, error)) << error;
    const auto result = recorder->wait();
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.error, "");
    EXPECT_TRUE(ourInstances().empty()) << "the instance was left behind";
    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(report.total, 0u);
    EXPECT_EQ(report.total, result.counters.events);
    const auto taken = test::storedReadEvents(path);
    ASSERT_TRUE(taken) << "no per-CPU stats in the file: the stop gave up before reading them";
    EXPECT_EQ(*taken, report.total);
}

// A target whose dd cannot read non-blocking (busybox, as on many boards
// and the lab's guests): the readers read only the pages the stats announce,
// partial ones included, so the stop leaves nothing behind: every CPU's
// "entries:" is 0 in the stats stored in the file, the kernel's count of
// events taken equals trace-cmd report's, and so does the recorder's.
TEST_F(RemoteRecordTest, TargetWithoutNonblockingDdDrainsEveryCpu) {
    targetWithoutNonblockingDd();
    const std::string path = dir_ / "busybox.dat";
    const auto result = test::recordOverSsh(sshd_->destination(), 2, path, dir_);
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.error, "");
    EXPECT_EQ(result.eventsLeftOnTarget, 0u);
    EXPECT_EQ(eventsLeftWarning(result), "");
    const auto reads = pipeReads();
    ASSERT_FALSE(reads.empty()) << "the busybox reader never ran dd";
    for (const auto& r : reads) {
        EXPECT_NE(r.find("count="), std::string::npos) << "dd read without a page count: " << r;
    }

    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(report.total, 0u);
    EXPECT_EQ(report.total, result.counters.events);
    EXPECT_EQ(test::storedReadEvents(path), std::optional<std::uint64_t>(report.total));
    EXPECT_EQ(test::storedStatSum(path, "entries"), std::optional<std::uint64_t>(0))
        << "events stayed in the target's buffers";
    EXPECT_TRUE(ourInstances().empty()) << "the instance was left behind";
}

// A reader that takes nothing (CPU 0's dd reads nothing): the stop gives up
// after its unchanged rounds, and irqlens-cli warns how many events were
// left -- the sum of "entries:" in the stats stored in the file; everything
// else is still recorded.
TEST_F(RemoteRecordTest, EventsLeftAtTheStopAreReported) {
    targetWithoutNonblockingDd(R"(case "$*" in *cpu0/trace_pipe_raw*) exit 0;; esac)");
    const std::string path = dir_ / "left.dat";
    auto argv = test::recordCommand();
    argv.insert(argv.end(), {"-o", path, "--duration", "1", "--remote", sshd_->destination()});
    test::LoadGenerator load(dir_);
    const pid_t pid = test::spawnProcess(argv, dir_ / "err.txt");
    const int status = test::waitProcess(pid, 120);
    load.stop();
    const std::string said = slurp(dir_ / "err.txt");
    EXPECT_EQ(status, 0) << said; // a warning, not a failed recording
    const std::string warning = "irqlens-cli record: warning: ";
    const auto at = said.find(warning);
    ASSERT_NE(at, std::string::npos) << said;
    const std::string line = said.substr(at, said.find('\n', at) - at);
    const std::uint64_t left = std::strtoull(line.c_str() + warning.size(), nullptr, 10);
    EXPECT_GT(left, 0u) << line;
    EXPECT_EQ(line, warning + std::to_string(left) +
                        " events were still in the target's buffers when the recording stopped "
                        "and are not in the capture (the target's readers did not take them in "
                        "time)");
    EXPECT_EQ(test::storedStatSum(path, "entries"), std::optional<std::uint64_t>(left));

    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(report.total, 0u);
    EXPECT_NE(said.find(": " + std::to_string(report.total) + " events in "), std::string::npos)
        << said;
    EXPECT_EQ(test::storedReadEvents(path), std::optional<std::uint64_t>(report.total));
    EXPECT_EQ(test::runCommand("trace-cmd report --cpu 0 -i " + path +
                               " 2>/dev/null | grep -c '\\[000\\]'"),
              "0\n")
        << "CPU 0's reader took events";
    EXPECT_TRUE(ourInstances().empty()) << "the instance was left behind";
}

} // namespace
} // namespace irqlens
