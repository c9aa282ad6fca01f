#include "core/record/ssh_connection.h"

#include "core/record/local_files.h"

#include <algorithm>
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

extern char** environ;

namespace irqlens {

namespace {

using Clock = std::chrono::steady_clock;

// fork+exec `args` with stdin/stdout from the given fds (-1: /dev/null),
// stderr to `stderrPath` (empty: /dev/null) and `extraEnv` ("NAME=value")
// added to our environment.  Everything is prepared before fork(): the
// child only calls async-signal-safe functions.
pid_t spawn(const std::vector<std::string>& args, int in, int out, const std::string& stderrPath,
            const std::vector<std::string>& extraEnv = {}) {
    std::vector<char*> argv;
    for (const auto& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (char** e = environ; e && *e; ++e) {
        envp.push_back(*e);
    }
    for (const auto& e : extraEnv) {
        envp.push_back(const_cast<char*>(e.c_str()));
    }
    envp.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid != 0) {
        return pid;
    }
    const int devnull = ::open("/dev/null", O_RDWR);
    const int err = stderrPath.empty()
                        ? devnull
                        : ::open(stderrPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in >= 0 ? in : devnull, 0);
    ::dup2(out >= 0 ? out : devnull, 1);
    ::dup2(err >= 0 ? err : devnull, 2);
    // A session of its own: no controlling terminal (ssh never prompts on it
    // behind our back), and Ctrl-C or a hang-up reach us, not ssh, so we
    // stop the recording in order over a connection that is still there.
    ::setsid();
    ::execvpe(argv[0], argv.data(), envp.data());
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
        if (n < 0 && errno == EINTR) {
            continue;
        }
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

// Reads everything from fd until EOF, the deadline or `interrupted()`.
bool readAll(int fd, std::string& out, Clock::time_point deadline,
             const std::function<bool()>& interrupted) {
    char buffer[65536];
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0 || interrupted()) {
            return false;
        }
        pollfd pfd{fd, POLLIN, 0};
        if (::poll(&pfd, 1, static_cast<int>(std::min<long long>(left, 100))) <= 0) {
            continue;
        }
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return true;
        }
        out.append(buffer, static_cast<std::size_t>(n));
    }
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    return text;
}

std::string lastLine(const std::string& text) {
    const std::string t = trimmed(text);
    const auto nl = t.rfind('\n');
    return nl == std::string::npos ? t : t.substr(nl + 1);
}

// OpenSSH's changed-key warning without its frame of '@' lines.
std::string changedKeyWarning(const std::string& text) {
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto nl = text.find('\n', at);
        std::string line = trimmed(text.substr(at, nl == std::string::npos ? nl : nl - at));
        at = nl == std::string::npos ? text.size() : nl + 1;
        if (line.empty() || line.find_first_not_of('@') == std::string::npos) {
            continue;
        }
        if (line.starts_with("@")) {
            line = line.substr(line.find_first_not_of("@ "));
            line = line.substr(0, line.find_last_not_of("@ ") + 1);
        }
        out += (out.empty() ? "" : "\n") + line;
    }
    return out;
}

void wipe(std::string& secret) {
    std::fill(secret.begin(), secret.end(), '\0');
    secret.clear();
}

} // namespace

