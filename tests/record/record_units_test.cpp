// Small pieces of the recorder: page summaries (vs independently built
// pages), preset/event selection, CPU lists and masks, ssh destinations,
// header_page parsing, the framed remote file reads.
#include "core/record/event_selection.h"
#include "core/record/metadata_collector.h"
#include "core/record/remote_files.h"
#include "core/record/ring_page.h"
#include "core/record/shell_quote.h"
#include "tests/record/synthetic_pages.h"

#include <gtest/gtest.h>

namespace irqlens {
namespace {

TEST(RingPage, CountsEventsAndMissedInEveryByteOrder) {
    for (bool be : {false, true}) {
        for (int longSize : {4, 8}) {
            const auto meta = test::syntheticMetadata(be, longSize, 1);
            const auto page = test::syntheticPage(meta, 5000, 37, 12);
            const auto s =
                summarizePage(page.bytes.data(), page.bytes.size(), {be, longSize, 4096});
            EXPECT_TRUE(s.valid);
            EXPECT_EQ(s.events, 37u) << be << longSize;
            EXPECT_EQ(s.missed, 12u);
            EXPECT_EQ(s.timestamp, 5000u);
            const auto clean = test::syntheticPage(meta, 1, 3);
            EXPECT_EQ(
                summarizePage(clean.bytes.data(), clean.bytes.size(), {be, longSize, 4096}).missed,
                0u);
        }
    }
    char garbage[16] = {};
    garbage[8] = 0x7f; // commit far beyond the page
    garbage[9] = 0x7f;
    EXPECT_FALSE(summarizePage(garbage, sizeof garbage, {false, 8, 16}).valid);
}

TEST(EventSelection, PresetExpandsAgainstAvailableEvents) {
    AvailableEvents available{
        {"irq", {"irq_handler_entry", "irq_handler_exit", "softirq_entry"}},
        {"workqueue", {"workqueue_execute_start"}},
        {"sched", {"sched_switch", "sched_waking", "sched_wakeup", "sched_process_exec"}},
        {"timer", {"hrtimer_start"}},
    };
    RecordOptions options;
    auto selection = selectEvents(options, available);
    ASSERT_TRUE(selection.ok()) << selection.error;
    EXPECT_EQ(selection.events.size(), 7u);   // 3 irq + 1 wq + 3 sched; no exec, no timer
    EXPECT_EQ(selection.warnings.size(), 2u); // irq_vectors, ipi missing
    options.events = {"timer:*"};
    EXPECT_EQ(selectEvents(options, available).events.size(), 8u);
    options.events = {"sched:nope"};
    EXPECT_NE(selectEvents(options, available).error.find("no event sched:nope"),
              std::string::npos);
    options.preset = "bogus";
    EXPECT_NE(selectEvents(options, available).error.find("unknown preset"), std::string::npos);
}

TEST(RecordOptionsParsing, CpuListsAndMasks) {
    std::string error;
    EXPECT_EQ(*parseCpuList("0-2,5", 8, error), (std::vector<int>{0, 1, 2, 5}));
    EXPECT_FALSE(parseCpuList("3", 2, error));
    EXPECT_FALSE(parseCpuList("1-0", 4, error));
    EXPECT_FALSE(parseCpuList("x", 4, error));
    EXPECT_EQ(cpuMaskHex({0, 1}), "3");
    EXPECT_EQ(cpuMaskHex({0, 33}), "2,00000001");
}

TEST(SshDestinationParsing, AcceptsUsualFormsRejectsOptionsAndShell) {
    std::string error;
    auto d = parseSshDestination("pi@raspberrypi.local:2222", error);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->user, "pi");
    EXPECT_EQ(d->host, "raspberrypi.local");
    EXPECT_EQ(d->port, 2222);
    d = parseSshDestination("[fe80::1]:22", error);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->host, "fe80::1");
    for (const char* bad :
         {"-oProxyCommand=x", "a;b", "a b", "host:99999", "@host", "h$(x)", "h`x`"})
        EXPECT_FALSE(parseSshDestination(bad, error)) << bad;
}

TEST(HeaderPage, GivesPageAndLongSize) {
    const auto meta = test::syntheticMetadata(true, 4, 1);
    std::uint32_t page = 0;
    int longSize = 0;
    ASSERT_TRUE(parseHeaderPage(meta.headerPage, page, longSize));
    EXPECT_EQ(page, 4096u);
    EXPECT_EQ(longSize, 4);
    EXPECT_FALSE(parseHeaderPage("nothing here", page, longSize));
}

TEST(RemoteFiles, FramedOutputSplitsAndSkipsFailures) {
    const std::string m = "@@irqlens-abc";
    const std::string out = "\n" + m + " begin\nA\nB\n" + "\n" + m + " end 0\n" + "\n" + m +
                            " begin\n" + "\n" + m + " end 1\n" + "\n" + m + " begin\nC" + "\n" + m +
                            " end 0\n";
    const auto files = splitFramedFiles(out, m, {"a", "missing", "c"});
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files.at("a"), "A\nB\n");
    EXPECT_EQ(files.at("c"), "C");
    const auto probe =
        parseProbe("dir /sys/kernel/tracing\naccess w\nevent irq/irq_handler_entry/format\n"
                   "cpu cpu0\ncpu cpu1\ndd nonblock\nelf \x02\n");
    EXPECT_EQ(probe.cpus, 2);
    EXPECT_TRUE(probe.writable);
    EXPECT_TRUE(probe.nonblockingDd);
    ASSERT_TRUE(probe.bigEndian);
    EXPECT_TRUE(*probe.bigEndian);
    EXPECT_EQ(probe.events.at("irq").count("irq_handler_entry"), 1u);
}

} // namespace
} // namespace irqlens
