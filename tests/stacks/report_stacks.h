// An independent reading of `trace-cmd report` text (default or -l layout):
// events in order per CPU, with the `=> name (address)` lines that follow a
// kernel_stack event.  Written for the tests only; it shares no code with
// the text reader in parsers/text.
#pragma once

#include "tests/support/test_data.h"

#include <cstdint>
#include <istream>
#include <map>
#include <string>
#include <vector>

namespace irqlens::test {

struct ReportFrame {
    std::string name;
    std::uint64_t address = 0;
};

struct ReportEvent {
    int cpu = 0;
    std::string timestamp;           // "379.996479" as printed
    std::string name;                // "workqueue_execute_start"
    std::string info;                // the rest of the line, trimmed
    std::vector<ReportFrame> frames; // kernel_stack only, innermost first
    bool complete = true;            // false when the text ended inside its stack
};

struct ReportStacks {
    std::map<int, std::vector<ReportEvent>> perCpu; // events in report order per CPU
};

ReportStacks readReport(std::istream& in);
// Runs `trace-cmd report [-l] FILE` and reads it; empty when trace-cmd is missing.
ReportStacks readTraceCmdReport(const std::string& file, bool latency);
// "379.996479" for a ns timestamp (the report's microsecond precision).
std::string reportTimestamp(std::int64_t ns);

} // namespace irqlens::test
