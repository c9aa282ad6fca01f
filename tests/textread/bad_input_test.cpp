// Bad input is data: garbage files fail with a message naming the line,
// bad lines inside a good file are reported with their numbers, loads can be
// cancelled and report progress.
#include "parsers/text/line_classifier.h"
#include "parsers/text/text_line.h"
#include "parsers/text/text_loader.h"
#include "tests/textread/test_util.h"

#include <algorithm>
#include <cstdio>
#include <gtest/gtest.h>
#include <limits>

namespace irqlens {
namespace {

bool anyWarningContains(const EventStore& store, const std::string& text) {
    const auto& w = store.info().warnings;
    return std::any_of(w.begin(), w.end(),
                       [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

TEST(BadInput, MalformedLinesAreReportedWithTheirLineNumbers) {
    auto lines = test::readLines(test::dataPath("tracefs_trace.txt"));
    ASSERT_GT(lines.size(), 120u);
    const std::size_t originalEvents = static_cast<std::size_t>(std::count_if(
        lines.begin(), lines.end(), [](const std::string& l) { return l[0] != '#'; }));
    // 1-based line numbers 40 and 100 of the new file.
    lines.insert(lines.begin() + 39, "this is not a trace line");
    lines.insert(lines.begin() + 99,
                 "          <idle>-0       [001] d.h1.  3110.43x: irq_handler_entry");
    std::string text;
    for (const auto& l : lines) {
        text += l + "\n";
    }
    const std::string path = test::tempPath("malformed.txt");
    test::writeFile(path, text);
    LoadResult r = loadTextCapture(path);
    std::remove(path.c_str());
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.store->totalEvents(), originalEvents);
    EXPECT_TRUE(anyWarningContains(*r.store, "2 line(s) did not parse"));
    EXPECT_TRUE(
        anyWarningContains(*r.store, "line 40: not a trace line: \"this is not a trace line\""));
    EXPECT_TRUE(anyWarningContains(*r.store, "line 100: "));
}

TEST(BadInput, KnownEventWithUnreadableFieldsIsKeptAsText) {
    const std::string path = test::tempPath("fields.txt");
    test::writeFile(path,
                    "cpus=1\n"
                    "  <idle>-0     [000]   1.000001: irq_handler_entry:    irq=36 name=a\n"
                    "  <idle>-0     [000]   1.000002: irq_handler_exit:     irq=x ret=handled\n");
    LoadResult r = loadTextCapture(path);
    std::remove(path.c_str());
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.store->totalEvents(), 2u);
    EXPECT_EQ(r.store->type(r.store->cpu(0).type(1)).kind, EventKind::Other);
    EXPECT_TRUE(anyWarningContains(*r.store, "line 3: fields of irq_handler_exit not understood"));
}

// int64 nanoseconds end at 9223372036.854775807 s: a larger time is a bad
// line, not a signed overflow (a fuzz find, UBSan).
TEST(BadInput, TimestampsBeyondInt64NanosecondsAreBadLines) {
    std::int64_t ns = 0;
    ASSERT_TRUE(parseSecondsTs("9223372036.854775807", ns));
    EXPECT_EQ(ns, std::numeric_limits<std::int64_t>::max());
    EXPECT_FALSE(parseSecondsTs("9223372036.854775808", ns));
    EXPECT_FALSE(parseSecondsTs("10000000000.000000", ns));
    const std::string path = test::tempPath("huge_ts.txt");
    test::writeFile(path,
                    "cpus=1\n"
                    "  <idle>-0     [000]   1.000001: irq_handler_entry:    irq=36 name=a\n"
                    "  <idle>-0     [000]   10000000000.000000: irq_handler_exit: irq=36 "
                    "ret=handled\n"
                    "  <idle>-0     [000]   1.000002: irq_handler_exit:     irq=36 ret=handled\n");
    LoadResult r = loadTextCapture(path);
    std::remove(path.c_str());
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.store->totalEvents(), 2u);
    EXPECT_TRUE(anyWarningContains(*r.store, "1 line(s) did not parse"));
    EXPECT_TRUE(anyWarningContains(*r.store, "line 3: "));
}

TEST(BadInput, TextThatIsNoTraceFailsNamingTheLine) {
    const std::string path = test::tempPath("prose.txt");
    test::writeFile(path, "# a heading\n\nDear reader,\nthis file holds no trace at all.\n");
    LoadResult r = loadTextCapture(path);
    std::remove(path.c_str());
    EXPECT_EQ(r.status, LoadResult::Status::Failed);
    EXPECT_NE(r.error.find(path), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("line 3 does not parse: \"Dear reader,\""), std::string::npos)
        << r.error;
}

TEST(BadInput, BinaryFilesAreNotText) {
    LoadResult r = loadTextCapture(test::dataPath("irq_stack.dat"));
    EXPECT_EQ(r.status, LoadResult::Status::Failed);
    EXPECT_NE(r.error.find("not text (a trace.dat file)"), std::string::npos) << r.error;
    EXPECT_FALSE(looksLikeTextCapture(test::dataPath("irq_stack.dat")));
    EXPECT_TRUE(looksLikeTextCapture(test::dataPath("tracefs_trace.txt")));

    const std::string path = test::tempPath("random.bin");
    std::string noise;
    for (int i = 0; i < 5000; ++i) {
        noise += static_cast<char>((i * 7919 + 13) % 256);
    }
    test::writeFile(path, noise);
    r = loadTextCapture(path);
    std::remove(path.c_str());
    EXPECT_EQ(r.status, LoadResult::Status::Failed);
    EXPECT_NE(r.error.find("not text"), std::string::npos) << r.error;
}

TEST(BadInput, EmptyAndMissingFiles) {
    const std::string path = test::tempPath("empty.txt");
    test::writeFile(path, "");
    LoadResult r = loadTextCapture(path);
    std::remove(path.c_str());
    EXPECT_EQ(r.status, LoadResult::Status::Failed);
    EXPECT_NE(r.error.find("empty file"), std::string::npos) << r.error;
    r = loadTextCapture("/nonexistent/trace.txt");
    EXPECT_EQ(r.status, LoadResult::Status::Failed);
    EXPECT_NE(r.error.find("cannot open"), std::string::npos) << r.error;
}

// A file long enough for several progress ticks: the sample repeated.
std::string repeatedSample(int copies) {
    std::string body;
    for (const auto& l : test::readLines(test::dataPath("tracefs_trace.txt"))) {
        if (l[0] != '#') {
            body += l + "\n";
        }
    }
    std::string text;
    for (int i = 0; i < copies; ++i) {
        text += body;
    }
    return text;
}

TEST(BadInput, CancelStopsTheLoad) {
    const std::string path = test::tempPath("cancel.txt");
    test::writeFile(path, repeatedSample(100));
    std::atomic<bool> cancel{true};
    LoadOptions options;
    options.cancel = &cancel;
    LoadResult r = loadTextCapture(path, options);
    EXPECT_EQ(r.status, LoadResult::Status::Cancelled);
    EXPECT_EQ(r.store, nullptr);

    cancel = false;
    double lastFraction = -1;
    std::uint64_t lastEvents = 0;
    options.progress = [&](const LoadProgress& p) {
        EXPECT_GE(p.fraction, lastFraction);
        lastFraction = p.fraction;
        lastEvents = p.events;
    };
    r = loadTextCapture(path, options);
    std::remove(path.c_str());
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(lastFraction, 1.0);
    EXPECT_EQ(lastEvents, r.store->totalEvents());
    EXPECT_EQ(r.store->totalEvents(), 395u * 100u);
    // Time restarts with every copy: the reader keeps the events and says so.
    EXPECT_TRUE(anyWarningContains(*r.store, "timestamps went backwards 99 time(s)"));
}

TEST(BadInput, OtherKernelLayouts) {
    const std::string path = test::tempPath("layouts.txt");
    // trace_pipe without irq-info, record-tgid, latency-format lines, a lost-events mark.
    test::writeFile(
        path, "          <idle>-0     [001]  3110.428472: irq_handler_entry: irq=36 name=virtio1\n"
              "   bash-1234  (   1230) [000] d..1.  3110.428500: sched_waking: comm=kworker/0:1 "
              "pid=56 prio=120 target_cpu=000\n"
              "CPU:0 [LOST 42 EVENTS]\n"
              "   bash-1234    0d..2. 3110428510us : sched_switch: prev_comm=bash prev_pid=1234 "
              "prev_prio=120 prev_state=D ==> next_comm=kworker/0:1 next_pid=56 next_prio=120\n"
              "kworker/0:1-56  [000] .....  3110.428520: sched_switch: kworker/0:1:56 [120] W ==> "
              "bash:1234 [120]\n"
              "   bash-1234    [001] .....  3110.428530: do_sys_open+0x4/0x200 "
              "<-__x64_sys_openat+0x1c/0x30\n"
              "   bash-1234    [001] .....  3110.428540: getname\n");
    LoadResult r = loadTextCapture(path);
    std::remove(path.c_str());
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    EXPECT_TRUE(store.info().warnings.empty()) << store.info().warnings.front();
    ASSERT_EQ(store.cpu(0).size(), 3u);
    ASSERT_EQ(store.cpu(1).size(), 3u);
    EXPECT_EQ(store.symbolize(store.addresses.get(store.cpu(1).arg(1))), "do_sys_open+0x4");
    EXPECT_EQ(store.symbolize(store.addresses.get(store.cpu(1).arg(2))), "getname");
    EXPECT_EQ(store.type(store.cpu(1).type(2)).kind, EventKind::Function);
    EXPECT_EQ(store.cpu(0).pid(0), 1234); // the pid, not the tgid
    EXPECT_EQ(store.cpu(0).arg(0), packWake(56, 0));
    EXPECT_EQ(store.cpu(0).ts(1), 3110428510000);
    EXPECT_EQ(store.cpu(0).arg(1), packSwitch(56, 2));   // D
    EXPECT_EQ(store.cpu(0).arg(2), packSwitch(1234, 8)); // trace-cmd's W is bit 7 (I)
    EXPECT_EQ(store.comm(56, 3110428520000), "kworker/0:1");
    ASSERT_EQ(store.missed().size(), 1u);
    EXPECT_EQ(store.missed()[0].count, 42);
    EXPECT_EQ(store.missed()[0].eventIndex, 1u);
}

// Every prefix of every sample line, in both layouts: no crash, and a file
// of good lines interleaved with cut ones loads with the cut ones reported.
TEST(BadInput, CutLinesNeverBreakTheReader) {
    std::vector<std::string> lines = test::readLines(test::dataPath("irq_stack.report-l.txt"));
    lines.resize(std::min<std::size_t>(lines.size(), 400));
    for (const char* data : {"funcgraph_kernel.txt", "funcgraph_abstime.txt", "trace_stacks.txt"}) {
        for (const auto& l : test::readLines(test::dataPath(data))) {
            lines.push_back(l);
        }
    }
    std::size_t parsed = 0;
    std::uint64_t cuts = 0;
    std::string mixed = "cpus=2\n";
    for (const auto& line : lines) {
        for (std::size_t k = 0; k <= line.size(); ++k) {
            const std::string_view cut = std::string_view(line).substr(0, k);
            parsed += eventCount(classifyLine(cut, TextFormat::EventLines)) > 0;
            parsed += eventCount(classifyLine(cut, TextFormat::FunctionGraph)) > 0;
        }
        // Cut inside the prefix (before the timestamp's ": "): not a trace line.
        if (line.find(": softirq_") != std::string::npos) {
            mixed += line + "\n" + line.substr(0, line.find(": ")) + "\n";
            ++cuts;
        }
    }
    EXPECT_GT(parsed, 0u);
    const std::string path = test::tempPath("cut.txt");
    test::writeFile(path, mixed);
    LoadResult r = loadTextCapture(path);
    std::remove(path.c_str());
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_TRUE(anyWarningContains(*r.store, "line 3: not a trace line"));
    EXPECT_GT(cuts, 0u);
    EXPECT_EQ(r.store->info().unparsedLines, cuts);
}

// A line cut inside its body still has the whole trace-line prefix: it loads
// as an event named by the body's first word, the rest kept as text.
TEST(BadInput, LineCutInsideItsBodyLoadsAsRawText) {
    const std::string path = test::tempPath("cut-body.txt");
    test::writeFile(path, "cpus=1\n"
                          "  <idle>-0     [000]   379.934929: softirq_raise:  vec=9 [action=RCU]\n"
                          "  <idle>-0     [000]   379.934930: softirq_ent\n");
    LoadResult r = loadTextCapture(path);
    std::remove(path.c_str());
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.store->totalEvents(), 2u);
    EXPECT_EQ(r.store->info().unparsedLines, 0u);
    const EventTypeInfo& cut = r.store->type(r.store->cpu(0).type(1));
    EXPECT_EQ(cut.name, "softirq_ent");
    EXPECT_EQ(cut.kind, EventKind::Other);
}

} // namespace
} // namespace irqlens
