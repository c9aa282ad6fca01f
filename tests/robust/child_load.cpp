#include "tests/robust/child_load.h"

#include "parsers/capture_loader.h"

#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace irqlens::test {

namespace {

// Child -> parent message: one record per line, "O"/"F" first, then the error,
// then the event count, then one warning per line (newlines in text escaped).
std::string escapeLine(const std::string& text) {
    std::string out;
    for (char c : text) {
        out += c == '\n' ? std::string("\\n") : std::string(1, c);
    }
    return out;
}

// What the GUI reads of a loaded capture on demand: a few events' fields
// and text, re-read by the store's source (libtracecmd, or irqlens' page
// source for cut-short, damaged or zlib captures), so bad input reaches it
// here too (under ASan in the asan preset).
void readDetails(const EventStore& store) {
    for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
        const std::size_t n = store.cpu(cpu).size();
        for (std::size_t i : {std::size_t(0), n / 2, n - 1}) {
            if (i < n) {
                const EventRef ref{static_cast<std::uint16_t>(cpu), static_cast<std::uint32_t>(i)};
                (void)store.decode(ref);
                const CpuEvents& col = store.cpu(cpu);
                if (store.source()) {
                    (void)store.source()->info(cpu, col.anchorOffset(i),
                                               static_cast<std::uint32_t>(i - col.anchorIndex(i)));
                }
                (void)store.symbolize(store.event(ref).arg);
            }
        }
    }
}

[[noreturn]] void runChild(const std::string& path, int fd, unsigned timeoutSeconds) {
    ::alarm(timeoutSeconds); // default action kills the child: the parent sees SIGALRM
    const LoadResult r = loadCapture(path);
    if (r.store) {
        readDetails(*r.store);
    }
    std::string msg = r.ok() ? "O\n" : "F\n";
    msg += escapeLine(r.error) + "\n";
    msg += std::to_string(r.store ? r.store->totalEvents() : 0);
    for (int cpu = 0; r.store && cpu < r.store->cpuCount(); ++cpu) {
        msg += " " + std::to_string(r.store->cpu(cpu).size());
    }
    msg += "\n";
    if (r.store) {
        for (const auto& w : r.store->info().warnings) {
            msg += escapeLine(w) + "\n";
        }
    }
    for (std::size_t done = 0; done < msg.size();) {
        const ssize_t n = ::write(fd, msg.data() + done, msg.size() - done);
        if (n <= 0) {
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    ::_exit(0);
}

std::string readAll(int fd) {
    std::string out;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) {
            return out;
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
}

void parseMessage(const std::string& msg, ChildLoad& result) {
    std::istringstream in(msg);
    std::string line;
    std::getline(in, line);
    result.outcome = line == "O" ? ChildLoad::Outcome::Loaded : ChildLoad::Outcome::FailedCleanly;
    std::getline(in, result.error);
    std::getline(in, line);
    std::istringstream counts(line);
    counts >> result.events;
    for (std::uint64_t n = 0; counts >> n;) {
        result.perCpu.push_back(n);
    }
    while (std::getline(in, line)) {
        result.warnings.push_back(line);
    }
}

} // namespace

ChildLoad loadInChild(const std::string& path, unsigned timeoutSeconds) {
    ChildLoad result;
    int fds[2];
    if (::pipe(fds) != 0) {
        result.crash = "pipe failed";
        return result;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        runChild(path, fds[1], timeoutSeconds);
    }
    ::close(fds[1]);
    const std::string msg = readAll(fds[0]);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        result.outcome = sig == SIGALRM ? ChildLoad::Outcome::Hung : ChildLoad::Outcome::Crashed;
        result.crash =
            std::string("killed by signal ") + std::to_string(sig) + " (" + ::strsignal(sig) + ")";
    } else if (WEXITSTATUS(status) != 0 || msg.empty()) {
        // ASan/UBSan report and exit(1) instead of dying by a signal.
        result.crash = "exited with status " + std::to_string(WEXITSTATUS(status));
    } else {
        parseMessage(msg, result);
    }
    return result;
}

const char* outcomeName(ChildLoad::Outcome outcome) {
    switch (outcome) {
    case ChildLoad::Outcome::Loaded:
        return "loaded";
    case ChildLoad::Outcome::FailedCleanly:
        return "failed cleanly";
    case ChildLoad::Outcome::Crashed:
        return "CRASHED";
    case ChildLoad::Outcome::Hung:
        return "HUNG";
    }
    return "?";
}

std::string readFileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void writeFileBytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

} // namespace irqlens::test
