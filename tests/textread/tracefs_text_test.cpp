// tracefs_trace.txt: `cat /sys/kernel/tracing/trace` with irq and workqueue
// events.  Counts are checked against grep, every event against a regex
// parse of its line done here.
#include "core/spans/span.h"
#include "parsers/text/text_loader.h"
#include "tests/textread/test_util.h"

#include <gtest/gtest.h>
#include <map>
#include <regex>
#include <set>
#include <tuple>

namespace irqlens {
namespace {

struct Line {
    int pid;
    int cpu;
    std::string flags;
    std::int64_t tsUs;
    std::string name;
    std::string info;
};

std::vector<std::vector<Line>> linesByCpu(const std::string& path) {
    static const std::regex re(
        R"(^\s*(.*)-(\d+)\s+\[(\d+)\] (\S{5})\s+(\d+)\.(\d{6}): (\w+): ?(.*?)\s*$)");
    std::vector<std::vector<Line>> out(2);
    std::smatch m;
    for (const auto& text : test::readLines(path)) {
        if (std::regex_match(text, m, re)) {
            const auto cpu = static_cast<std::size_t>(std::stoi(m[3]));
            out.at(cpu).push_back({std::stoi(m[2]), static_cast<int>(cpu), m[4],
                                   std::stoll(m[5]) * 1'000'000 + std::stoll(m[6]), m[7], m[8]});
        }
    }
    return out;
}

TEST(TracefsText, EventCountsMatchGrep) {
    const std::string path = test::dataPath("tracefs_trace.txt");
    LoadResult r = loadTextCapture(path);
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    EXPECT_EQ(store.info().format, "ftrace trace text");
    EXPECT_EQ(store.cpuCount(), 2); // "#P:2" in the header
    EXPECT_TRUE(store.info().warnings.empty()) << store.info().warnings.front();

    std::map<std::string, std::size_t> counts;
    for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
        for (std::size_t i = 0; i < store.cpu(cpu).size(); ++i) {
            ++counts[store.type(store.cpu(cpu).type(i)).name];
        }
    }
    const auto total = test::commandLines("grep -v -c '^#' " + path);
    ASSERT_EQ(total.size(), 1u);
    EXPECT_EQ(store.totalEvents(), std::stoull(total[0]));
    for (const std::string name :
         {"irq_handler_entry", "irq_handler_exit", "softirq_raise", "softirq_entry", "softirq_exit",
          "workqueue_queue_work", "workqueue_activate_work", "workqueue_execute_start",
          "workqueue_execute_end"}) {
        const auto grep = test::commandLines("grep -c ': " + name + ": ' " + path);
        ASSERT_EQ(grep.size(), 1u);
        EXPECT_EQ(counts[name], std::stoull(grep[0])) << name;
        EXPECT_GT(counts[name], 0u) << name;
    }
}

TEST(TracefsText, EveryEventHasTheFieldsOfItsLine) {
    const std::string path = test::dataPath("tracefs_trace.txt");
    LoadResult r = loadTextCapture(path);
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    const auto expected = linesByCpu(path);
    std::smatch m;
    for (int cpu = 0; cpu < 2; ++cpu) {
        const auto& lines = expected[static_cast<std::size_t>(cpu)];
        ASSERT_EQ(store.cpu(cpu).size(), lines.size());
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const Line& e = lines[i];
            const EventFields f = store.cpu(cpu).at(i);
            SCOPED_TRACE(e.name + " " + e.info);
            ASSERT_EQ(store.type(f.type).name, e.name);
            EXPECT_EQ(f.ts, e.tsUs * 1000);
            EXPECT_EQ(f.pid, e.pid);
            // Flags column, by the letters the kernel documents in the header.
            EXPECT_EQ((f.flags & LatencyFlag::IrqsOff) != 0, e.flags[0] == 'd');
            EXPECT_EQ((f.flags & LatencyFlag::NeedResched) != 0, e.flags[1] == 'N');
            EXPECT_EQ((f.flags & LatencyFlag::HardIrq) != 0, e.flags[2] == 'h');
            EXPECT_EQ((f.flags & LatencyFlag::SoftIrq) != 0, e.flags[2] == 's');
            EXPECT_EQ(f.preempt & 0xf, e.flags[3] == '.' ? 0 : e.flags[3] - '0');
            if (std::regex_search(e.info, m, std::regex(R"(^irq=(\d+) name=(.*)$)"))) {
                const IrqAction& a = store.irqActions.get(f.arg);
                EXPECT_EQ(a.irq, std::stoi(m[1]));
                EXPECT_EQ(store.strings.get(a.name), std::string(m[2]));
            } else if (std::regex_search(e.info, m, std::regex(R"(^vec=(\d+))"))) {
                EXPECT_EQ(f.arg, std::stoul(m[1]));
            } else if (std::regex_search(e.info, m, std::regex(R"(^work struct[= ]([0-9a-f]+))"))) {
                EXPECT_EQ(store.works.get(f.arg).work, std::stoull(m[1], nullptr, 16));
                std::smatch fm;
                ASSERT_TRUE(std::regex_search(e.info, fm, std::regex(R"(function[= ](\w+))")));
                EXPECT_EQ(store.symbolize(store.works.get(f.arg).function), std::string(fm[1]));
            }
        }
    }
}

