// Copies of the quirky field captures kept in tests/data (tests/data/README.md
// says where each comes from), so a clone without the field corpus still
// tests them: each .dat against `trace-cmd report` run now, each text
// against its own trace lines.
#include "parsers/capture_loader.h"
#include "tests/field/field_checks.h"
#include "tests/support/test_data.h"
#include "tests/tracedat/report_reader.h"

#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

struct Quirk {
    const char* file;
    const char* why;
};

constexpr Quirk kTraceDatCopies[] = {
    {"kinmax-i686-listen-softirq.dat", "trace-cmd listen: no options, no clock, no uname"},
    {"kinmax-i686-fgraph-doirq.dat", "32-bit, binary function_graph, empty TRACECLOCK option"},
    {"guilhermehiago-i686-ext4-only.dat", "trace-cmd 2.9.6: empty TRACECLOCK; no IRQ events"},
    {"tgvm-i686-k515-sched.dat", "trace-cmd 2.9.6, kernel 5.15 on i686"},
    {"arm-software-trappy-juno-arm64-cpuidle.dat", "2016 v6: no options, no clock section"},
    {"arm-software-trappy-juno-arm64-bprint-multiline.dat",
     "2015 v6: empty TRACECLOCK, trace_printk messages with a newline"},
    {"hip24-x86guest-v6-empty-cpu.dat", "an empty CPU whose offset lies past the end of the file"},
};

TEST(FieldCopies, QuirkyTraceDatCopiesMatchTraceCmdReport) {
    for (const Quirk& quirk : kTraceDatCopies) {
        const std::string path = dataPath(quirk.file);
        SCOPED_TRACE(std::string(quirk.file) + " (" + quirk.why + ")");
        const ReportCounts report = countReport(path);
        ExpectedCounts expected{report.total, report.perCpu, report.perName};
        const LoadResult result = loadCapture(path);
        ASSERT_TRUE(result.ok()) << result.error;
        expectCounts(quirk.file, storeCounts(*result.store), expected);
    }
}

// Not an empty pass: the copies hold events (but the empty-CPU file, which
// trace-cmd reports as `cpus=1` and nothing else).
TEST(FieldCopies, ReportSeesTheCopiesEvents) {
    EXPECT_EQ(countReport(dataPath("arm-software-trappy-juno-arm64-bprint-multiline.dat")).total,
              757u);
    EXPECT_EQ(countReport(dataPath("kinmax-i686-listen-softirq.dat")).total, 31u);
}

TEST(FieldCopies, TextCopiesLoseNoTraceLine) {
    for (const char* file :
         {"wikibook-rpi-hardirq-softirq-excerpt.txt", "wikibook-rpi-workqueue-symaddr-excerpt.txt",
          "packtpublishing-x86-fgraph-abstime-events.txt"}) {
        SCOPED_TRACE(file);
        expectNoTraceLineLost(dataPath(file));
    }
}

} // namespace
} // namespace irqlens::test
