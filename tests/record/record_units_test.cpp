// Small pieces of the recorder: page summaries (vs independently built
// pages), preset/event selection, CPU lists and masks, ssh destinations and
// arguments, sudo invocations, ssh's prompts, header_page parsing, the
// framed remote file reads, instance names, and the remote shell scripts
// that sweep stale instances and read a CPU (run in a real shell).
#include "core/model/trace_metadata.h"
#include "core/record/event_selection.h"
#include "core/record/metadata_collector.h"
#include "core/record/recorder.h"
#include "core/record/remote_files.h"
#include "core/record/remote_invocation.h"
#include "core/record/remote_setup_script.h"
#include "core/record/ring_page.h"
#include "core/record/shell_quote.h"
#include "core/record/ssh_connection.h"
#include "core/record/stale_instances.h"
#include "tests/record/report_counts.h"
#include "tests/record/synthetic_pages.h"

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <optional>
#include <signal.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace irqlens {
namespace {

TEST(RingPage, CountsEventsAndMissedInEveryByteOrder) {
    for (bool be : {false, true}) {
        for (int longSize : {4, 8}) {
            const auto meta = test::syntheticMetadata(be, longSize, 1);
            const auto page = test::syntheticPage(meta, 5000, 37, 12);
            const auto s =
                summarizePage(page.bytes.data(), page.bytes.size(), {be, longSize, 4096});
            EXPECT_TRUE(s.valid);
            EXPECT_EQ(s.events, 37u) << be << longSize;
            EXPECT_EQ(s.missed, 12u);
            EXPECT_EQ(s.timestamp, 5000u);
            const auto clean = test::syntheticPage(meta, 1, 3);
            EXPECT_EQ(
                summarizePage(clean.bytes.data(), clean.bytes.size(), {be, longSize, 4096}).missed,
                0u);
        }
    }
    char garbage[16] = {};
    garbage[8] = 0x7f; // commit far beyond the page
    garbage[9] = 0x7f;
    EXPECT_FALSE(summarizePage(garbage, sizeof garbage, {false, 8, 16}).valid);
}

TEST(EventSelection, PresetExpandsAgainstAvailableEvents) {
    AvailableEvents available{
        {"irq", {"irq_handler_entry", "irq_handler_exit", "softirq_entry"}},
        {"workqueue", {"workqueue_execute_start"}},
        {"sched", {"sched_switch", "sched_waking", "sched_wakeup", "sched_process_exec"}},
        {"timer", {"hrtimer_start"}},
    };
    RecordOptions options;
    auto selection = selectEvents(options, available);
    ASSERT_TRUE(selection.ok()) << selection.error;
    EXPECT_EQ(selection.events.size(), 7u);   // 3 irq + 1 wq + 3 sched; no exec, no timer
    EXPECT_EQ(selection.warnings.size(), 2u); // irq_vectors, ipi missing
    options.events = {"timer:*"};
    EXPECT_EQ(selectEvents(options, available).events.size(), 8u);
    options.events = {"sched:nope"};
    EXPECT_NE(selectEvents(options, available).error.find("no event sched:nope"),
              std::string::npos);
    options.preset = "bogus";
    EXPECT_NE(selectEvents(options, available).error.find("unknown preset"), std::string::npos);
}

TEST(RecordOptionsParsing, CpuListsAndMasks) {
    std::string error;
    EXPECT_EQ(*parseCpuList("0-2,5", 8, error), (std::vector<int>{0, 1, 2, 5}));
    EXPECT_FALSE(parseCpuList("3", 2, error));
    EXPECT_FALSE(parseCpuList("1-0", 4, error));
    EXPECT_FALSE(parseCpuList("x", 4, error));
    // Empty parts and open ranges are mistakes, not CPU 0.
    for (const char* bad : {"1,,2", "0-", "-1", ",1", "1,", "", "1-2-3", " 1", "1 ", "+1", "0x1"}) {
        EXPECT_FALSE(parseCpuList(bad, 4, error)) << bad;
    }
    EXPECT_EQ(*parseCpuList("3,1-2", 4, error), (std::vector<int>{1, 2, 3}));
    EXPECT_FALSE(parseCpuList("99999999999999999999", 4, error));
    EXPECT_EQ(cpuMaskHex({0, 1}), "3");
    EXPECT_EQ(cpuMaskHex({0, 33}), "2,00000001");
}

TEST(SshDestinationParsing, AcceptsUsualFormsRejectsOptionsAndShell) {
    std::string error;
    auto d = parseSshDestination("pi@raspberrypi.local:2222", error);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->user, "pi");
    EXPECT_EQ(d->host, "raspberrypi.local");
    EXPECT_EQ(d->port, 2222);
    d = parseSshDestination("[fe80::1]:22", error);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->host, "fe80::1");
    for (const char* bad :
         {"-oProxyCommand=x", "a;b", "a b", "host:99999", "@host", "h$(x)", "h`x`"})
        EXPECT_FALSE(parseSshDestination(bad, error)) << bad;
}

