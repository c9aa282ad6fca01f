// Remote recording over ssh against a throwaway sshd on loopback: same file
// as trace-cmd report and irqlens's loader see it, clear errors, hostile
// strings, a connection dropped mid-recording.
#include "core/record/recorder.h"
#include "core/record/remote_recorder.h"
#include "core/record/shell_quote.h"
#include "core/record/ssh_connection.h"
#include "parsers/capture_loader.h"
#include "parsers/writer/tracedat_file_sink.h"
#include "tests/record/record_fixture.h"
#include "tests/record/report_counts.h"
#include "tests/record/sshd_fixture.h"

#include <algorithm>
#include <cstdlib>
#include <signal.h>
#include <thread>

namespace irqlens {
namespace {

namespace fs = std::filesystem;

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
    EXPECT_FALSE(fs::exists(marker));
    // The quoting itself survives a real shell for any hostile text.
    const std::vector<std::string> texts{"a'b", "'; " + touch + "; '", "$(" + touch + ")",
                                         "\\\"'\n`x`"};
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

} // namespace
} // namespace irqlens
