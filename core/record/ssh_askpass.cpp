#include "core/record/ssh_askpass.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <regex>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace irqlens {

namespace {

using Clock = std::chrono::steady_clock;

long long nowNanoseconds() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

bool fillAddress(const std::string& path, sockaddr_un& address) {
    address = {};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof address.sun_path) {
        return false;
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    return true;
}

bool writeAll(int fd, const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// Reads until EOF, at most `limit` bytes, giving up after `timeoutMs` of silence.
bool readUntilEof(int fd, std::string& out, std::size_t limit, int timeoutMs) {
    char buffer[1024];
    for (;;) {
        pollfd pfd{fd, POLLIN, 0};
        const int ready = ::poll(&pfd, 1, timeoutMs);
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            return false;
        }
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return false;
        }
        if (n == 0) {
            return true;
        }
        out.append(buffer, static_cast<std::size_t>(n));
        if (out.size() > limit) {
            return false;
        }
    }
}

void wipe(std::string& secret) {
    std::fill(secret.begin(), secret.end(), '\0');
    secret.clear();
}

} // namespace

PromptRequest classifySshPrompt(const std::string& text, const std::string& destination) {
    PromptRequest r;
    r.destination = destination;
    r.text = text;
    static const std::regex fingerprint(
        R"(([A-Za-z0-9-]+) key fingerprint is (SHA256:[A-Za-z0-9+/=]+))");
    std::smatch m;
    if (text.find("continue connecting") != std::string::npos) {
        r.kind = PromptRequest::Kind::HostKey;
        if (std::regex_search(text, m, fingerprint)) {
            r.keyType = m[1].str();
            r.fingerprint = m[2].str();
        }
        return r;
    }
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.find("password") != std::string::npos ||
        lower.find("passphrase") != std::string::npos || lower.find("pin ") != std::string::npos) {
        r.kind = PromptRequest::Kind::Password;
    }
    return r;
}

bool AskpassServer::start(const std::string& socketPath, const std::string& destination,
                          Prompter prompter, std::string& error) {
    sockaddr_un address{};
    if (!fillAddress(socketPath, address)) {
        error = socketPath + ": path too long for a socket";
        return false;
    }
    listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener_ < 0 ||
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 4) != 0) {
        error = socketPath + ": cannot listen: " + std::strerror(errno);
        stop();
        return false;
    }
    destination_ = destination;
    prompter_ = std::move(prompter);
    stop_ = false;
    thread_ = std::thread([this] { serve(); });
    return true;
}

void AskpassServer::stop() {
    stop_ = true;
    if (thread_.joinable()) {
        thread_.join();
    }
    if (listener_ >= 0) {
        ::close(listener_);
        listener_ = -1;
    }
}

std::chrono::steady_clock::duration AskpassServer::timeWithUser() const {
    long long ns = userNanoseconds_.load();
    if (const long long since = promptSince_.load(); since != 0) {
        ns += nowNanoseconds() - since;
    }
    return std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(ns));
}

void AskpassServer::serve() {
    while (!stop_.load()) {
        pollfd pfd{listener_, POLLIN, 0};
        if (::poll(&pfd, 1, 100) <= 0) {
            continue;
        }
        const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) {
            continue;
        }
        answer(client);
        ::close(client);
    }
}

void AskpassServer::answer(int client) {
    // Only a process of our own user (ssh's askpass child) may ask.
    ucred peer{};
    socklen_t length = sizeof peer;
    if (::getsockopt(client, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0 ||
        peer.uid != ::geteuid()) {
        return;
    }
    std::string text;
    if (!readUntilEof(client, text, 16384, 5000)) {
        return;
    }
    PromptRequest request = classifySshPrompt(text, destination_);
    request.abandoned = &stop_;
    promptSince_ = nowNanoseconds();
    std::optional<std::string> reply;
    if (prompter_) {
        reply = prompter_(request);
    }
    userNanoseconds_ += nowNanoseconds() - promptSince_.exchange(0);
    std::string message = reply && !stop_.load() ? "1" + *reply : "0";
    writeAll(client, message);
    wipe(message);
    if (reply) {
        wipe(*reply);
    }
}

std::string askpassProgram() {
    if (const char* program = std::getenv("IRQLENS_ASKPASS_PROGRAM"); program && *program) {
        return program;
    }
    char path[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
    return n > 0 ? std::string(path, static_cast<std::size_t>(n)) : std::string();
}

std::optional<int> runAskpassIfRequested(int argc, char** argv) {
    const char* socketPath = std::getenv(kAskpassSocketVariable);
    if (!socketPath || !*socketPath || argc > 2) {
        return std::nullopt;
    }
    sockaddr_un address{};
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || !fillAddress(socketPath, address) ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        return 1;
    }
    const std::string prompt = argc > 1 ? argv[1] : "";
    std::string reply;
    const bool ok = writeAll(fd, prompt) && ::shutdown(fd, SHUT_WR) == 0 &&
                    readUntilEof(fd, reply, 65536, INT_MAX);
    ::close(fd);
    if (!ok || reply.empty() || reply[0] != '1') {
        wipe(reply);
        return 1; // cancelled: ssh gives up this way of logging in
    }
    reply.erase(0, 1);
    reply += '\n';
    const bool written =
        ::write(STDOUT_FILENO, reply.data(), reply.size()) == static_cast<ssize_t>(reply.size());
    wipe(reply);
    return written ? 0 : 1;
}

} // namespace irqlens