TEST(HeaderPage, GivesPageAndLongSize) {
    const auto meta = test::syntheticMetadata(true, 4, 1);
    std::uint32_t page = 0;
    int longSize = 0;
    ASSERT_TRUE(parseHeaderPage(meta.headerPage, page, longSize));
    EXPECT_EQ(page, 4096u);
    EXPECT_EQ(longSize, 4);
    EXPECT_FALSE(parseHeaderPage("nothing here", page, longSize));
    // A hostile or broken target: absurd digits are a refusal, not an exception.
    const std::string huge = "99999999999999999999999999";
    EXPECT_FALSE(parseHeaderPage("\tfield: local_t commit;\toffset:8;\tsize:" + huge +
                                     ";\tsigned:1;\n\tfield: char data;\toffset:16;\tsize:4080;",
                                 page, longSize));
    EXPECT_FALSE(parseHeaderPage("\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
                                 "\tfield: char data;\toffset:" +
                                     huge + ";\tsize:4080;",
                                 page, longSize));
    std::uint64_t overrun = 1, dropped = 1;
    sumCpuStats({"overrun: " + huge + "\ndropped events: 5\n", "overrun: 7\n"}, overrun, dropped);
    EXPECT_EQ(overrun, 7u);
    EXPECT_EQ(dropped, 5u);
}

TEST(InstanceNames, RandomSuffixNeverRepeatsAPidsName) {
    const std::string a = newInstanceName(1234), b = newInstanceName(1234);
    EXPECT_NE(a, b) << "pids wrap: a new instance must never meet an old one of the same pid";
    EXPECT_TRUE(a.starts_with("irqlens-1234-")) << a;
    EXPECT_EQ(a.size(), std::string("irqlens-1234-").size() + 8);
    EXPECT_EQ(irqlensInstancePid(a), 1234);
    EXPECT_EQ(irqlensInstancePid("irqlens-77"), 77); // made by an older irqlens
    for (const char* other : {"irqlens-", "irqlens-x1", "irqlens-12-", "irqlens--3", "other-12"}) {
        EXPECT_FALSE(irqlensInstancePid(other)) << other;
    }
}

