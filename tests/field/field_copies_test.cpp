// Copies of the quirky field captures kept in tests/data (tests/data/README.md
// says where each comes from), so a clone without the field corpus still
// tests them: each .dat against `trace-cmd report` run now, each text
// against its own trace lines.
#include "parsers/capture_loader.h"
#include "tests/field/field_checks.h"
#include "tests/support/test_data.h"
#include "tests/tracedat/report_reader.h"

#include <algorithm>
#include <fstream>
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

// A v7 capture compressed with zlib, which Debian's trace-cmd cannot read:
// its counts are the field corpus' counts.json entry (from an upstream
// trace-cmd 3.1.6 built with zlib), copied next to it.  The x86-tsc clock
// keeps raw TSC cycles: the corpus README quotes the timestamp
// `[005]303280081900681:` of that report.
TEST(FieldCopies, ZlibCopyMatchesUpstreamReportCounts) {
    const std::string path = dataPath("hip24-x86host-v7zlib-x86tsc-kvm.dat");
    std::ifstream countsFile(dataPath("hip24-x86host-v7zlib-x86tsc-kvm.counts.json"));
    ASSERT_TRUE(countsFile) << "the counts copied from the field corpus";
    const ExpectedCounts expected = parseCountsEntry(countsFile);
    const LoadResult result = loadCapture(path);
    ASSERT_TRUE(result.ok()) << result.error;
    const EventStore& store = *result.store;
    EXPECT_EQ(store.info().format, "trace.dat v7 (zlib)");
    EXPECT_EQ(store.info().clock, "x86-tsc");
    expectCounts(path, storeCounts(store), expected);
    EXPECT_EQ(expected.total, 7792u);
    // Raw TSC cycles, not converted: the record the README quotes is there.
    ASSERT_GT(store.cpuCount(), 5);
    const CpuEvents& cpu5 = store.cpu(5);
    std::uint32_t at = 0;
    while (at < cpu5.size() && cpu5.ts(at) != 303280081900681) {
        ++at;
    }
    ASSERT_LT(at, cpu5.size()) << "no CPU 5 record at 303280081900681";
    // Its fields and text come from irqlens' page source (libtracecmd cannot
    // read zlib): every kvm event has a vCPU field.
    const auto fields = store.decode({5, at});
    EXPECT_TRUE(
        std::any_of(fields.begin(), fields.end(),
                    [](const DecodedField& f) { return f.name.find("vcpu") != std::string::npos; }))
        << fields.size() << " fields";
    EXPECT_FALSE(
        store.source()
            ->info(5, cpu5.anchorOffset(at), static_cast<std::uint32_t>(at - cpu5.anchorIndex(at)))
            .empty());
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