TEST(TracefsText, InfoIsTheTextOfTheLine) {
    const std::string path = test::dataPath("tracefs_trace.txt");
    LoadResult r = loadTextCapture(path);
    ASSERT_TRUE(r.ok()) << r.error;
    const auto expected = linesByCpu(path);
    const EventStore& store = *r.store;
    for (int cpu = 0; cpu < 2; ++cpu) {
        const CpuEvents& col = store.cpu(cpu);
        for (std::size_t i = 0; i < col.size(); i += 7) {
            const auto skip = static_cast<std::uint32_t>(i - col.anchorIndex(i));
            EXPECT_EQ(store.source()->info(cpu, col.anchorOffset(i), skip),
                      expected[static_cast<std::size_t>(cpu)][i].info);
        }
    }
}

// Hard IRQ, softirq and work spans built from the text are the begin/end
// pairs of the lines, paired here per CPU (and per vector / work struct).
TEST(TracefsText, SpansAreThePairsOfTheLines) {
    const std::string path = test::dataPath("tracefs_trace.txt");
    LoadResult r = loadTextCapture(path);
    ASSERT_TRUE(r.ok()) << r.error;
    using Key = std::tuple<int, int, std::int64_t, std::int64_t>; // kind, cpu, start, end
    std::multiset<Key> expected;
    const auto lines = linesByCpu(path);
    for (int cpu = 0; cpu < 2; ++cpu) {
        std::map<std::string, std::int64_t> open;
        for (const Line& l : lines[static_cast<std::size_t>(cpu)]) {
            const std::int64_t ts = l.tsUs * 1000;
            const auto space = l.info.find(' ');
            const std::string first = l.info.substr(0, space);
            const std::string work = l.info.substr(0, l.info.find(':'));
            if (l.name == "irq_handler_entry") {
                open["irq"] = ts;
            } else if (l.name == "softirq_entry") {
                open[first] = ts;
            } else if (l.name == "workqueue_execute_start") {
                open[work] = ts;
            } else if (l.name == "irq_handler_exit" && open.count("irq")) {
                expected.insert({int(SpanKind::HardIrq), cpu, open["irq"], ts});
                open.erase("irq");
            } else if (l.name == "softirq_exit" && open.count(first)) {
                expected.insert({int(SpanKind::Softirq), cpu, open[first], ts});
                open.erase(first);
            } else if (l.name == "workqueue_execute_end" && open.count(work)) {
                expected.insert({int(SpanKind::Workqueue), cpu, open[work], ts});
                open.erase(work);
            }
        }
    }
    const Analysis a = analyze(*r.store);
    std::multiset<Key> got;
    for (const Span& s : a.spans) {
        const bool closed = !(s.flags & (SpanFlag::OpenStart | SpanFlag::OpenEnd));
        if (closed && (s.kind == SpanKind::HardIrq || s.kind == SpanKind::Softirq ||
                       s.kind == SpanKind::Workqueue)) {
            got.insert({int(s.kind), s.cpu, s.start, s.end});
        }
    }
    EXPECT_EQ(got, expected);
    EXPECT_GE(expected.size(), 9u + 100u + 15u);
    EXPECT_FALSE(a.episodes.empty());
}

} // namespace
} // namespace irqlens
