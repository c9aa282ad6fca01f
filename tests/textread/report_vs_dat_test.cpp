// irq_stack.report-l.txt (trace-cmd report -l, first 4000 lines) must give
// the same events and stacks as the start of irq_stack.dat, which the test
// reads through `trace-cmd report` in its default layout (full task names,
// bracketed CPU, no flags) with a parser of its own.
#include "parsers/text/text_loader.h"
#include "tests/textread/test_util.h"

#include <cstdlib>
#include <gtest/gtest.h>
#include <regex>

namespace irqlens {
namespace {

struct Expected {
    std::string comm;
    int pid = 0;
    int cpu = 0;
    std::int64_t tsUs = 0;
    std::string name;
    std::string info;
    std::vector<std::string> frames;
};

std::vector<std::vector<Expected>> reportByCpu(const std::vector<std::string>& lines) {
    static const std::regex eventRe(
        R"(^\s*(.*)-(\d+)\s+\[(\d+)\]\s+(\d+)\.(\d{6}):\s+(\w+):\s*(.*)$)");
    static const std::regex frameRe(R"(^=> (\S+) \(([0-9a-f]+)\)$)");
    std::vector<std::vector<Expected>> byCpu;
    Expected* last = nullptr;
    std::smatch m;
    for (const auto& line : lines) {
        if (std::regex_match(line, m, frameRe) && last != nullptr) {
            last->frames.push_back(m[1]);
        } else if (std::regex_match(line, m, eventRe)) {
            Expected e{m[1],
                       std::stoi(m[2]),
                       std::stoi(m[3]),
                       std::stoll(m[4]) * 1'000'000 + std::stoll(m[5]),
                       m[6],
                       m[7],
                       {}};
            if (static_cast<std::size_t>(e.cpu) >= byCpu.size()) {
                byCpu.resize(static_cast<std::size_t>(e.cpu) + 1);
            }
            byCpu[static_cast<std::size_t>(e.cpu)].push_back(e);
            last = &byCpu[static_cast<std::size_t>(e.cpu)].back();
        }
    }
    return byCpu;
}

std::string match1(const std::string& text, const std::string& re) {
    std::smatch m;
    return std::regex_search(text, m, std::regex(re)) ? std::string(m[1]) : std::string();
}

void expectFields(const EventStore& store, const EventFields& f, const Expected& e) {
    if (e.name == "irq_handler_entry") {
        const IrqAction& a = store.irqActions.get(f.arg);
        EXPECT_EQ(a.irq, std::stoi(match1(e.info, R"(irq=(\d+))")));
        EXPECT_EQ(store.strings.get(a.name), match1(e.info, R"(name=(\S+))"));
    } else if (e.name == "irq_handler_exit") {
        EXPECT_EQ(f.arg & ~kIrqRetUnhandled, std::stoul(match1(e.info, R"(irq=(\d+))")));
        EXPECT_EQ((f.arg & kIrqRetUnhandled) == 0, match1(e.info, R"(ret=(\w+))") == "handled");
    } else if (e.name.starts_with("softirq_")) {
        EXPECT_EQ(f.arg, std::stoul(match1(e.info, R"(vec=(\d+))")));
    } else if (e.name.starts_with("workqueue_")) {
        const WorkItem& w = store.works.get(f.arg);
        EXPECT_EQ(w.work,
                  std::stoull(match1(e.info, R"(work struct[= ]0x([0-9a-f]+))"), nullptr, 16));
        const std::string function = match1(e.info, R"(function[= ](\w+))");
        if (!function.empty()) {
            EXPECT_EQ(store.symbolize(w.function), function);
        }
    }
}

TEST(ReportText, SameEventsAndStacksAsTheDatFile) {
    if (!test::haveCommand("trace-cmd")) {
        GTEST_SKIP() << "trace-cmd is not installed";
    }
    const std::string txt = test::dataPath("irq_stack.report-l.txt");
    LoadResult r = loadTextCapture(txt);
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    EXPECT_EQ(store.info().format, "trace-cmd report -l text");
    EXPECT_TRUE(store.info().warnings.empty()) << store.info().warnings.front();

    // Independent count of the text's events: every line but "cpus=" and "=>".
    const auto counted = test::commandLines("grep -v -c -e '^=>' -e '^cpus=' " + txt);
    ASSERT_EQ(counted.size(), 1u);
    EXPECT_EQ(store.totalEvents(), std::stoull(counted[0]));

    const auto byCpu = reportByCpu(test::commandLines(
        "trace-cmd report -i " + test::dataPath("irq_stack.dat") + " 2>/dev/null"));
    ASSERT_EQ(store.cpuCount(), 2);
    std::size_t stacks = 0;
    for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
        const CpuEvents& col = store.cpu(cpu);
        ASSERT_LE(col.size(), byCpu.at(static_cast<std::size_t>(cpu)).size());
        for (std::size_t i = 0; i < col.size(); ++i) {
            const Expected& e = byCpu[static_cast<std::size_t>(cpu)][i];
            const EventFields f = col.at(i);
            SCOPED_TRACE("cpu " + std::to_string(cpu) + " event " + std::to_string(i) + ": " +
                         e.name + " " + e.info);
            ASSERT_EQ(store.type(f.type).name, e.name);
            EXPECT_EQ(f.ts / 1000, e.tsUs);
            EXPECT_EQ(f.pid, e.pid);
            if (e.pid != 0) { // -l cuts task names to 8 characters
                EXPECT_TRUE(e.comm.starts_with(store.comm(f.pid, f.ts))) << store.comm(f.pid, f.ts);
            }
            expectFields(store, f, e);
            const bool lastOfFile = i + 1 == col.size(); // its stack may be cut at line 4000
            if (e.name == "kernel_stack" && !lastOfFile) {
                auto frames = store.stacks.get(f.arg);
                std::vector<std::string> names;
                for (auto address : frames) {
                    names.push_back(store.symbolize(address));
                }
                EXPECT_EQ(names, e.frames);
                ++stacks;
            }
        }
    }
    EXPECT_GT(stacks, 100u);
}

TEST(ReportText, DecodeReturnsTheFieldsOfTheLine) {
    LoadResult r = loadTextCapture(test::dataPath("irq_stack.report-l.txt"));
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    // Every irq_handler_entry, wherever it lies between two anchors, decodes
    // to the irq and name its arg was built from.
    std::size_t checked = 0;
    for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
        for (std::uint32_t i = 0; i < store.cpu(cpu).size(); ++i) {
            const EventRef ref{static_cast<std::uint16_t>(cpu), i};
            if (store.kind(ref) != EventKind::IrqHandlerEntry) {
                continue;
            }
            const IrqAction& a = store.irqActions.get(store.event(ref).arg);
            auto fields = store.decode(ref);
            ASSERT_EQ(fields.size(), 2u);
            EXPECT_EQ(fields[0].name, "irq");
            EXPECT_EQ(fields[0].value, std::to_string(a.irq));
            EXPECT_EQ(fields[1].value, store.strings.get(a.name));
            ++checked;
        }
    }
    EXPECT_GT(checked, 10u);
}

} // namespace
} // namespace irqlens