TEST(SshArguments, SharedCommandsNeverBecomeMastersAndNeverAsk) {
    SshDestination d{"pi", "raspberrypi.local", 2222};
    auto has = [](const std::vector<std::string>& args, const std::string& option) {
        for (std::size_t i = 0; i + 1 < args.size(); ++i) {
            if (args[i] == "-o" && args[i + 1] == option) {
                return true;
            }
        }
        return false;
    };
    const auto shared = sshArguments(d, "/tmp/x/cm", false, true);
    EXPECT_TRUE(has(shared, "ControlMaster=no")) << "~/.ssh/config may say ControlMaster=auto";
    EXPECT_TRUE(has(shared, "BatchMode=yes"));
    const auto batch = sshArguments(d, "/tmp/x/cm", true, false);
    EXPECT_TRUE(has(batch, "BatchMode=yes"));
    EXPECT_NE(std::find(batch.begin(), batch.end(), "-M"), batch.end());
    const auto interactive = sshArguments(d, "/tmp/x/cm", true, true);
    EXPECT_TRUE(has(interactive, "StrictHostKeyChecking=ask"));
    EXPECT_FALSE(has(interactive, "BatchMode=yes"));
    for (const auto* args : {&shared, &batch, &interactive}) {
        for (const auto& a : *args) {
            EXPECT_EQ(a.find("StrictHostKeyChecking=no"), std::string::npos);
            EXPECT_EQ(a.find("UserKnownHostsFile=/dev/null"), std::string::npos);
        }
        EXPECT_EQ(args->back(), "raspberrypi.local"); // after "--": never an option
        EXPECT_EQ((*args)[args->size() - 2], "--");
    }
}

TEST(RemoteInvocation, SudoPasswordOnlyOnStdin) {
    const std::string password = "pw'$(reboot)\"`x`";
    const std::string script = "echo 1 > 'instances/irqlens-1-abc/tracing_on'";
    const auto root = rootInvocation(script, TargetPrivilege::Root, "");
    EXPECT_EQ(root.commandLine, script);
    EXPECT_EQ(root.input, "");
    const auto sudo = rootInvocation(script, TargetPrivilege::Sudo, "");
    EXPECT_EQ(sudo.commandLine, "exec sudo -n -- sh -c " + shellQuote(script) + " irqlens-script");
    const auto withPassword = rootInvocation(script, TargetPrivilege::SudoWithPassword, password);
    EXPECT_EQ(withPassword.commandLine.find(password), std::string::npos);
    EXPECT_EQ(withPassword.commandLine.find("reboot"), std::string::npos);
    EXPECT_EQ(withPassword.input, password + "\n" + script);
    const std::string longScript(3 * kLongCommandBytes, 'x');
    const auto longSudo = rootInvocation(longScript, TargetPrivilege::Sudo, "");
    EXPECT_LE(longSudo.commandLine.size(), kLongCommandBytes);
    EXPECT_EQ(longSudo.input, longScript);
    // The password invocation really gives sudo the first line and the
    // script the rest, through a real shell (sudo replaced by a stand-in).
    const std::string fakeSudo =
        "sudo() { while [ \"$1\" != sh ]; do shift; done; IFS= read -r got; "
        "printf 'password=%s\\n' \"$got\"; \"$@\"; }; ";
    const auto echo =
        rootInvocation("echo script ran", TargetPrivilege::SudoWithPassword, password);
    const std::string out = test::runCommand("printf '%s' " + shellQuote(echo.input) + " | sh -c " +
                                             shellQuote(fakeSudo + echo.commandLine));
    EXPECT_EQ(out, "password=" + password + "\nscript ran\n");
}

TEST(SshPrompts, HostKeyQuestionGivesTypeAndFingerprint) {
    const std::string text =
        "The authenticity of host '[127.0.0.1]:2222 ([127.0.0.1]:2222)' can't be established.\n"
        "ED25519 key fingerprint is SHA256:0DqV7sBQh3Y3Ss6SNfoK0pn1BbZl9rP1vqr2/t9krGM.\n"
        "This key is not known by any other names.\n"
        "Are you sure you want to continue connecting (yes/no/[fingerprint])? ";
    const auto r = classifySshPrompt(text, "pi@127.0.0.1:2222");
    EXPECT_EQ(r.kind, PromptRequest::Kind::HostKey);
    EXPECT_EQ(r.keyType, "ED25519");
    EXPECT_EQ(r.fingerprint, "SHA256:0DqV7sBQh3Y3Ss6SNfoK0pn1BbZl9rP1vqr2/t9krGM");
    EXPECT_EQ(classifySshPrompt("pi@raspberrypi.local's password: ", "").kind,
              PromptRequest::Kind::Password);
    EXPECT_EQ(classifySshPrompt("Enter passphrase for key '/root/.ssh/id_ed25519': ", "").kind,
              PromptRequest::Kind::Password);
    EXPECT_EQ(classifySshPrompt("Verification code: ", "").kind, PromptRequest::Kind::Other);
}

