// The independent side of the reader tests: runs `trace-cmd report -t` on a
// capture and parses its text, so every count and field our reader produces
// is checked against what trace-cmd itself prints for the same file.
#pragma once

#include "tests/support/test_data.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace irqlens::test {

struct ReportEvent {
    std::string buffer; // "" for the top buffer; an extra buffer's events print "NAME: " first
    std::string comm;
    int pid = 0;
    int cpu = 0;
    std::int64_t tsNs = 0;
    std::string name;               // event name without system ("softirq_raise")
    std::string info;               // the rest of the line
    std::vector<std::string> stack; // "=> ..." lines of a kernel_stack event
    // "CPU:N [EVENTS DROPPED]" / "CPU:N [K EVENTS DROPPED]" printed just before
    // this event: -1 count unknown, K, or 0 when no drop was reported.
    std::int64_t droppedBefore = 0;
};

// Calls `onEvent` for each event of `trace-cmd report -t PATH` (a
// kernel_stack event is delivered with its "=>" lines).  Returns false when
// trace-cmd could not be run.
bool forEachReportEvent(const std::string& path,
                        const std::function<void(const ReportEvent&)>& onEvent);

struct ReportCounts {
    std::uint64_t total = 0;
    std::map<int, std::uint64_t> perCpu;
    std::map<std::string, std::uint64_t> perName;
};
ReportCounts countReport(const std::string& path);

// Output of a shell command (stdout only).
std::string runCommand(const std::string& command);

} // namespace irqlens::test
