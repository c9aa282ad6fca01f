// Binary trace_printk records (ftrace:bprint): the message is the format
// from the capture's printk-formats section with the record's arguments,
// printed as `trace-cmd report` prints it (a message with a newline stays one
// event over two report lines), and the ip is the printing function.
// The capture is the ARM trappy one copied from the field corpus (tests/data).
#include "parsers/capture_loader.h"
#include "tests/support/test_data.h"
#include "tests/tracedat/report_reader.h"

#include <gtest/gtest.h>
#include <sstream>

namespace irqlens::test {
namespace {

struct ReportPrintk {
    int cpu = 0;
    std::int64_t tsUs = 0;
    std::string info; // with the continuation lines, joined by '\n'
};

// The bprint records of `trace-cmd report`, read here from its text: the
// record line and the lines after it that are no record (its continuation).
std::vector<ReportPrintk> reportPrintks(const std::string& path) {
    std::istringstream report(runCommand("trace-cmd report -i '" + path + "' 2>/dev/null"));
    std::vector<ReportPrintk> out;
    std::string line;
    bool inPrintk = false;
    while (std::getline(report, line)) {
        const auto tag = line.find(": bprint:");
        const auto open = line.find(" [");
        if (open != std::string::npos && line.find("]", open) < line.find(": ")) {
            inPrintk = tag != std::string::npos;
            if (inPrintk) {
                const auto close = line.find(']', open);
                ReportPrintk p;
                p.cpu = std::stoi(line.substr(open + 2));
                const std::string ts = line.substr(close + 1, line.find(": ", close) - close - 1);
                const auto dot = ts.find('.');
                p.tsUs = std::stoll(ts.substr(0, dot)) * 1'000'000 + std::stoll(ts.substr(dot + 1));
                const auto info = line.find_first_not_of(' ', tag + 9);
                p.info = line.substr(info);
                out.push_back(p);
            }
        } else if (inPrintk && !line.starts_with("cpus=")) {
            out.back().info += "\n" + line;
        }
    }
    return out;
}

TEST(TraceDatPrintk, BprintDecodesThroughPrintkFormatsLikeTheReport) {
    const std::string path = dataPath("arm-software-trappy-juno-arm64-bprint-multiline.dat");
    const auto expected = reportPrintks(path);
    ASSERT_EQ(expected.size(), 2u) << "trace-cmd report shows the capture's two bprint records";
    const LoadResult r = loadCapture(path);
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    std::vector<EventRef> printks;
    for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
        for (std::uint32_t i = 0; i < store.cpu(cpu).size(); ++i) {
            if (store.type(store.cpu(cpu).type(i)).kind == EventKind::Print) {
                printks.push_back({static_cast<std::uint16_t>(cpu), i});
            }
        }
    }
    ASSERT_EQ(printks.size(), expected.size());
    for (std::size_t k = 0; k < printks.size(); ++k) {
        const EventRef ref = printks[k];
        const CpuEvents& col = store.cpu(ref.cpu);
        EXPECT_EQ(store.type(col.type(ref.index)).fullName(), "ftrace:bprint");
        EXPECT_EQ(ref.cpu, expected[k].cpu);
        EXPECT_EQ((col.ts(ref.index) + 500) / 1000, expected[k].tsUs); // report rounds to µs
        const std::string info = store.source()->info(
            ref.cpu, col.anchorOffset(ref.index),
            static_cast<std::uint32_t>(ref.index - col.anchorIndex(ref.index)));
        EXPECT_EQ(info, expected[k].info);
        EXPECT_NE(info.find('\n'), std::string::npos) << "the message holds a newline";
        const std::string ip = store.symbolize(store.addresses.get(col.arg(ref.index)));
        EXPECT_EQ(ip.substr(0, ip.find('+')), "select_task_rq_fair");
        EXPECT_EQ(info.rfind("select_task_rq_fair: ", 0), 0u);
    }
}

} // namespace
} // namespace irqlens::test
