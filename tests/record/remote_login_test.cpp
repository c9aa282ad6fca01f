// Logging in as people do on a Raspberry Pi, against the loopback sshd: a
// normal user with passwordless sudo, sudo that wants a password, a password
// login (askpass), an unknown host key accepted after the prompt, a changed
// host key refused.  The users are throwaway ones (test_user.h); HOME and
// known_hosts are temporary, so nobody's own ssh files are touched.
#include "core/record/recorder.h"
#include "core/record/remote_privilege.h"
#include "core/record/remote_recorder.h"
#include "core/record/tracedat_file_sink.h"
#include "tests/record/record_fixture.h"
#include "tests/record/report_counts.h"
#include "tests/record/sshd_fixture.h"
#include "tests/record/test_user.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <poll.h>
#include <pty.h>
#include <sstream>
#include <sys/utsname.h>
#include <thread>

namespace irqlens {
namespace {

namespace fs = std::filesystem;

// A password with everything a shell could trip on.
const std::string kHostilePassword = "p'w\"d $(touch /tmp/pwned-irqlens) `x` ;|&\\ *";

std::string slurp(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Every question asked, answered from a script of answers.
struct ScriptedPrompter {
    std::mutex mutex;
    std::vector<PromptRequest> asked;
    std::vector<std::optional<std::string>> answers; // one per question, then nullopt
    Prompter prompter() {
        return [this](const PromptRequest& r) -> std::optional<std::string> {
            std::lock_guard lock(mutex);
            asked.push_back(r);
            asked.back().abandoned = nullptr;
            const std::size_t i = asked.size() - 1;
            return i < answers.size() ? answers[i] : std::nullopt;
        };
    }
    std::size_t count(PromptRequest::Kind kind) {
        std::lock_guard lock(mutex);
        return static_cast<std::size_t>(std::count_if(
            asked.begin(), asked.end(), [kind](const PromptRequest& r) { return r.kind == kind; }));
    }
};

class RemoteLoginTest : public test::RecordTest {
protected:
    void SetUp() override {
        test::RecordTest::SetUp();
        if (IsSkipped()) {
            return;
        }
        if (const auto why = test::testUserUnavailableReason(); !why.empty()) {
            GTEST_SKIP() << why;
        }
        sshd_ = std::make_unique<test::LoopbackSshd>(dir_);
        if (!sshd_->error().empty()) {
            GTEST_SKIP() << sshd_->error();
        }
        ::setenv("IRQLENS_SSH_CONFIG", sshd_->goodConfig().c_str(), 1);
        // ssh runs this binary (irqlens-cli or the record driver) as its askpass.
        ::setenv("IRQLENS_ASKPASS_PROGRAM", test::recordCommand().front().c_str(), 1);
        if (const char* home = std::getenv("HOME")) {
            oldHome_ = home;
        }
        fs::create_directories(dir_ / "home");
        ::setenv("HOME", (dir_ / "home").c_str(), 1);
    }
    void TearDown() override {
        sshd_.reset();
        ::unsetenv("IRQLENS_SSH_CONFIG");
        ::unsetenv("IRQLENS_ASKPASS_PROGRAM");
        if (!oldHome_.empty()) {
            ::setenv("HOME", oldHome_.c_str(), 1);
        }
        test::RecordTest::TearDown();
    }
    // Connects and becomes root as `user`; "" or the error.
    std::string login(const std::string& user, const Prompter& prompter,
                      TargetPrivilege* privilege = nullptr) {
        std::string error;
        auto destination = parseSshDestination(sshd_->destination(user), error);
        if (!destination) {
            return error;
        }
        SshConnection ssh(*destination);
        ssh.setPrompter(prompter);
        TargetLogin target;
        if (!ssh.open(error) || !establishRoot(ssh, target, error)) {
            return error;
        }
        std::string out, err;
        if (ssh.run("id -u", out, err) != 0 || out != "0\n") {
            return "not root after login: " + out + err;
        }
        if (privilege) {
            *privilege = target.privilege;
        }
        return "";
    }
    std::unique_ptr<test::LoopbackSshd> sshd_;
    std::string oldHome_;
};

TEST_F(RemoteLoginTest, NormalUserWithPasswordlessSudoRecordsLikeRoot) {
    test::TestUser pi(test::TestUser::Sudo::NoPassword, "raspberry");
    ASSERT_TRUE(pi.error().empty()) << pi.error();
    const std::string path = dir_ / "sudo.dat";
    const auto result = test::recordOverSsh(sshd_->destination(pi.name()), 1.5, path, dir_);
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_TRUE(result.error.empty()) << result.error;
    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(report.byEvent.count("irq_handler_entry"), 0u);
    EXPECT_EQ(report.total, result.counters.events);
    const auto instances = test::tracefsInstances();
    EXPECT_TRUE(std::none_of(instances.begin(), instances.end(), [&](const std::string& n) {
        return n.starts_with("irqlens-") && sshd_->ownsProcess(std::atoi(n.c_str() + 8));
    }));
    TargetPrivilege privilege = TargetPrivilege::Root;
    EXPECT_EQ(login(pi.name(), {}, &privilege), "");
    EXPECT_EQ(privilege, TargetPrivilege::Sudo);
}

TEST_F(RemoteLoginTest, NoSudoSaysWhatFailedAndHowToFixIt) {
    test::TestUser user(test::TestUser::Sudo::None, "secret");
    ASSERT_TRUE(user.error().empty()) << user.error();
    const std::string error = login(user.name(), {});
    EXPECT_NE(error.find("logged in as " + user.name() + " (not root)"), std::string::npos)
        << error;
    EXPECT_NE(error.find("NOPASSWD: ALL"), std::string::npos) << error;
    EXPECT_NE(error.find("log in as root"), std::string::npos) << error;
}

// sudo wants the password: asked once, wrong first then right; it reaches
// sudo through stdin only, never a command line or an environment.
TEST_F(RemoteLoginTest, SudoPasswordIsAskedAndGoesOnlyToSudo) {
    test::TestUser pi(test::TestUser::Sudo::Password, kHostilePassword);
    ASSERT_TRUE(pi.error().empty()) << pi.error();
    ScriptedPrompter prompts;
    prompts.answers = {std::string("wrong"), kHostilePassword};
    TargetPrivilege privilege = TargetPrivilege::Root;
    EXPECT_EQ(login(pi.name(), prompts.prompter(), &privilege), "");
    EXPECT_EQ(privilege, TargetPrivilege::SudoWithPassword);
    ASSERT_EQ(prompts.count(PromptRequest::Kind::SudoPassword), 2u);
    EXPECT_NE(prompts.asked[1].text.find("try again"), std::string::npos);
    EXPECT_FALSE(fs::exists("/tmp/pwned-irqlens"));

    // During a recording, no process shows the password in its arguments or environment.
    ScriptedPrompter recordPrompts;
    recordPrompts.answers = {kHostilePassword};
    RecordOptions options;
    std::string error;
    auto recorder =
        makeRemoteRecorder(options, sshd_->destination(pi.name()), error, recordPrompts.prompter());
    ASSERT_TRUE(recorder) << error;
    TraceDatFileSink sink(dir_ / "pw.dat");
    ASSERT_TRUE(recorder->start(sink, error)) << error;
    std::string seenIn;
    for (const auto& entry : fs::directory_iterator("/proc")) {
        for (const char* file : {"cmdline", "environ"}) {
            if (slurp(entry.path() / file).find(kHostilePassword) != std::string::npos) {
                seenIn = (entry.path() / file).string() + " " + slurp(entry.path() / "comm");
            }
        }
    }
    recorder->requestStop();
    const auto result = recorder->wait();
    EXPECT_TRUE(result.ok) << result.error;
    EXPECT_GT(result.counters.events, 0u);
    EXPECT_EQ(seenIn, "");
    EXPECT_EQ(recordPrompts.count(PromptRequest::Kind::SudoPassword), 1u);
    EXPECT_FALSE(fs::exists("/tmp/pwned-irqlens"));

    // Cancelled: a clear message, nothing asked again.
    ScriptedPrompter cancelled;
    const std::string refused = login(pi.name(), cancelled.prompter());
    EXPECT_NE(refused.find("none was given"), std::string::npos) << refused;
    EXPECT_EQ(cancelled.asked.size(), 1u);
}

// The Pi takes only a password: ssh asks through our askpass, once for the
// whole recording (every later command shares the connection).
TEST_F(RemoteLoginTest, PasswordLoginAskedOncePerRecording) {
    test::TestUser pi(test::TestUser::Sudo::NoPassword, kHostilePassword);
    ASSERT_TRUE(pi.error().empty()) << pi.error();
    ::setenv("IRQLENS_SSH_CONFIG", sshd_->passwordConfig().c_str(), 1);
    EXPECT_NE(login(pi.name(), {}).find("authentication failed"), std::string::npos)
        << "without a prompter nobody can type the password";
    ScriptedPrompter prompts;
    prompts.answers = {kHostilePassword};
    RecordOptions options;
    options.durationSeconds = 1;
    std::string error;
    auto recorder =
        makeRemoteRecorder(options, sshd_->destination(pi.name()), error, prompts.prompter());
    ASSERT_TRUE(recorder) << error;
    TraceDatFileSink sink(dir_ / "password.dat");
    ASSERT_TRUE(recorder->start(sink, error)) << error;
    const auto result = recorder->wait();
    EXPECT_TRUE(result.ok) << result.error;
    ASSERT_EQ(prompts.asked.size(), 1u);
    EXPECT_EQ(prompts.asked[0].kind, PromptRequest::Kind::Password);
    EXPECT_NE(prompts.asked[0].text.find(pi.name()), std::string::npos) << prompts.asked[0].text;
    const auto report = test::countWithTraceCmdReport(dir_ / "password.dat");
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_EQ(report.total, result.counters.events);
}

TEST_F(RemoteLoginTest, UnknownHostKeyIsShownAndAcceptedOnlyAfterYes) {
    ::setenv("IRQLENS_SSH_CONFIG", sshd_->unknownHostConfig().c_str(), 1);
    const std::string knownHosts = sshd_->unknownHostKnownHosts();
    ScriptedPrompter no;
    const std::string refused = login("root", no.prompter());
    EXPECT_NE(refused.find("not accepted"), std::string::npos) << refused;
    ASSERT_EQ(no.count(PromptRequest::Kind::HostKey), 1u);
    EXPECT_EQ(no.asked[0].keyType, "ED25519");
    EXPECT_EQ(no.asked[0].fingerprint, sshd_->hostKeyFingerprint());
    EXPECT_EQ(slurp(knownHosts), "") << "a refused key must not be stored";

    ScriptedPrompter yes;
    yes.answers = {std::string("yes")};
    EXPECT_EQ(login("root", yes.prompter()), "");
    EXPECT_EQ(yes.count(PromptRequest::Kind::HostKey), 1u);
    EXPECT_NE(slurp(knownHosts).find(sshd_->hostKeyFingerprint().empty() ? "x" : "ssh-ed25519"),
              std::string::npos)
        << "the accepted key goes into known_hosts";
    // Known now: no question, even without a prompter.
    EXPECT_EQ(login("root", {}), "");
}

TEST_F(RemoteLoginTest, ChangedHostKeyIsRefusedWithOpenSshsWarning) {
    ::setenv("IRQLENS_SSH_CONFIG", sshd_->changedHostConfig().c_str(), 1);
    ScriptedPrompter prompts;
    prompts.answers = {std::string("yes"), std::string("yes")};
    const std::string error = login("root", prompts.prompter());
    EXPECT_NE(error.find("CHANGED; refused"), std::string::npos) << error;
    EXPECT_NE(error.find("REMOTE HOST IDENTIFICATION HAS CHANGED"), std::string::npos) << error;
    EXPECT_NE(error.find(sshd_->hostKeyFingerprint()), std::string::npos) << error;
    EXPECT_EQ(prompts.count(PromptRequest::Kind::HostKey), 0u) << "never asked to override";
    EXPECT_EQ(login("root", {}).find("CHANGED; refused") == std::string::npos, false);
}

// `record --remote HOST --check`: every row checked against this machine
// (the loopback target) as uname(2), tracefs and the ELF class see it.
TEST_F(RemoteLoginTest, CheckReportsLoginRootTracefsKernelArchitectureAndBoard) {
    test::TestUser pi(test::TestUser::Sudo::NoPassword, "raspberry");
    ASSERT_TRUE(pi.error().empty()) << pi.error();
    auto argv = test::recordCommand();
    argv.insert(argv.end(), {"--remote", sshd_->destination(pi.name()), "--check"});
    const pid_t pid = test::spawnProcess(argv, dir_ / "check.txt");
    ASSERT_EQ(test::waitProcess(pid, 120), 0) << slurp(dir_ / "check.txt");
    const std::string out = slurp(dir_ / "check.txt");
    utsname u{};
    ASSERT_EQ(::uname(&u), 0);
    const std::string bits = std::to_string(8 * sizeof(long)) + "-bit";
    for (const std::string& row : std::vector<std::string>{
             "  reachable:       yes (" + sshd_->destination(pi.name()) + ")",
             "  logged in as:    " + pi.name(), "  root:            sudo (no password)",
             "  tracefs:         /sys/kernel/tracing",
             "  kernel:          Linux " + std::string(u.release),
             "  architecture:    " + std::string(u.machine) + ", " + bits + " kernel, " + bits +
                 " programs",
             std::string("  irqlens module:  ") + (fs::exists("/sys/module/irqlens_gpio_irq")
                                                       ? "irqlens_gpio_irq loaded"
                                                       : "not loaded")}) {
        EXPECT_NE(out.find(row), std::string::npos) << row << "\nin:\n" << out;
    }
    EXPECT_NE(out.find("  board:           "), std::string::npos) << out;

    test::TestUser noSudo(test::TestUser::Sudo::None, "secret");
    ASSERT_TRUE(noSudo.error().empty()) << noSudo.error();
    argv = test::recordCommand();
    argv.insert(argv.end(), {"--remote", sshd_->destination(noSudo.name()), "--check"});
    const pid_t bad = test::spawnProcess(argv, dir_ / "bad.txt");
    EXPECT_EQ(test::waitProcess(bad, 120), 1);
    EXPECT_NE(slurp(dir_ / "bad.txt").find("! root:            no"), std::string::npos)
        << slurp(dir_ / "bad.txt");
    EXPECT_NE(slurp(dir_ / "bad.txt").find("NOPASSWD"), std::string::npos);
}

// Runs `argv` on a new pseudo-terminal and types `answer` at every prompt
// that asks for a password; returns what the terminal showed and sets
// `status` (-1: timed out).
std::string runOnTerminal(const std::vector<std::string>& argv, const std::string& answer,
                          int& status, int& prompts) {
    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid == 0) {
        std::vector<char*> args;
        for (const auto& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    std::string seen;
    std::size_t answeredUpTo = 0;
    status = -1;
    prompts = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(180);
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd pfd{master, POLLIN, 0};
        if (::poll(&pfd, 1, 200) > 0) {
            char buffer[4096];
            const ssize_t n = ::read(master, buffer, sizeof buffer);
            if (n <= 0) {
                break; // the program ended (EIO)
            }
            seen.append(buffer, static_cast<std::size_t>(n));
        }
        const std::string fresh = seen.substr(answeredUpTo);
        if (fresh.find("password") != std::string::npos && fresh.ends_with(": ")) {
            const std::string line = answer + "\n";
            EXPECT_EQ(::write(master, line.data(), line.size()), static_cast<ssize_t>(line.size()));
            answeredUpTo = seen.size();
            ++prompts;
        }
    }
    status = test::waitProcess(pid, 10);
    ::close(master);
    return seen;
}

// irqlens-cli on a terminal: ssh's password and sudo's password are asked
// there, without echo, and the check goes through.
TEST_F(RemoteLoginTest, CliAsksBothPasswordsOnTheTerminal) {
    test::TestUser pi(test::TestUser::Sudo::Password, kHostilePassword);
    ASSERT_TRUE(pi.error().empty()) << pi.error();
    ::setenv("IRQLENS_SSH_CONFIG", sshd_->passwordConfig().c_str(), 1);
    auto argv = test::recordCommand();
    argv.insert(argv.end(), {"--remote", sshd_->destination(pi.name()), "--check"});
    int status = 0, prompts = 0;
    const std::string seen = runOnTerminal(argv, kHostilePassword, status, prompts);
    EXPECT_EQ(status, 0) << seen;
    EXPECT_EQ(prompts, 2) << seen;
    EXPECT_NE(seen.find(pi.name() + "@127.0.0.1's password: "), std::string::npos) << seen;
    EXPECT_NE(seen.find("[sudo] password for " + pi.name()), std::string::npos) << seen;
    EXPECT_NE(seen.find("root:            sudo (password)"), std::string::npos) << seen;
    EXPECT_EQ(seen.find(kHostilePassword), std::string::npos) << "the password was echoed";
    EXPECT_FALSE(fs::exists("/tmp/pwned-irqlens"));
}

} // namespace
} // namespace irqlens