int waitChild(pid_t pid, int timeoutMs) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        if (r < 0 || Clock::now() >= deadline) {
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::vector<std::string> sshArguments(const SshDestination& dest, const std::string& socket,
                                      bool master, bool interactive) {
    std::vector<std::string> args{"ssh"};
    if (const char* config = std::getenv("IRQLENS_SSH_CONFIG")) {
        args.insert(args.end(), {"-F", config});
    }
    args.insert(args.end(), {"-S", socket, "-o", "ConnectTimeout=10", "-o", "ServerAliveInterval=5",
                             "-o", "ServerAliveCountMax=3", "-T"});
    if (master) {
        args.insert(args.end(), {"-M", "-o", "ControlPersist=no"});
    } else {
        // Never a master of its own, even with ControlMaster=auto in ~/.ssh/config.
        args.insert(args.end(), {"-o", "ControlMaster=no"});
    }
    if (master && interactive) {
        // ssh asks (through our askpass) before it adds an unknown key to
        // known_hosts; a changed key is refused whatever the answer.
        args.insert(args.end(), {"-o", "BatchMode=no", "-o", "StrictHostKeyChecking=ask"});
    } else {
        args.insert(args.end(), {"-o", "BatchMode=yes"});
    }
    if (!dest.user.empty()) {
        args.insert(args.end(), {"-l", dest.user});
    }
    if (dest.port) {
        args.insert(args.end(), {"-p", std::to_string(dest.port)});
    }
    args.insert(args.end(), {"--", dest.host});
    return args;
}

std::string SshConnection::classify(const std::string& text) const {
    const std::string host = dest_.display();
    const std::string detail = lastLine(text);
    auto has = [&](const char* s) { return text.find(s) != std::string::npos; };
    if (has("Could not resolve hostname")) {
        return host + ": unknown host (" + detail + ")";
    }
    if (has("IDENTIFICATION HAS CHANGED")) {
        return host + ": the host key has CHANGED; refused (never overridden). OpenSSH says:\n" +
               changedKeyWarning(text);
    }
    if (has("Host key verification failed") || (has("No ") && has("host key is known"))) {
        if (prompter_) {
            return host + ": the host key was not accepted (" + detail + ")";
        }
        return host + ": host key unknown; connect once with `ssh " + host +
               "` (or Record in the irqlens window) to check and accept it (" + detail + ")";
    }
    if (has("Connection refused") || has("No route to host") || has("timed out") ||
        has("Network is unreachable") || has("Connection closed by")) {
        return host + ": unreachable (" + detail + ")";
    }
    if (has("Permission denied")) {
        return host + ": authentication failed (" + detail + ")";
    }
    return host + ": ssh failed" + (detail.empty() ? "" : " (" + detail + ")");
}

bool SshConnection::waitForHolder(int fd, int timeoutSeconds, std::string& line) {
    const auto begin = Clock::now();
    char c = 0;
    while (line.find('\n') == std::string::npos && !interrupted()) {
        const auto userTime = askpass_ ? askpass_->timeWithUser() : Clock::duration{};
        if (Clock::now() - begin - userTime > std::chrono::seconds(timeoutSeconds)) {
            return false;
        }
        pollfd pfd{fd, POLLIN, 0};
        if (::poll(&pfd, 1, 100) <= 0) {
            continue;
        }
        if (::read(fd, &c, 1) != 1) {
            break;
        }
        line += c;
    }
    return true;
}

bool SshConnection::open(std::string& error, int timeoutSeconds) {
    char pattern[] = "/tmp/irqlens-ssh-XXXXXX";
    if (!::mkdtemp(pattern)) {
        error = std::string("cannot create a private temp dir: ") + std::strerror(errno);
        return false;
    }
    dir_ = pattern;
    socket_ = dir_ + "/cm";
    std::vector<std::string> env;
    if (prompter_) {
        askpass_ = std::make_unique<AskpassServer>();
        const std::string socketPath = dir_ + "/askpass";
        if (!askpass_->start(socketPath, dest_.display(), prompter_, error)) {
            close();
            return false;
        }
        env = {"SSH_ASKPASS=" + askpassProgram(), "SSH_ASKPASS_REQUIRE=force",
               std::string(kAskpassSocketVariable) + "=" + socketPath};
    }
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
        error = std::string("pipe: ") + std::strerror(errno);
        close();
        return false;
    }
    auto args = sshArguments(dest_, socket_, true, static_cast<bool>(prompter_));
    // Fixed text, no user input: prints the holder's pid, then waits for our EOF.
    args.push_back("echo irqlens-holder $$; exec cat >/dev/null");
    masterPid_ = spawn(args, in[0], out[1], dir_ + "/master.err", env);
    ::close(in[0]);
    ::close(out[1]);
    holderStdin_ = in[1];
    std::string line;
    const bool inTime = waitForHolder(out[0], timeoutSeconds, line);
    ::close(out[0]);
    if (askpass_) {
        askpass_->stop(); // one prompt per recording: later sessions share this one
    }
    if (!line.starts_with("irqlens-holder ")) {
        const auto err = readWholeFile(dir_ + "/master.err");
        const bool stopped = interrupted();
        close();
        if (stopped) {
            error = dest_.display() + ": stopped while connecting";
        } else if (!inTime) {
            error = dest_.display() + ": no answer within " + std::to_string(timeoutSeconds) + " s";
        } else {
            error = classify(err.value_or(""));
        }
        return false;
    }
    holderPid_ = line.substr(15, line.size() - 16);
    // The control socket may appear just after the session started.
    for (int i = 0; i < 200 && !std::filesystem::exists(socket_); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

void SshConnection::setPrivilege(TargetPrivilege privilege, std::string sudoPassword) {
    privilege_ = privilege;
    wipe(sudoPassword_);
    sudoPassword_ = std::move(sudoPassword);
}

int SshConnection::run(const std::string& script, std::string& out, std::string& err,
                       int timeoutSeconds) {
    return execute(rootInvocation(script, privilege_, sudoPassword_), out, err, timeoutSeconds);
}

int SshConnection::runAsLogin(const std::string& script, std::string& out, std::string& err,
                              int timeoutSeconds) {
    return execute(loginInvocation(script), out, err, timeoutSeconds);
}

int SshConnection::execute(const RemoteInvocation& invocation, std::string& out, std::string& err,
                           int timeoutSeconds) {
    out.clear();
    err.clear();
    if (!isOpen() || interrupted()) {
        return -1;
    }
    int pipeOut[2];
    if (::pipe2(pipeOut, O_CLOEXEC) != 0) {
        return -1;
    }
    const bool withInput = !invocation.input.empty();
    int pipeIn[2] = {-1, -1};
    if (withInput && ::pipe2(pipeIn, O_CLOEXEC) != 0) {
        ::close(pipeOut[0]);
        ::close(pipeOut[1]);
        return -1;
    }
    auto args = sshArguments(dest_, socket_, false, false);
    args.push_back(invocation.commandLine);
    static std::atomic<int> counter{0};
    const std::string errPath = dir_ + "/run" + std::to_string(++counter) + ".err";
    const pid_t pid = spawn(args, pipeIn[0], pipeOut[1], errPath);
    ::close(pipeOut[1]);
    std::thread writer;
    if (withInput) {
        ::close(pipeIn[0]);
        writer =
            std::thread([fd = pipeIn[1], &invocation] { writeAndClose(fd, invocation.input); });
    }
    const bool complete =
        readAll(pipeOut[0], out, Clock::now() + std::chrono::seconds(timeoutSeconds),
                [this] { return interrupted(); });
    ::close(pipeOut[0]);
    if (!complete) {
        ::kill(pid, SIGTERM);
    }
    if (writer.joinable()) {
        writer.join();
    }
    const int status = waitChild(pid, complete ? timeoutSeconds * 1000 : 2000);
    if (status < 0) {
        ::kill(pid, SIGKILL);
        waitChild(pid, 1000);
    }
    err = readWholeFile(errPath).value_or("");
    ::unlink(errPath.c_str());
    return complete ? status : -1;
}

SshStream SshConnection::stream(const std::string& script) {
    SshStream s;
    const RemoteInvocation invocation = rootInvocation(script, privilege_, sudoPassword_);
    int pipeOut[2];
    if (!isOpen() || ::pipe2(pipeOut, O_CLOEXEC) != 0) {
        return s;
    }
    int pipeIn[2] = {-1, -1};
    if (!invocation.input.empty() && ::pipe2(pipeIn, O_CLOEXEC) != 0) {
        ::close(pipeOut[0]);
        ::close(pipeOut[1]);
        return s;
    }
    auto args = sshArguments(dest_, socket_, false, false);
    args.push_back(invocation.commandLine);
    s.pid = spawn(args, pipeIn[0], pipeOut[1], "");
    ::close(pipeOut[1]);
    if (pipeIn[0] >= 0) {
        ::close(pipeIn[0]);
        writeAndClose(pipeIn[1], invocation.input); // a few hundred bytes: fits the pipe
    }
    s.fd = pipeOut[0];
    return s;
}

void SshConnection::close() {
    if (askpass_) {
        askpass_->stop();
        askpass_.reset();
    }
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
    wipe(sudoPassword_);
    privilege_ = TargetPrivilege::Root;
}

} // namespace irqlens
