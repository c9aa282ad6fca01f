#include "core/record/ssh_connection.h"

#include "core/record/local_files.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace irqlens {

namespace {

using Clock = std::chrono::steady_clock;

// fork+exec `args` with stdin/stdout from the given fds (-1: /dev/null) and
// stderr to `stderrPath` (empty: /dev/null).
pid_t spawn(const std::vector<std::string>& args, int in, int out, const std::string& stderrPath) {
    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid != 0)
        return pid;
    const int devnull = ::open("/dev/null", O_RDWR);
    const int err = stderrPath.empty()
                        ? devnull
                        : ::open(stderrPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in >= 0 ? in : devnull, 0);
    ::dup2(out >= 0 ? out : devnull, 1);
    ::dup2(err >= 0 ? err : devnull, 2);
    ::setpgid(0, 0); // Ctrl-C reaches us, not ssh: we stop the recording in order
    ::execvp(argv[0], argv.data());
    ::_exit(127);
}

// Writes text to fd and closes it.  A peer that is gone gives EPIPE here,
// not a SIGPIPE that would end the whole program.
void writeAndClose(int fd, const std::string& text) {
    sigset_t pipeSignal, old;
    ::sigemptyset(&pipeSignal);
    ::sigaddset(&pipeSignal, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipeSignal, &old);
    std::size_t done = 0;
    bool broken = false;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            broken = errno == EPIPE;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (broken) {
        const timespec now{};
        ::sigtimedwait(&pipeSignal, nullptr, &now); // take the pending SIGPIPE back
    }
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

// Reads everything from fd until EOF or the deadline.
bool readAll(int fd, std::string& out, Clock::time_point deadline) {
    char buffer[65536];
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            return false;
        pollfd pfd{fd, POLLIN, 0};
        if (::poll(&pfd, 1, static_cast<int>(std::min<long long>(left, 1000))) <= 0)
            continue;
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return true;
        out.append(buffer, static_cast<std::size_t>(n));
    }
}

std::string lastLine(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    const auto nl = text.rfind('\n');
    return nl == std::string::npos ? text : text.substr(nl + 1);
}

} // namespace

int waitChild(pid_t pid, int timeoutMs) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (r < 0 || Clock::now() >= deadline)
            return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::vector<std::string> SshConnection::sshArgs(bool master) const {
    std::vector<std::string> args{"ssh"};
    if (const char* config = std::getenv("IRQLENS_SSH_CONFIG"))
        args.insert(args.end(), {"-F", config});
    args.insert(args.end(), {"-S", socket_, "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o",
                             "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3", "-T"});
    if (master)
        args.insert(args.end(), {"-M", "-o", "ControlPersist=no"});
    if (!dest_.user.empty())
        args.insert(args.end(), {"-l", dest_.user});
    if (dest_.port)
        args.insert(args.end(), {"-p", std::to_string(dest_.port)});
    args.insert(args.end(), {"--", dest_.host});
    return args;
}

std::string SshConnection::classify(const std::string& text) const {
    const std::string host = dest_.display();
    const std::string detail = lastLine(text);
    auto has = [&](const char* s) { return text.find(s) != std::string::npos; };
    if (has("Could not resolve hostname"))
        return host + ": unknown host (" + detail + ")";
    if (has("Connection refused") || has("No route to host") || has("timed out") ||
        has("Network is unreachable") || has("Connection closed by"))
        return host + ": unreachable (" + detail + ")";
    if (has("Host key verification failed") || has("IDENTIFICATION HAS CHANGED"))
        return host + ": host key unknown or changed; connect once with `ssh " + host +
               "` to check and accept it (" + detail + ")";
    if (has("Permission denied"))
        return host + ": authentication failed (" + detail + ")";
    return host + ": ssh failed" + (detail.empty() ? "" : " (" + detail + ")");
}

