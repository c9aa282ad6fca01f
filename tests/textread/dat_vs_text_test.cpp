// The same capture read twice through loadCapture(): irq_stack.dat by the
// trace.dat reader and irq_stack.report-l.txt (its `trace-cmd report -l`
// text, first 4000 lines) by the text reader.  The text must give the first
// events of every CPU with the same fields, stacks and spans.
#include "core/spans/span.h"
#include "parsers/capture_loader.h"
#include "tests/textread/test_util.h"

#include <algorithm>
#include <cstdlib>
#include <gtest/gtest.h>
#include <map>
#include <tuple>

namespace irqlens {
namespace {

struct Pair {
    LoadResult dat;
    LoadResult text;
};

Pair loadBoth() {
    return {loadCapture(test::dataPath("irq_stack.dat")),
            loadCapture(test::dataPath("irq_stack.report-l.txt"))};
}

std::string nameOnly(std::string symbol) {
    return symbol.substr(0, symbol.find('+'));
}

// trace-cmd prints times rounded to the µs.
std::int64_t roundedUs(std::int64_t ns) {
    return (ns + 500) / 1000;
}

void expectSameArg(const EventStore& dat, const EventStore& text, EventKind kind,
                   std::uint32_t datArg, std::uint32_t textArg) {
    switch (kind) {
    case EventKind::IrqHandlerEntry: {
        const IrqAction& a = dat.irqActions.get(datArg);
        const IrqAction& b = text.irqActions.get(textArg);
        EXPECT_EQ(a.irq, b.irq);
        EXPECT_EQ(dat.strings.get(a.name), text.strings.get(b.name));
        break;
    }
    case EventKind::WorkQueue:
    case EventKind::WorkActivate:
    case EventKind::WorkStart:
    case EventKind::WorkEnd: {
        const WorkItem& a = dat.works.get(datArg);
        const WorkItem& b = text.works.get(textArg);
        EXPECT_EQ(a.work, b.work);
        EXPECT_EQ(nameOnly(dat.symbolize(a.function)), text.symbolize(b.function));
        break;
    }
    case EventKind::KernelStack: {
        auto a = dat.stacks.get(datArg);
        auto b = text.stacks.get(textArg);
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            EXPECT_EQ(a[i], b[i]); // trace-cmd prints the real return addresses
            EXPECT_EQ(nameOnly(dat.symbolize(a[i])), text.symbolize(b[i]));
        }
        break;
    }
    default:
        EXPECT_EQ(datArg, textArg);
        break;
    }
}

TEST(DatVsText, LoadCaptureSendsTextToTheTextReader) {
    LoadResult r = loadCapture(test::dataPath("tracefs_trace.txt"));
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.store->info().format, "ftrace trace text");
    const std::string path = test::tempPath("notrace.txt");
    test::writeFile(path, "hello\nworld\n");
    r = loadCapture(path);
    std::remove(path.c_str());
    EXPECT_EQ(r.status, LoadResult::Status::Failed);
    EXPECT_NE(r.error.find("line 1 does not parse: \"hello\""), std::string::npos) << r.error;
}

// Every event of `text` equals the event at the same place of `dat`
// (`skipLast`: the last event of each CPU may be an incomplete stack).
std::size_t expectSameEvents(const EventStore& dat, const EventStore& text, bool skipLast,
                             bool withFlags = true) {
    EXPECT_EQ(dat.cpuCount(), text.cpuCount());
    std::size_t compared = 0;
    for (int cpu = 0; cpu < std::min(dat.cpuCount(), text.cpuCount()); ++cpu) {
        const CpuEvents& t = text.cpu(cpu);
        const CpuEvents& d = dat.cpu(cpu);
        EXPECT_LE(t.size(), d.size());
        const std::size_t n = std::min(t.size() - (skipLast && t.size() > 0 ? 1 : 0), d.size());
        for (std::size_t i = 0; i < n; ++i) {
            const EventFields a = d.at(i);
            const EventFields b = t.at(i);
            const EventTypeInfo& ta = dat.type(a.type);
            SCOPED_TRACE("cpu " + std::to_string(cpu) + " event " + std::to_string(i) + " " +
                         ta.name);
            EXPECT_EQ(ta.name, text.type(b.type).name);
            if (ta.name != text.type(b.type).name) {
                return compared; // out of step: the rest would only repeat it
            }
            EXPECT_EQ(ta.kind, text.type(b.type).kind);
            EXPECT_EQ(roundedUs(a.ts), b.ts / 1000);
            EXPECT_EQ(a.pid, b.pid);
            if (withFlags) { // only the latency layouts print them
                EXPECT_EQ(a.flags, b.flags);
                EXPECT_EQ(a.preempt, b.preempt);
            }
            expectSameArg(dat, text, ta.kind, a.arg, b.arg);
            ++compared;
        }
    }
    return compared;
}

