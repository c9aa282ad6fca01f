#include "tests/record/report_counts.h"

#include "tests/record/libtracecmd_iterate.h"

#include <array>
#include <cstdio>
#include <regex>
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
    // (optionally with a latency-flags column before the timestamp).
    static const std::regex event(R"(\[\d+\]\s+(?:\S+\s+)?\d+\.\d+:\s+(\w+):)");
    // "CPU:0 [77 EVENTS DROPPED]" or "CPU:0 [EVENTS DROPPED]" (count unknown).
    static const std::regex lost(R"(^CPU:\s*\d+ \[(?:(\d+) )?EVENTS DROPPED\])");
    std::istringstream lines(out);
    std::string line;
    std::smatch m;
    while (std::getline(lines, line)) {
        if (std::regex_search(line, m, lost)) {
            ++counts.lostMarkers;
            if (m[1].matched)
                counts.lostEvents += std::stoull(m[1].str());
        } else if (std::regex_search(line, m, event)) {
            ++counts.byEvent[m[1].str()];
            ++counts.total;
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

} // namespace irqlens::test
