// Counts and per-event identity of every sample against `trace-cmd report`.
#include "parsers/capture_loader.h"
#include "tests/tracedat/report_reader.h"
#include "tests/tracedat/store_walk.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

namespace irqlens::test {
namespace {

void expectFileMatchesReport(const std::string& path) {
    const LoadResult result = loadCapture(path);
    ASSERT_TRUE(result.ok()) << result.error;
    const EventStore& store = *result.store;

    ReportCounts report;
    StoreWalk walk(store);
    ASSERT_TRUE(forEachReportEvent(path,
                                   [&](const ReportEvent& e) {
                                       ++report.total;
                                       ++report.perCpu[e.cpu];
                                       ++report.perName[e.name];
                                       walk.match(e);
                                   }))
        << "trace-cmd report printed no events for " << path;

    EXPECT_EQ(store.totalEvents(), report.total);
    std::map<int, std::uint64_t> storeCpus;
    std::map<std::string, std::uint64_t> storeNames;
    for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
        const CpuEvents& events = store.cpu(cpu);
        if (!events.empty()) {
            storeCpus[cpu] = events.size();
        }
        for (std::size_t i = 0; i < events.size(); ++i) {
            ++storeNames[store.type(events.type(i)).name];
        }
    }
    EXPECT_EQ(storeCpus, report.perCpu);
    EXPECT_EQ(storeNames, report.perName);
    EXPECT_EQ(walk.mismatches(), 0u) << "first: " << walk.firstMismatch();
    EXPECT_TRUE(store.info().warnings.empty()) << store.info().warnings.front();
    EXPECT_TRUE(store.missed().empty()); // none of the samples lost events
}

void expectStoreMatchesReport(const std::string& file) {
    const std::string path = dataPath(file);
    expectFileMatchesReport(path);
}

// Other layouts of the same events, made by `trace-cmd convert`: v7 without
// compression, and v6 from a v7 capture with kernel_stack events.
void expectConvertedMatchesReport(const std::string& file, const std::string& convertOptions) {
    const std::string path = dataPath(file);
    const auto out = std::filesystem::temp_directory_path() /
                     ("irqlens-convert-" + std::to_string(getpid()) + ".dat");
    runCommand("trace-cmd convert " + convertOptions + " -i '" + path + "' -o '" + out.string() +
               "' >/dev/null 2>&1");
    ASSERT_TRUE(std::filesystem::exists(out)) << "trace-cmd convert " << convertOptions;
    expectFileMatchesReport(out.string());
    std::filesystem::remove(out);
}

TEST(TraceDatCounts, ConvertedV7UncompressedMatchesReport) {
    expectConvertedMatchesReport("irq_wq.dat", "--file-version 7 --compression none");
}
TEST(TraceDatCounts, ConvertedV6WithStacksMatchesReport) {
    expectConvertedMatchesReport("irq_stack.dat", "--file-version 6");
}

TEST(TraceDatCounts, IrqWqMatchesReport) {
    expectStoreMatchesReport("irq_wq.dat");
}
TEST(TraceDatCounts, IrqStackMatchesReport) {
    expectStoreMatchesReport("irq_stack.dat");
}
TEST(TraceDatCounts, NetV6MatchesReport) {
    expectStoreMatchesReport("net_v6.dat");
}
// Separate name: takes seconds (trace-cmd report alone prints 3.2 M lines).
TEST(TraceDatBig, BigMatchesReport) {
    expectStoreMatchesReport("big.dat");
}

} // namespace
} // namespace irqlens::test
