#include "tests/record/report_counts.h"

#include "tests/record/libtracecmd_iterate.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <sys/wait.h>

namespace irqlens::test {

std::string runCommand(const std::string& command, int* status) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) {
        if (status)
            *status = -1;
        return out;
    }
    std::array<char, 65536> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        out.append(buffer.data(), n);
    const int rc = ::pclose(pipe);
    if (status)
        *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    return out;
}

EventCounts countWithTraceCmdReport(const std::string& path) {
    EventCounts counts;
    int status = 0;
    const std::string out = runCommand("trace-cmd report '" + path + "' 2>&1", &status);
    if (status != 0) {
        counts.error = "trace-cmd report failed: " + out.substr(0, 400);
        return counts;
    }
    // "  <idle>-0     [001]  1234.567890: irq_handler_entry:    irq=24 ..."
    // (optionally a latency-flags column before the timestamp), and
    // "CPU:0 [77 EVENTS DROPPED]" / "CPU:0 [EVENTS DROPPED]".
    // Parsed by hand: std::regex is far too slow for millions of lines.
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.starts_with("CPU:") && line.find("EVENTS DROPPED]") != std::string::npos) {
            ++counts.lostMarkers;
            const auto open = line.find('[');
            if (open != std::string::npos &&
                std::isdigit(static_cast<unsigned char>(line[open + 1])))
                counts.lostEvents += std::stoull(line.substr(open + 1));
            continue;
        }
        const auto cpu = line.find("] ");
        if (cpu == std::string::npos)
            continue;
        std::istringstream tokens(line.substr(cpu + 2));
        std::string token;
        for (int i = 0; i < 3 && tokens >> token; ++i) {
            const bool timestamp = token.size() > 2 && token.back() == ':' &&
                                   token.find('.') != std::string::npos &&
                                   std::isdigit(static_cast<unsigned char>(token[0]));
            if (!timestamp)
                continue;
            if (tokens >> token && token.size() > 1 && token.back() == ':') {
                ++counts.byEvent[token.substr(0, token.size() - 1)];
                ++counts.total;
            }
            break;
        }
    }
    counts.ok = true;
    return counts;
}

namespace {
void countRecord(const char* name, long long missed, void* data) {
    auto* counts = static_cast<EventCounts*>(data);
    ++counts->byEvent[name];
    ++counts->total;
    if (missed != 0) {
        ++counts->lostMarkers;
        if (missed > 0)
            counts->lostEvents += static_cast<std::uint64_t>(missed);
    }
}
} // namespace

EventCounts countWithLibtracecmd(const std::string& path) {
    EventCounts counts;
    if (irqlens_iterate_records(path.c_str(), countRecord, &counts) != 0) {
        counts.error = "tracecmd_open failed on " + path;
        return counts;
    }
    counts.ok = true;
    return counts;
}

std::optional<std::uint64_t> storedReadEvents(const std::string& path) {
    return storedStatSum(path, "read events");
}

std::optional<std::uint64_t> storedStatSum(const std::string& path, const std::string& name) {
    char* stats = irqlens_stored_cpustats(path.c_str());
    if (!stats) {
        return std::nullopt;
    }
    std::istringstream lines(stats);
    std::free(stats);
    std::optional<std::uint64_t> sum;
    const std::string key = name + ": ";
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(key, 0) == 0) {
            sum = sum.value_or(0) + std::stoull(line.substr(key.size()));
        }
    }
    return sum;
}

} // namespace irqlens::test
