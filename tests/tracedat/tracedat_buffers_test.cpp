// Captures with an extra buffer (trace-cmd record -B irqs, recorded on this
// lab machine by tests/data/record_multibuffer.sh): every buffer's events
// load, each extra buffer's CPUs as columns of their own named after it,
// and each event decodes and prints like `trace-cmd report` (which prefixes
// the extra buffer's events with "irqs:").  v7 as recorded, and v6 made
// from it by `trace-cmd convert` (a BUFFER option and a second flyrecord).
#include "parsers/capture_loader.h"
#include "tests/support/test_data.h"
#include "tests/tracedat/report_reader.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <unistd.h>

namespace irqlens::test {
namespace {

using BufferCpu = std::pair<std::string, int>;

struct BufferCounts {
    std::map<BufferCpu, std::uint64_t> perBufferCpu;
    std::map<std::pair<std::string, std::string>, std::uint64_t> perBufferName;
    std::map<BufferCpu, std::vector<ReportEvent>> events; // in report order per column
};

void expectBuffersMatchReport(const std::string& path) {
    BufferCounts report;
    ASSERT_TRUE(forEachReportEvent(path, [&](const ReportEvent& e) {
        ++report.perBufferCpu[{e.buffer, e.cpu}];
        ++report.perBufferName[{e.buffer, e.name}];
        report.events[{e.buffer, e.cpu}].push_back(e);
    }));
    const BufferCpu irqs0{"irqs", 0}, irqs1{"irqs", 1};
    ASSERT_GT(report.perBufferCpu[irqs0] + report.perBufferCpu[irqs1], 0u)
        << "the report shows events of the irqs buffer";

    const LoadResult r = loadCapture(path);
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    ASSERT_EQ(store.info().buffers.size(), 1u);
    EXPECT_EQ(store.info().buffers[0].name, "irqs");
    EXPECT_EQ(store.info().buffers[0].firstColumn, 2);
    EXPECT_EQ(store.columnLabel(3), "irqs:1");
    BufferCounts loaded;
    for (int column = 0; column < store.cpuCount(); ++column) {
        const ColumnOrigin origin = store.columnOrigin(column);
        const BufferCpu key{std::string(origin.buffer), origin.cpu};
        const CpuEvents& events = store.cpu(column);
        if (!events.empty()) {
            loaded.perBufferCpu[key] = events.size();
        }
        const auto& expected = report.events[key];
        for (std::uint32_t i = 0; i < events.size(); ++i) {
            const std::string name = store.type(events.type(i)).name;
            ++loaded.perBufferName[{key.first, name}];
            if (i >= expected.size()) {
                continue;
            }
            EXPECT_EQ(name, expected[i].name) << store.columnLabel(column) << " #" << i;
            EXPECT_EQ((events.ts(i) + 500) / 1000, (expected[i].tsNs + 500) / 1000);
            // The info printed through the extra buffer's own handle.
            const std::string info =
                store.source()->info(column, events.anchorOffset(i),
                                     static_cast<std::uint32_t>(i - events.anchorIndex(i)));
            EXPECT_EQ(info, expected[i].info) << store.columnLabel(column) << " #" << i;
        }
    }
    EXPECT_EQ(loaded.perBufferCpu, report.perBufferCpu);
    EXPECT_EQ(loaded.perBufferName, report.perBufferName);
}

TEST(TraceDatBuffers, ExtraBufferOfAV7CaptureLoadsLikeTheReport) {
    expectBuffersMatchReport(dataPath("multibuffer.dat"));
}

TEST(TraceDatBuffers, ExtraBufferOfAV6CaptureLoadsLikeTheReport) {
    const auto v6 = std::filesystem::temp_directory_path() /
                    ("irqlens-multibuffer-v6-" + std::to_string(getpid()) + ".dat");
    runCommand("trace-cmd convert --file-version 6 -i '" + dataPath("multibuffer.dat") + "' -o '" +
               v6.string() + "' >/dev/null 2>&1");
    ASSERT_TRUE(std::filesystem::exists(v6)) << "trace-cmd convert --file-version 6";
    expectBuffersMatchReport(v6.string());
    std::filesystem::remove(v6);
}

} // namespace
} // namespace irqlens::test