bool SshConnection::open(std::string& error, int timeoutSeconds) {
    char pattern[] = "/tmp/irqlens-ssh-XXXXXX";
    if (!::mkdtemp(pattern)) {
        error = std::string("cannot create a private temp dir: ") + std::strerror(errno);
        return false;
    }
    dir_ = pattern;
    socket_ = dir_ + "/cm";
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
        error = std::string("pipe: ") + std::strerror(errno);
        return false;
    }
    auto args = sshArgs(true);
    // Fixed text, no user input: prints the holder's pid, then waits for our EOF.
    args.push_back("echo irqlens-holder $$; exec cat >/dev/null");
    masterPid_ = spawn(args, in[0], out[1], dir_ + "/master.err");
    ::close(in[0]);
    ::close(out[1]);
    holderStdin_ = in[1];
    std::string line;
    const auto deadline = Clock::now() + std::chrono::seconds(timeoutSeconds);
    char c = 0;
    while (line.find('\n') == std::string::npos && Clock::now() < deadline) {
        pollfd pfd{out[0], POLLIN, 0};
        if (::poll(&pfd, 1, 200) <= 0)
            continue;
        if (::read(out[0], &c, 1) != 1)
            break;
        line += c;
    }
    ::close(out[0]);
    if (!line.starts_with("irqlens-holder ")) {
        const auto err = readWholeFile(dir_ + "/master.err");
        close();
        error = line.empty() && Clock::now() >= deadline ? dest_.display() + ": no answer within " +
                                                               std::to_string(timeoutSeconds) + " s"
                                                         : classify(err.value_or(""));
        return false;
    }
    holderPid_ = line.substr(15, line.size() - 16);
    // The control socket may appear just after the session started.
    for (int i = 0; i < 200 && !std::filesystem::exists(socket_); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return true;
}

int SshConnection::run(const std::string& command, std::string& out, std::string& err,
                       int timeoutSeconds) {
    out.clear();
    err.clear();
    if (!isOpen())
        return -1;
    int pipeOut[2];
    if (::pipe2(pipeOut, O_CLOEXEC) != 0)
        return -1;
    // Long scripts (all event formats in one `cat`) go through stdin: some
    // servers limit a command line (dropbear drops commands over ~9000 bytes).
    const bool viaStdin = command.size() > kLongCommandBytes;
    int pipeIn[2] = {-1, -1};
    if (viaStdin && ::pipe2(pipeIn, O_CLOEXEC) != 0) {
        ::close(pipeOut[0]);
        ::close(pipeOut[1]);
        return -1;
    }
    auto args = sshArgs(false);
    // Fixed text: the shell reads the whole script, then runs it with stdin at EOF.
    args.push_back(viaStdin ? "exec sh -c \"$(cat)\" irqlens-script" : command);
    static std::atomic<int> counter{0};
    const std::string errPath = dir_ + "/run" + std::to_string(++counter) + ".err";
    const pid_t pid = spawn(args, pipeIn[0], pipeOut[1], errPath);
    ::close(pipeOut[1]);
    std::thread writer;
    if (viaStdin) {
        ::close(pipeIn[0]);
        writer = std::thread([fd = pipeIn[1], &command] { writeAndClose(fd, command); });
    }
    const bool complete =
        readAll(pipeOut[0], out, Clock::now() + std::chrono::seconds(timeoutSeconds));
    ::close(pipeOut[0]);
    if (!complete)
        ::kill(pid, SIGTERM);
    if (writer.joinable())
        writer.join();
    const int status = waitChild(pid, complete ? timeoutSeconds * 1000 : 2000);
    err = readWholeFile(errPath).value_or("");
    ::unlink(errPath.c_str());
    return complete ? status : -1;
}

SshStream SshConnection::stream(const std::string& command) {
    SshStream s;
    int pipeOut[2];
    if (!isOpen() || ::pipe2(pipeOut, O_CLOEXEC) != 0)
        return s;
    auto args = sshArgs(false);
    args.push_back(command);
    s.pid = spawn(args, -1, pipeOut[1], "");
    ::close(pipeOut[1]);
    s.fd = pipeOut[0];
    return s;
}

void SshConnection::close() {
    if (holderStdin_ >= 0) {
        ::close(holderStdin_); // the holder's cat sees EOF, the master session ends
        holderStdin_ = -1;
    }
    if (masterPid_ > 0) {
        if (waitChild(masterPid_, 3000) < 0) {
            ::kill(masterPid_, SIGTERM);
            if (waitChild(masterPid_, 2000) < 0) {
                ::kill(masterPid_, SIGKILL);
                waitChild(masterPid_, 1000);
            }
        }
        masterPid_ = -1;
    }
    if (!dir_.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
        dir_.clear();
    }
}

} // namespace irqlens
