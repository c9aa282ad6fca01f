#include "tests/record/record_fixture.h"

#include <arpa/inet.h>
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace irqlens::test {

namespace fs = std::filesystem;

std::string tracefsUnavailableReason() {
    if (::geteuid() != 0)
        return "recording needs root (tracefs instances)";
    if (!fs::exists("/sys/kernel/tracing/events/header_page") &&
        ::mount("nodev", "/sys/kernel/tracing", "tracefs", 0, nullptr) != 0)
        return "tracefs is not mounted and cannot be mounted at /sys/kernel/tracing";
    if (!fs::exists("/sys/kernel/tracing/instances"))
        return "tracefs has no instances directory";
    return "";
}

std::vector<std::string> tracefsInstances() {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/sys/kernel/tracing/instances", ec))
        names.push_back(e.path().filename().string());
    return names;
}

LoadGenerator::LoadGenerator(const fs::path& dir) {
    threads_.emplace_back(&LoadGenerator::disk, this, dir / "load.bin");
    threads_.emplace_back(&LoadGenerator::network, this);
}

void LoadGenerator::stop() {
    stop_ = true;
    for (auto& t : threads_)
        if (t.joinable())
            t.join();
    threads_.clear();
}

void LoadGenerator::disk(fs::path file) {
    std::vector<char> block(64 * 1024, 'x');
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return;
    std::uint64_t written = 0;
    while (!stop_) {
        if (written > (std::uint64_t{64} << 20)) { // bounded: rewrite the same 64 MiB
            ::lseek(fd, 0, SEEK_SET);
            written = 0;
        }
        const ssize_t n = ::write(fd, block.data(), block.size());
        if (n <= 0)
            break;
        written += static_cast<std::uint64_t>(n);
        diskBytes_ += static_cast<std::uint64_t>(n);
        ::fdatasync(fd);
    }
    ::close(fd);
    ::unlink(file.c_str());
}

void LoadGenerator::network() {
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(listener, 1) != 0 ||
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(listener);
        return;
    }
    const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ::connect(client, reinterpret_cast<sockaddr*>(&addr), len);
    const int server = ::accept(listener, nullptr, nullptr);
    std::vector<char> buffer(16 * 1024, 'n');
    while (!stop_ && server >= 0) {
        // Small ping-pong messages: many packets, softirqs and wakeups.
        if (::send(client, buffer.data(), 512, 0) <= 0 ||
            ::recv(server, buffer.data(), 512, 0) <= 0)
            break;
        if (::send(server, buffer.data(), 512, 0) <= 0 ||
            ::recv(client, buffer.data(), 512, 0) <= 0)
            break;
        netBytes_ += 1024;
    }
    ::close(server);
    ::close(client);
    ::close(listener);
}

std::vector<std::string> recordCommand() {
    const char* bin = std::getenv("IRQLENS_BIN_DIR");
    const fs::path dir = bin ? bin : ".";
    if (fs::exists(dir / "irqlens-cli"))
        return {(dir / "irqlens-cli").string(), "record"};
    return {(dir / "irqlens-record-driver").string()};
}

pid_t spawnProcess(const std::vector<std::string>& argv, const std::string& errFile) {
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        // Dies with the test, and never holds ctest's output pipe: a test
        // that aborts (a sanitizer report) must not leave sshd keeping
        // ctest waiting until its timeout.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        const int in = ::open("/dev/null", O_RDONLY);
        const int err = ::open(errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in >= 0)
            ::dup2(in, 0);
        if (err >= 0) {
            ::dup2(err, 1);
            ::dup2(err, 2);
        }
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

int waitProcess(pid_t pid, int seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    for (;;) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

int sshChildrenOf(pid_t parent) {
    int count = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
        std::ifstream in(entry.path() / "stat");
        std::string pid, comm, state;
        long ppid = 0;
        if (in >> pid >> comm >> state >> ppid && ppid == parent && comm == "(ssh)") {
            ++count;
        }
    }
    return count;
}

void RecordTest::SetUp() {
    if (const auto reason = tracefsUnavailableReason(); !reason.empty())
        GTEST_SKIP() << reason;
    dir_ = fs::temp_directory_path() /
           ("irqlens-record-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
}

void RecordTest::TearDown() {
    std::error_code ec;
    if (!dir_.empty() && !std::getenv("IRQLENS_KEEP"))
        fs::remove_all(dir_, ec);
}

} // namespace irqlens::test