// Runs `script` with sh as user `nobody` in `dir`; returns its output.
std::string runAsNobody(const std::filesystem::path& dir, const std::string& script) {
    return test::runCommand("cd " + shellQuote(dir.string()) +
                            " && setpriv --reuid=65534 --regid=65534 --clear-groups sh -c " +
                            shellQuote(script) + " 2>&1");
}

pid_t spawnSleeper() {
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::execlp("sleep", "sleep", "60", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    return pid;
}

// The stale-instance sweep of the remote setup script, in a fake tracefs
// tree: an instance whose owner is alive but not ours to signal (EPERM for
// `nobody`) stays; one whose owner is gone goes, with its reader.
TEST(StaleInstanceCleanup, EpermIsAliveAndGoneOwnersLoseTheirReaders) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "needs root (runs the script as nobody)";
    }
    char pattern[] = "/tmp/irqlens-stale-XXXXXX";
    ASSERT_TRUE(::mkdtemp(pattern));
    const std::filesystem::path dir = pattern;
    const pid_t dead = spawnSleeper();
    ::kill(dead, SIGKILL);
    ::waitpid(dead, nullptr, 0);
    const std::string alive = "instances/irqlens-1-0000abcd"; // pid 1: init, alive, not ours
    const std::string gone = "instances/irqlens-" + std::to_string(dead) + "-0000abcd";
    for (const auto& d : {alive, gone, std::string("instances/other-5")}) {
        std::filesystem::create_directories(dir / d / "per_cpu" / "cpu0");
    }
    // A leftover reader of the gone instance (named like one), run by nobody.
    const std::string readerLine = "exec sh -c 'sleep 60' irqlens-reader " +
                                   (dir / gone / "per_cpu/cpu0/trace_pipe_raw").string();
    const pid_t reader = ::fork();
    if (reader == 0) {
        // Its own group (killed as one below), and not holding the test's
        // output open: ctest waits for that to close.
        ::setpgid(0, 0);
        const int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(devnull, 0);
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
        ::setgid(65534);
        ::setuid(65534);
        ::execlp("sh", "sh", "-c", readerLine.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::filesystem::remove(dir / gone / "per_cpu" / "cpu0");
    std::filesystem::remove(dir / gone / "per_cpu");
    test::runCommand("chmod -R a+rwX " + shellQuote(dir.string()));
    const std::string out = runAsNobody(dir, staleInstanceCleanupScript());
    EXPECT_TRUE(std::filesystem::exists(dir / alive)) << "EPERM is not dead: " << out;
    EXPECT_FALSE(std::filesystem::exists(dir / gone)) << out;
    EXPECT_TRUE(std::filesystem::exists(dir / "instances/other-5"));
    EXPECT_NE(out.find("removed stale tracefs instance " + gone), std::string::npos) << out;
    int status = 0;
    bool readerEnded = false;
    for (int i = 0; i < 100 && !readerEnded; ++i) {
        readerEnded = ::waitpid(reader, &status, WNOHANG) == reader;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(readerEnded) << "the gone instance's reader was left running";
    ::kill(-reader, SIGKILL); // its `sleep`, and the reader itself if it was left
    if (!readerEnded) {
        ::waitpid(reader, nullptr, 0);
    }
    std::filesystem::remove_all(dir);
}

// A reader whose holder (our ssh session) is gone ends by itself: with
// GNU dd (rounds) and in the busybox form (a FIFO that never gets data,
// no stats beside it).
TEST(ReaderScript, EndsWhenItsHolderIsGone) {
    char pattern[] = "/tmp/irqlens-reader-XXXXXX";
    ASSERT_TRUE(::mkdtemp(pattern));
    const std::filesystem::path dir = pattern;
    const std::string data = (dir / "data").string();
    std::ofstream(data) << "page";
    const std::string fifo = (dir / "fifo").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    for (const bool dd : {true, false}) {
        const pid_t holder = spawnSleeper();
        const std::string script =
            readerScript(dd ? data : fifo, 4096, 4080, dd, std::to_string(holder));
        const pid_t reader = ::fork();
        if (reader == 0) {
            ::setpgid(0, 0); // the reader and its dd/cat: one group, killable together
            const int devnull = ::open("/dev/null", O_WRONLY);
            ::dup2(devnull, 1);
            ::dup2(devnull, 2);
            ::execlp("sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        EXPECT_EQ(::waitpid(reader, nullptr, WNOHANG), 0) << "the reader must run while held";
        ::kill(holder, SIGKILL);
        ::waitpid(holder, nullptr, 0);
        bool ended = false;
        for (int i = 0; i < 150 && !ended; ++i) {
            ended = ::waitpid(reader, nullptr, WNOHANG) == reader;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        EXPECT_TRUE(ended) << (dd ? "GNU dd" : "busybox") << " reader outlived its holder";
        if (!ended) {
            ::kill(-reader, SIGKILL);
            ::waitpid(reader, nullptr, 0);
        }
    }
    std::filesystem::remove_all(dir);
}

TEST(RemoteFiles, FramedOutputSplitsAndSkipsFailures) {
    const std::string m = "@@irqlens-abc";
    const std::string out = "\n" + m + " begin\nA\nB\n" + "\n" + m + " end 0\n" + "\n" + m +
                            " begin\n" + "\n" + m + " end 1\n" + "\n" + m + " begin\nC" + "\n" + m +
                            " end 0\n";
    const auto files = splitFramedFiles(out, m, {"a", "missing", "c"});
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files.at("a"), "A\nB\n");
    EXPECT_EQ(files.at("c"), "C");
    const auto probe = parseProbe(
        "dir /sys/kernel/tracing\naccess w\nevent irq/irq_handler_entry/format\n"
        "cpu cpu0\ncpu cpu1\ndd nonblock\nelf \x01\x02\n"
        "uname Linux pi 6.6.51+rpt-rpi-v7 armv7l\nmodel Raspberry Pi 3 Model B Rev 1.2 \n"
        "module threaded\n");
    EXPECT_EQ(probe.cpus, 2);
    EXPECT_TRUE(probe.writable);
    EXPECT_TRUE(probe.nonblockingDd);
    ASSERT_TRUE(probe.bigEndian);
    EXPECT_TRUE(*probe.bigEndian);
    EXPECT_EQ(probe.events.at("irq").count("irq_handler_entry"), 1u);
    EXPECT_EQ(probe.userlandBits, 32);
    EXPECT_EQ(probe.system.uname, "Linux pi 6.6.51+rpt-rpi-v7 armv7l");
    EXPECT_EQ(probe.system.model, "Raspberry Pi 3 Model B Rev 1.2");
    EXPECT_EQ(probe.moduleMode, "threaded");
}

// Runs `script` in `sh` in the background (stdout to `out`, else like
// stderr to /dev/null).
pid_t spawnScript(const std::string& script, const std::string& out = "/dev/null") {
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
        const int devnull = ::open("/dev/null", O_WRONLY);
        ::dup2(::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), 1);
        ::dup2(devnull, 2);
        ::execlp("sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    return pid;
}

// Exit status of `pid` within `ms`, else -1 (then it is killed).
int exitWithin(pid_t pid, int ms) {
    for (int waited = 0; waited < ms; waited += 20) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return -1;
}

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Replaced at once, as the kernel's file reads: the script never sees it
// half written.
void writeStats(const std::filesystem::path& instance, int cpu, int entries) {
    const auto path = instance / "per_cpu" / ("cpu" + std::to_string(cpu)) / "stats";
    std::ofstream(path.string() + ".new")
        << "entries: " << entries << "\noverrun: 0\ncommit overrun: 0\nread events: 99\n";
    std::filesystem::rename(path.string() + ".new", path);
}

// A fake instance folder (two CPUs' stats, tracing_on) under /tmp for the
// stop script.
class StopScript : public ::testing::Test {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/irqlens-stop-XXXXXX";
        ASSERT_TRUE(::mkdtemp(pattern));
        root_ = pattern;
        instance_ = root_ / "instances" / "irqlens-1-abc";
        for (int cpu : {0, 1}) {
            std::filesystem::create_directories(instance_ / "per_cpu" /
                                                ("cpu" + std::to_string(cpu)));
            writeStats(instance_, cpu, 0);
        }
        std::ofstream(instance_ / "tracing_on") << "1\n";
        script_ = stopScript(root_.string(), "irqlens-1-abc");
        out_ = (root_ / "out").string();
    }
    void TearDown() override { std::filesystem::remove_all(root_); }
    std::filesystem::path root_, instance_;
    std::string script_, out_;
};

// The stop switches tracing off and returns once the readers took what the
// buffers held (every CPU's "entries:" 0, "left 0"), or when they stopped
// taking anything (saying how many are left); it fails when tracing cannot
// be switched off.
TEST_F(StopScript, WaitsUntilTheReadersTookEverything) {
    writeStats(instance_, 1, 12);
    pid_t pid = spawnScript(script_, out_);
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), 0) << "returned while CPU 1 still held events";
    writeStats(instance_, 1, 3); // the reader is taking them
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    writeStats(instance_, 1, 0);
    EXPECT_EQ(exitWithin(pid, 2000), 0);
    EXPECT_EQ(slurp(out_), "left 0\n");
    EXPECT_EQ(slurp(instance_ / "tracing_on"), "0\n");

    // A reader that takes nothing more: given up after ~30 unchanged rounds,
    // and what is left is said (both CPUs' entries).
    writeStats(instance_, 0, 5);
    writeStats(instance_, 1, 7);
    const auto begin = std::chrono::steady_clock::now();
    pid = spawnScript(script_, out_);
    EXPECT_EQ(exitWithin(pid, 30000), 0);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    EXPECT_GT(seconds, 2.5);
    EXPECT_LT(seconds, 20);
    EXPECT_EQ(slurp(out_), "left 12\n");
    EXPECT_EQ(parseEventsLeft("noise\n" + slurp(out_)), std::optional<std::uint64_t>(12));
    EXPECT_EQ(parseEventsLeft("left 0\n"), std::optional<std::uint64_t>(0));
    EXPECT_EQ(parseEventsLeft("left x1\n"), std::nullopt);
    EXPECT_EQ(parseEventsLeft(""), std::nullopt);

    std::filesystem::remove(instance_ / "tracing_on");
    std::filesystem::create_directory(instance_ / "tracing_on"); // cannot be written
    EXPECT_EQ(exitWithin(spawnScript(script_), 5000), 1);
}

// Readers that keep taking, too slowly: the stop gives up after 120 s by
// the target's clock (a `date` that says 50 s pass per call), however
// many rounds that is, and says what is left.
TEST_F(StopScript, GivesUpAfter120SecondsByTheTargetsClock) {
    const auto bin = root_ / "bin";
    std::filesystem::create_directory(bin);
    const std::string clock = (root_ / "t").string();
    std::ofstream(bin / "date") << "#!/bin/sh\nn=$(cat " << clock << " 2>/dev/null || echo 1000)\n"
                                << "echo $((n + 50)) > " << clock << "\necho $n\n";
    std::filesystem::permissions(bin / "date", std::filesystem::perms::owner_all);
    int entries = 900;
    writeStats(instance_, 0, 4);
    writeStats(instance_, 1, entries);
    const auto begin = std::chrono::steady_clock::now();
    const pid_t pid = spawnScript("PATH=" + bin.string() + ":$PATH; export PATH\n" + script_, out_);
    int status = -1;
    while (::waitpid(pid, &status, WNOHANG) == 0 && entries > 0) {
        writeStats(instance_, 1, --entries); // progress, never 30 rounds unchanged
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "still waiting, or failed";
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    EXPECT_LT(seconds, 2.5) << "the target's clock limit did not end the wait";
    const std::string said = slurp(out_);
    ASSERT_EQ(said.rfind("left ", 0), 0u) << said;
    EXPECT_GT(std::stoi(said.substr(5)), 5) << said;
    if (::waitpid(pid, nullptr, WNOHANG) == 0) {
        exitWithin(pid, 0);
    }
}

// One CPU's folder (trace_pipe_raw: 16 pages in a regular file, stats) and
// a `dd` in PATH that logs its arguments, reads with the real dd, then
// empties the stats as the kernel would.
class FakeBusyboxCpu {
public:
    FakeBusyboxCpu() {
        char pattern[] = "/tmp/irqlens-bbreader-XXXXXX";
        dir_ = ::mkdtemp(pattern) ? pattern : "/nonexistent";
        const auto cpu = dir_ / "per_cpu" / "cpu0";
        std::filesystem::create_directories(cpu);
        std::filesystem::create_directory(dir_ / "bin");
        file_ = (cpu / "trace_pipe_raw").string();
        stats_ = cpu / "stats";
        std::ofstream(file_) << std::string(std::size_t{16} * 4096, 'p');
        std::ofstream(dir_ / "bin" / "dd")
            << "#!/bin/sh\necho \"$*\" >> " << (dir_ / "dd.log").string() << "\n"
            << "command -p dd \"$@\"; r=$?\nprintf 'entries: 0\\nbytes: 0\\n' > " << stats_.string()
            << "\nexit $r\n";
        std::filesystem::permissions(dir_ / "bin" / "dd", std::filesystem::perms::owner_all);
        setStats("0", "0");
    }
    ~FakeBusyboxCpu() { std::filesystem::remove_all(dir_); }
    // A 6.1 kernel's stats; no "bytes:" line when `bytes` is empty.
    void setStats(const std::string& entries, const std::string& bytes) const {
        std::ofstream f(stats_.string() + ".new");
        f << "entries: " << entries << "\noverrun: 0\ncommit overrun: 0\n";
        if (!bytes.empty()) {
            f << "bytes: " << bytes << "\n";
        }
        f << "oldest event ts:  7000.000001\nnow ts:  7001.000000\ndropped events: 0\n"
          << "read events: 42\n";
        f.close();
        std::filesystem::rename(stats_.string() + ".new", stats_);
    }
    // The reader script with this `dd` first in PATH.
    std::string script(const std::string& holder) const {
        return "PATH=" + (dir_ / "bin").string() + ":$PATH; export PATH\n" +
               readerScript(file_, 4096, 4080, false, holder);
    }
    // The count of dd's next read, "" when none comes within `ms`.
    std::string nextCount(int ms) {
        for (int waited = 0; waited <= ms; waited += 20) {
            std::istringstream lines(slurp(dir_ / "dd.log"));
            std::vector<std::string> all;
            for (std::string line; std::getline(lines, line);) {
                all.push_back(line);
            }
            if (all.size() > seen_) {
                const std::string& line = all[seen_++];
                EXPECT_NE(line.find("if=" + file_), std::string::npos) << line;
                EXPECT_NE(line.find("bs=4096"), std::string::npos) << line;
                const auto at = line.find("count=");
                return at == std::string::npos ? line : line.substr(at + 6);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return "";
    }
    std::filesystem::path out() const { return dir_ / "out"; }

private:
    std::filesystem::path dir_, stats_;
    std::string file_;
    std::size_t seen_ = 0;
};

// The busybox form (no non-blocking dd) asks dd for as many pages as the
// CPU's stats say hold data: "bytes:" over the event bytes a page holds
// (4096 - 16 here), rounded up, at least 1, at most one per entry; one page
// without "bytes:" (old kernels) or with a wrapped count; none when
// "entries:" is 0 (a read would block).  Its output: its pid, then exactly
// the pages dd read.
TEST(ReaderScript, BusyboxFormReadsOnlyWhatTheStatsAnnounce) {
    FakeBusyboxCpu cpu;
    const pid_t holder = spawnSleeper();
    const pid_t reader = spawnScript(cpu.script(std::to_string(holder)), cpu.out().string());
    EXPECT_EQ(cpu.nextCount(600), "") << "dd ran on an empty buffer";
    const struct {
        const char *entries, *bytes, *count;
    } cases[] = {{"10", "9000", "3"}, // ceil(9000 / 4080)
                 {"3", "4080", "1"},  // one full page
                 {"3", "4081", "2"},  // a full page and a partial one
                 {"2", "40000", "2"}, // at most one page per entry
                 {"5", "", "1"},      // an old kernel: no bytes line
                 {"4", "18446744073709550000", "1"}};
    std::size_t pages = 0;
    for (const auto& c : cases) {
        cpu.setStats(c.entries, c.bytes);
        EXPECT_EQ(cpu.nextCount(3000), c.count) << "entries " << c.entries << ", bytes " << c.bytes;
        pages += static_cast<std::size_t>(std::atoi(c.count));
        EXPECT_EQ(cpu.nextCount(400), "") << "dd ran again once the stats said 0 entries";
    }
    ::kill(holder, SIGKILL);
    ::waitpid(holder, nullptr, 0);
    EXPECT_EQ(exitWithin(reader, 3000), 0) << "the reader outlived its holder";
    const std::string output = slurp(cpu.out());
    const auto nl = output.find('\n');
    ASSERT_NE(nl, std::string::npos);
    EXPECT_EQ(output.substr(0, nl).find_first_not_of("0123456789"), std::string::npos);
    EXPECT_EQ(output.size() - nl - 1, pages * 4096u)
        << "the reader's output is not the whole pages dd read";
}

TEST(CpuStats, ReadEventsIsTheKernelsCountOfEventsTaken) {
    // per_cpu/cpu0/stats of a 6.1 kernel.
    const std::string stats = "entries: 0\noverrun: 5\ncommit overrun: 0\nbytes: 0\n"
                              "oldest event ts: 12345.678901\nnow ts: 12350.000000\n"
                              "dropped events: 0\nread events: 48213\n";
    EXPECT_EQ(readEventsOf(stats), std::optional<std::uint64_t>(48213));
    EXPECT_EQ(readEventsOf("entries: 0\noverrun: 0\n"), std::nullopt); // an old kernel
    EXPECT_EQ(readEventsOf("read events: 99999999999999999999999\n"), std::nullopt);
}

// A loaded target answers late: ssh must not give up on a link that is
// silent for the 13-20 s a starved guest took per command.
TEST(SshArguments, KeepalivesTolerateAStarvedTarget) {
    const auto args = sshArguments({"pi", "raspberrypi.local", 0}, "/tmp/x/cm", true, false);
    const auto option = [&](const std::string& name) {
        for (std::size_t i = 0; i + 1 < args.size(); ++i) {
            if (args[i] == "-o" && args[i + 1].rfind(name + "=", 0) == 0) {
                return std::stoi(args[i + 1].substr(name.size() + 1));
            }
        }
        return -1;
    };
    const int interval = option("ServerAliveInterval"), count = option("ServerAliveCountMax");
    ASSERT_GT(interval, 0);
    ASSERT_GT(count, 0);
    EXPECT_GE(interval * count, 3 * 20)
        << "gives up on a link silent for " << interval * count << " s";
    EXPECT_GE(option("ConnectTimeout"), 20);
}

} // namespace
} // namespace irqlens