TEST(DatVsText, SameFirstEventsFieldsAndStacks) {
    Pair p = loadBoth();
    ASSERT_TRUE(p.dat.ok()) << p.dat.error;
    ASSERT_TRUE(p.text.ok()) << p.text.error;
    EXPECT_GT(expectSameEvents(*p.dat.store, *p.text.store, true), 400u);
}

// Whole captures turned into text here by trace-cmd: irq_wq.dat (sched
// events, trace-cmd's sched plugin layout) with -l, net_v6.dat (a v6 file,
// NET_RX, napi) in the default layout.  Same events, same order, same fields.
void expectWholeCaptureMatches(const std::string& dat, const std::string& flags) {
    if (!test::haveCommand("trace-cmd")) {
        GTEST_SKIP() << "trace-cmd is not installed";
    }
    const std::string txt = test::tempPath(dat + ".txt");
    const std::string cmd =
        "trace-cmd report " + flags + " -i " + test::dataPath(dat) + " > " + txt + " 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    LoadResult d = loadCapture(test::dataPath(dat));
    LoadResult t = loadCapture(txt);
    std::remove(txt.c_str());
    ASSERT_TRUE(d.ok()) << d.error;
    ASSERT_TRUE(t.ok()) << t.error;
    EXPECT_TRUE(t.store->info().warnings.empty()) << t.store->info().warnings.front();
    EXPECT_EQ(t.store->totalEvents(), d.store->totalEvents());
    EXPECT_EQ(expectSameEvents(*d.store, *t.store, false, flags == "-l"), d.store->totalEvents());
}

TEST(DatVsText, WholeIrqWqReportL) {
    expectWholeCaptureMatches("irq_wq.dat", "-l");
}
TEST(DatVsText, WholeNetV6Report) {
    expectWholeCaptureMatches("net_v6.dat", "");
}

// Closed spans of the text, and of the .dat up to where the text stops,
// are the same (times to the µs: the text has no more).
TEST(DatVsText, SameSpans) {
    Pair p = loadBoth();
    ASSERT_TRUE(p.dat.ok() && p.text.ok());
    const Analysis da = analyze(*p.dat.store);
    const Analysis ta = analyze(*p.text.store);
    using Key = std::tuple<int, int, std::string, std::int64_t, std::int64_t>;
    auto keysOf = [](const EventStore& store, const Analysis& a, std::int64_t until) {
        std::map<Key, int> keys;
        for (const Span& s : a.spans) {
            const bool closed = !(s.flags & (SpanFlag::OpenStart | SpanFlag::OpenEnd));
            if (closed && roundedUs(s.end) < until / 1000 && s.kind != SpanKind::Task) {
                ++keys[{int(s.kind), s.cpu, spanKeyName(store, s), roundedUs(s.start),
                        roundedUs(s.end)}];
            }
        }
        return keys;
    };
    // The text ends inside the capture: compare what both have seen whole.
    std::int64_t until = INT64_MAX;
    for (int cpu = 0; cpu < p.text.store->cpuCount(); ++cpu) {
        const CpuEvents& c = p.text.store->cpu(cpu);
        until = std::min(until, c.ts(c.size() - 1));
    }
    const auto textKeys = keysOf(*p.text.store, ta, until);
    const auto datKeys = keysOf(*p.dat.store, da, until);
    EXPECT_EQ(textKeys, datKeys);
    std::map<int, int> perKind;
    for (const auto& [key, n] : textKeys) {
        perKind[std::get<0>(key)] += n;
    }
    EXPECT_GT(perKind[int(SpanKind::HardIrq)], 5);
    EXPECT_GT(perKind[int(SpanKind::Softirq)], 20);
    EXPECT_GT(perKind[int(SpanKind::Workqueue)], 5);
}

} // namespace
} // namespace irqlens
