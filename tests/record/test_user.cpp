#include "tests/record/test_user.h"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace irqlens::test {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPrefix = "irqlens-t";

int runArgv(const std::vector<std::string>& argv, const std::string& input = {}) {
    int in[2];
    if (::pipe(in) != 0) {
        return -1;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(in[0], 0);
        ::close(in[1]);
        const int devnull = ::open("/dev/null", O_WRONLY);
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
        std::vector<char*> args;
        for (const auto& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::close(in[0]);
    if (!input.empty() && ::write(in[1], input.data(), input.size()) < 0) {
        ::close(in[1]);
        return -1;
    }
    ::close(in[1]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string sudoersPath(const std::string& user) {
    return "/etc/sudoers.d/" + user; // no '.' or '~': sudo would skip the file
}

void removeUser(const std::string& user) {
    std::error_code ec;
    fs::remove(sudoersPath(user), ec);
    runArgv({"userdel", "-f", user});
}

// Users of test processes that died before removing them.
void removeLeftoverUsers() {
    std::ifstream passwd("/etc/passwd");
    std::string line;
    std::vector<std::string> gone;
    while (std::getline(passwd, line)) {
        const std::string user = line.substr(0, line.find(':'));
        if (!user.starts_with(kPrefix)) {
            continue;
        }
        const long pid = std::atol(user.c_str() + std::char_traits<char>::length(kPrefix));
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
            gone.push_back(user);
        }
    }
    for (const auto& user : gone) {
        removeUser(user);
    }
}

} // namespace

std::string testUserUnavailableReason() {
    if (::geteuid() != 0) {
        return "creating a test user needs root";
    }
    for (const char* tool : {"/usr/sbin/useradd", "/usr/sbin/chpasswd", "/usr/bin/sudo"}) {
        if (!fs::exists(tool)) {
            return std::string(tool) + " is missing (scripts/deps installs sudo)";
        }
    }
    return "";
}

TestUser::TestUser(Sudo sudo, const std::string& password) : password_(password) {
    if (error_ = testUserUnavailableReason(); !error_.empty()) {
        return;
    }
    removeLeftoverUsers();
    static std::atomic<int> counter{0};
    name_ = kPrefix + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    if (runArgv({"useradd", "-M", "-d", "/nonexistent", "-s", "/bin/sh", name_}) != 0) {
        error_ = "useradd " + name_ + " failed";
        name_.clear();
        return;
    }
    // A password also unlocks the account: sshd without PAM refuses locked ones.
    if (runArgv({"chpasswd"}, name_ + ":" + password_ + "\n") != 0) {
        error_ = "chpasswd failed";
        return;
    }
    if (sudo == Sudo::None) {
        return;
    }
    sudoers_ = sudoersPath(name_);
    const std::string rule =
        name_ + (sudo == Sudo::NoPassword ? " ALL=(ALL) NOPASSWD: ALL\n" : " ALL=(ALL) ALL\n");
    const std::string tmp = sudoers_ + ".tmp"; // sudo skips names with a dot
    { std::ofstream(tmp) << rule; }
    ::chmod(tmp.c_str(), 0440);
    if (runArgv({"visudo", "-cqf", tmp}) != 0 || ::rename(tmp.c_str(), sudoers_.c_str()) != 0) {
        ::unlink(tmp.c_str());
        error_ = "the sudoers rule for " + name_ + " was refused";
    }
}

TestUser::~TestUser() {
    if (!name_.empty()) {
        removeUser(name_);
    }
}

} // namespace irqlens::test
