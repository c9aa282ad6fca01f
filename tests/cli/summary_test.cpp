// `irqlens-cli summary` against `trace-cmd report` of the same file: total
// events, events per CPU, events per name, time range.
#include "cli_runner.h"

#include <fstream>
#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

class SummaryTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SummaryTest, CountsEqualTraceCmdReport) {
    const std::string file = GetParam();
    const ReportCounts report = traceCmdReport(file);
    ASSERT_GT(report.events, 0u) << "trace-cmd report printed no event for " << file;
    const auto j = runCliJson({"summary", file, "--json"});
    ASSERT_TRUE(j.is_object());

    EXPECT_EQ(j["events"].get<std::uint64_t>(), report.events);
    for (const auto& [cpu, n] : report.perCpu) {
        ASSERT_TRUE(j["cpus"].contains(std::to_string(cpu))) << "cpu " << cpu;
        EXPECT_EQ(j["cpus"][std::to_string(cpu)].get<std::uint64_t>(), n) << "cpu " << cpu;
    }
    for (const auto& [cpu, n] : j["cpus"].items()) {
        if (!report.perCpu.count(std::stoi(cpu))) {
            EXPECT_EQ(n.get<std::uint64_t>(), 0u) << "cpu " << cpu << " has no event in the report";
        }
    }
    // event_counts keys are "system:name"; the report prints the name only.
    std::map<std::string, std::uint64_t> byName;
    for (const auto& [full, n] : j["event_counts"].items()) {
        const auto colon = full.find(':');
        ASSERT_NE(colon, std::string::npos) << full;
        byName[full.substr(colon + 1)] += n.get<std::uint64_t>();
    }
    EXPECT_EQ(byName, report.perName);

    // Microsecond timestamps as the report prints them.
    EXPECT_NEAR(double(j["first_ts_ns"].get<std::int64_t>() / 1000), double(report.firstUs), 1.0);
    EXPECT_NEAR(double(j["last_ts_ns"].get<std::int64_t>() / 1000), double(report.lastUs), 1.0);
}

TEST_P(SummaryTest, HasEveryDocumentedKey) {
    const auto j = runCliJson({"summary", GetParam(), "--json"});
    for (const char* key :
         {"events", "cpus", "event_counts", "spans", "episodes", "missed_events", "first_ts_ns",
          "last_ts_ns", "load_seconds", "bytes_per_event", "unparsed_lines"}) {
        EXPECT_TRUE(j.contains(key)) << key;
    }
    for (const char* kind : {"hardirq", "softirq", "tasklet", "workqueue", "irq_thread"}) {
        EXPECT_TRUE(j["spans"].contains(kind)) << kind;
    }
    EXPECT_GT(j["bytes_per_event"].get<double>(), 0.0);
    EXPECT_GE(j["load_seconds"].get<double>(), 0.0);
}

std::string sampleName(const ::testing::TestParamInfo<std::string>& param) {
    auto name = param.param.substr(param.param.rfind('/') + 1);
    return name.substr(0, name.find('.'));
}

INSTANTIATE_TEST_SUITE_P(Samples, SummaryTest, ::testing::ValuesIn(traceDatSamples()), sampleName);

TEST(SummaryTable, ShowsTheTotalAndEachEvent) {
    const std::string file = dataPath("irq_wq.dat");
    const ReportCounts report = traceCmdReport(file);
    const RunResult r = runCli({"summary", file});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("events         " + std::to_string(report.events)), std::string::npos)
        << r.out;
    for (const auto& [name, n] : report.perName) {
        EXPECT_NE(r.out.find(":" + name), std::string::npos) << name;
    }
}

// A text capture with lines that are not trace lines: the summary counts
// them (JSON and table); the trace lines around them all load.
TEST(SummaryText, SaysHowManyLinesWereNotTraceLines) {
    const std::string path = scratchDir() + "/unparsed.txt";
    std::ofstream(path) << "# tracer: nop\n"
                           "  <idle>-0  [000] d.h. 100.000001: irq_handler_entry: irq=1 name=a\n"
                           "garbage that a copy-paste left\n"
                           "  <idle>-0  [000] d.h. 100.000002: irq_handler_exit: irq=1 "
                           "ret=handled\n"
                           "more garbage\n";
    const auto j = runCliJson({"summary", path, "--json"});
    EXPECT_EQ(j["events"].get<std::uint64_t>(), 2u);
    EXPECT_EQ(j["unparsed_lines"].get<std::uint64_t>(), 2u);
    const RunResult r = runCli({"summary", path});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("unparsed lines 2"), std::string::npos) << r.out;
}

} // namespace
} // namespace irqlens::test
