// Runs the built irqlens-cli and `trace-cmd report` for the CLI tests.
#pragma once

#include "tests/support/test_data.h"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace irqlens::test {

struct RunResult {
    int status = -1; // exit status (128 + signal when killed by one)
    std::string out;
    std::string err;
};

// Runs `irqlens-cli ARGS...` from IRQLENS_BIN_DIR, capturing both streams.
RunResult runCli(const std::vector<std::string>& args);

// Parses stdout of a successful run as JSON (fails the test otherwise).
nlohmann::json runCliJson(const std::vector<std::string>& args);

// irq_wq.dat, irq_stack.dat and net_v6.dat (samples/, tests/data/).
std::vector<std::string> traceDatSamples();

// Counts computed from `trace-cmd report -i FILE` (one line per event).
struct ReportCounts {
    std::uint64_t events = 0;
    std::map<int, std::uint64_t> perCpu;
    std::map<std::string, std::uint64_t> perName; // "irq_handler_entry"
    std::int64_t firstUs = -1;                    // first timestamp, microseconds
    std::int64_t lastUs = -1;
};
ReportCounts traceCmdReport(const std::string& file);

// A scratch directory for this test process (removed at exit).
std::string scratchDir();

// Rows of a CSV text (no quoted commas expected in these tests' columns).
std::vector<std::vector<std::string>> parseCsv(const std::string& text);

} // namespace irqlens::test
