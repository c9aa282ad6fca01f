#include "app/cli/terminal_prompt.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace irqlens::cli {

namespace {

void writeText(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        done += static_cast<std::size_t>(n);
    }
}

bool set(const std::atomic<bool>* flag) {
    return flag && flag->load();
}

// One line from the terminal; nullopt on EOF or once a flag is set.  Polls,
// so a Ctrl-C handled by another thread still ends the wait.
std::optional<std::string> readLine(int fd, const std::atomic<bool>* stop,
                                    const std::atomic<bool>* abandoned) {
    std::string line;
    char c = 0;
    for (;;) {
        pollfd pfd{fd, POLLIN, 0};
        const int ready = ::poll(&pfd, 1, 200);
        if (set(stop) || set(abandoned)) {
            std::fill(line.begin(), line.end(), '\0');
            return std::nullopt;
        }
        if (ready == 0 || (ready < 0 && errno == EINTR)) {
            continue;
        }
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            std::fill(line.begin(), line.end(), '\0');
            return std::nullopt;
        }
        if (c == '\n') {
            return line;
        }
        line += c;
    }
}

std::string questionText(const PromptRequest& r) {
    if (r.kind == PromptRequest::Kind::HostKey) {
        // ssh's own text: host, key type and SHA256 fingerprint, and the question.
        return r.text;
    }
    return r.text.empty() ? r.destination + ": " : r.text;
}

std::optional<std::string> askOnTerminal(const PromptRequest& request,
                                         const std::atomic<bool>* stop) {
    const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (tty < 0) {
        return std::nullopt;
    }
    const bool secret = request.kind == PromptRequest::Kind::Password ||
                        request.kind == PromptRequest::Kind::SudoPassword;
    termios saved{};
    const bool haveTermios = ::tcgetattr(tty, &saved) == 0;
    if (secret && haveTermios) {
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        quiet.c_lflag |= ECHONL;
        ::tcsetattr(tty, TCSAFLUSH, &quiet);
    }
    writeText(tty, questionText(request));
    auto answer = readLine(tty, stop, request.abandoned);
    if (secret && haveTermios) {
        ::tcsetattr(tty, TCSAFLUSH, &saved);
        if (!answer) {
            writeText(tty, "\n");
        }
    }
    ::close(tty);
    return answer;
}

} // namespace

Prompter terminalPrompter(const std::atomic<bool>* stop) {
    if (!::isatty(STDIN_FILENO)) {
        return {};
    }
    return [stop](const PromptRequest& request) { return askOnTerminal(request, stop); };
}

} // namespace irqlens::cli
