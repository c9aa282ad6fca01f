// "Why was this one slow?" (core/overview/wait_breakdown.h): the shares of a
// bottom half's wait, on hand-built captures (every expected value worked out
// from the events below) and on one episode of samples/wq.dat checked by hand
// with `trace-cmd report`.
#include "core/overview/wait_breakdown.h"
#include "parsers/capture_loader.h"
#include "tests/spans/test_store.h"
#include "tests/support/test_data.h"

#include <gtest/gtest.h>
#include <map>
#include <numeric>

namespace irqlens {
namespace {

using test::TestStore;

constexpr std::uint64_t kWork = 0xa0, kWorkFn = 0xf1, kOtherWork = 0xb0, kOtherFn = 0xf2;

std::int64_t sum(const WaitBreakdown& b) {
    return std::accumulate(b.shares.begin(), b.shares.end(), std::int64_t{0},
                           [](std::int64_t s, const WaitShare& w) { return s + w.ns; });
}

// label -> (ns, pieces)
std::map<std::string, std::pair<std::int64_t, std::size_t>> byLabel(const WaitBreakdown& b) {
    std::map<std::string, std::pair<std::int64_t, std::size_t>> m;
    for (const WaitShare& w : b.shares) {
        m[occupantLabel(w)] = {w.ns, w.pieces};
    }
    return m;
}

// CPU 0: "app" runs; IRQ 26 queues a work item at 1100 and returns at 1300;
// app runs to 2000; local_timer 2000-2300 raises TIMER, which runs 2300-2500;
// app runs to 3000 and sleeps; the kworker is switched in at 3000 and starts
// the item at 3200.  The wait 1100 -> 3200 (2100 ns) is: the rest of IRQ 26
// 200, app 700 + 500 (two stretches), local_timer 300, TIMER 200, kworker 200.
TEST(WaitBreakdown, WorkItemWaitIsSharedOutToWhatRan) {
    TestStore t(1);
    t.comm(100, "app").comm(200, "kworker/0:1");
    t.switchTo(0, 500, 100)
        .irqEntry(0, 1000, 26, "gpio")
        .queueWork(0, 1100, kWork, kWorkFn)
        .irqExit(0, 1300, 26)
        .vectorEntry(0, 2000, "local_timer", 236)
        .raise(0, 2100, 1)
        .vectorExit(0, 2300, "local_timer", 236)
        .softEntry(0, 2300, 1)
        .softExit(0, 2500, 1)
        .switchTo(0, 3000, 200, 'S')
        .workStart(0, 3200, kWork, kWorkFn)
        .workEnd(0, 3400, kWork)
        .switchTo(0, 3500, 0, 'S');
    const auto store = t.finish();
    const Analysis a = analyze(*store);
    ASSERT_EQ(a.episodes.size(), 2u); // IRQ 26 and local_timer
    const auto b = explainWait(*store, a, 0);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->cpu, 0);
    EXPECT_EQ(b->from, 1100);
    EXPECT_EQ(b->to, 3200);
    EXPECT_EQ(sum(*b), 2100);
    EXPECT_EQ(sum(*b), a.episodes[0].waitNs);
    const auto m = byLabel(*b);
    EXPECT_EQ(m.at("IRQ 26 gpio (its own top half)"), std::make_pair(std::int64_t{200}, 1ul));
    EXPECT_EQ(m.at("app (pid 100)"), std::make_pair(std::int64_t{1200}, 2ul));
    EXPECT_EQ(m.at("local_timer"), std::make_pair(std::int64_t{300}, 1ul));
    EXPECT_EQ(m.at("softirq TIMER"), std::make_pair(std::int64_t{200}, 1ul));
    EXPECT_EQ(m.at("kworker/0:1 (pid 200)"), std::make_pair(std::int64_t{200}, 1ul));
    EXPECT_EQ(m.size(), 5u);
    EXPECT_EQ(occupantLabel(b->shares.front()), "app (pid 100)"); // largest first
}

// A work item whose kworker sleeps inside it is not running: kworker A runs
// item X from 100 and sleeps at 200 (X goes on as a span until 850).  IRQ 26
// queues item Y at 350 and returns at 400; the CPU idles until kworker B is
// switched in at 600 and starts Y at 650.  Y's wait (300 ns): the rest of
// IRQ 26 50, idle 200, kworker B 50 — nothing for X.
TEST(WaitBreakdown, SleepingWorkItemDoesNotHoldTheCpuAndIdleCounts) {
    TestStore t(1);
    t.comm(300, "kworker/0:1").comm(301, "kworker/0:2");
    t.switchTo(0, 50, 300)
        .workStart(0, 100, kOtherWork, kOtherFn)
        .switchTo(0, 200, 0, 'S')
        .irqEntry(0, 300, 26, "gpio")
        .queueWork(0, 350, kWork, kWorkFn)
        .irqExit(0, 400, 26)
        .switchTo(0, 600, 301)
        .workStart(0, 650, kWork, kWorkFn)
        .workEnd(0, 700, kWork)
        .switchTo(0, 800, 300, 'S')
        .workEnd(0, 850, kOtherWork);
    const auto store = t.finish();
    const Analysis a = analyze(*store);
    ASSERT_EQ(a.episodes.size(), 1u);
    const auto b = explainWait(*store, a, 0);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->waitNs(), 300);
    EXPECT_EQ(sum(*b), 300);
    const auto m = byLabel(*b);
    EXPECT_EQ(m.at("IRQ 26 gpio (its own top half)").first, 50);
    EXPECT_EQ(m.at("idle (nothing ran)").first, 200);
    EXPECT_EQ(m.at("kworker/0:2 (pid 301)").first, 50);
    EXPECT_EQ(m.size(), 3u);
}

// An irq thread woken on CPU 0 runs on CPU 1: the wait is what CPU 1 did.
// IRQ 26 on CPU 0 1000-1200 wakes irq/26-gpio (target CPU 1) at 1100; CPU 1
// runs "app" until it is preempted by the thread at 1500.  Wait 400 ns, all app.
TEST(WaitBreakdown, ThreadWaitIsReadOnTheCpuItRanOn) {
    TestStore t(2);
    t.comm(100, "app").comm(400, "irq/26-gpio");
    t.switchTo(1, 900, 100)
        .irqEntry(0, 1000, 26, "gpio")
        .waking(0, 1100, 400, 1)
        .irqExit(0, 1200, 26)
        .switchTo(1, 1500, 400, 'R')
        .switchTo(1, 1700, 100, 'S');
    const auto store = t.finish();
    const Analysis a = analyze(*store);
    ASSERT_EQ(a.episodes.size(), 1u);
    const auto b = explainWait(*store, a, 0);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->cpu, 1);
    EXPECT_EQ(b->waitNs(), 400);
    ASSERT_EQ(b->shares.size(), 1u);
    EXPECT_EQ(occupantLabel(b->shares[0]), "app (pid 100)");
    EXPECT_EQ(b->shares[0].ns, 400);
    EXPECT_NE(describeWait(*store, a, *b).find("(its hard IRQ ran on CPU 0)"), std::string::npos);
}

TEST(WaitBreakdown, NoBottomHalfNoBreakdown) {
    TestStore t(1);
    t.irqEntry(0, 100, 26, "gpio").irqExit(0, 200, 26);
    const auto store = t.finish();
    const Analysis a = analyze(*store);
    ASSERT_EQ(a.episodes.size(), 1u);
    EXPECT_FALSE(explainWait(*store, a, 0));
    EXPECT_FALSE(explainWait(*store, a, 7)); // no such episode
}

// Without task runs (AnalysisOptions::taskSpans off) the time no interrupt
// took is "unknown", not idle: the shares still add up.
TEST(WaitBreakdown, WithoutTaskRunsTheRestIsUnknown) {
    TestStore t(1);
    t.comm(200, "kworker/0:1");
    t.irqEntry(0, 100, 26, "gpio")
        .queueWork(0, 150, kWork, kWorkFn)
        .irqExit(0, 200, 26)
        .switchTo(0, 500, 200)
        .workStart(0, 600, kWork, kWorkFn)
        .workEnd(0, 700, kWork);
    const auto store = t.finish();
    AnalysisOptions options;
    options.taskSpans = false;
    const Analysis a = analyze(*store, options);
    const auto b = explainWait(*store, a, 0);
    ASSERT_TRUE(b);
    EXPECT_EQ(sum(*b), 450);
    EXPECT_EQ(byLabel(*b).at("task context (task runs not analysed)").first, 400);
}

// samples/wq.dat, episode 2140: IRQ 26 on CPU 1 queues irqlens_wq_bottom_half
// at 6.956714954 s; kworker/1:2 starts it at 6.958957112 s.  Read by hand from
// `trace-cmd report -t -i samples/wq.dat --cpu 1` (ns timestamps, window
// 6.956642024 .. 6.958957112):
//   6.956714954 workqueue_queue_work (inside irq 26)
//   6.956874783 irq_handler_exit irq=26        -> IRQ 26 rest: 159 829 ns
//   6.956908403 irq_work_exit                  -> irq_work (outer vector): 33 620
//   6.958191906 local_timer_entry              -> sh-119 runs: 1 283 503
//   6.958623142 local_timer_exit               -> local_timer: 431 236
//   6.958637904 softirq_entry SCHED            -> sh: 14 762
//   6.958675821 softirq_exit SCHED             -> SCHED: 37 917
//   6.958684003 softirq_entry RCU              -> sh: 8 182
//   6.958730553 softirq_exit RCU               -> RCU: 46 550
//   6.958880297 sched_switch sh:119 S ==> kworker/1:2:53 -> sh: 149 744
//   6.958957112 workqueue_execute_start        -> kworker/1:2 before the item: 76 815
// sh in all: 1 283 503 + 14 762 + 8 182 + 149 744 = 1 456 191 ns in 4 stretches;
// total 2 242 158 ns = the wait.
TEST(WaitBreakdown, HandCheckedEpisodeOfWqSample) {
    const LoadResult loaded = loadCapture(test::dataPath("wq.dat"));
    ASSERT_TRUE(loaded.ok()) << loaded.error;
    const Analysis a = analyze(*loaded.store);
    constexpr EpisodeId kEpisode = 2140;
    ASSERT_GT(a.episodes.size(), kEpisode);
    const Span& hard = a.spans[a.episodes[kEpisode].hardIrq];
    ASSERT_EQ(spanKeyName(*loaded.store, hard), "26 irqlens-gpio");
    ASSERT_EQ(hard.start, 6'956'642'024);
    const auto b = explainWait(*loaded.store, a, kEpisode);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->cpu, 1);
    EXPECT_EQ(b->from, 6'956'714'954);
    EXPECT_EQ(b->to, 6'958'957'112);
    EXPECT_EQ(sum(*b), 2'242'158);
    EXPECT_EQ(a.episodes[kEpisode].waitNs, 2'242'158);
    const auto m = byLabel(*b);
    EXPECT_EQ(m.at("sh (pid 119)"), std::make_pair(std::int64_t{1'456'191}, 4ul));
    EXPECT_EQ(m.at("local_timer").first, 431'236);
    EXPECT_EQ(m.at("IRQ 26 irqlens-gpio (its own top half)").first, 159'829);
    EXPECT_EQ(m.at("kworker/1:2 (pid 53)").first, 76'815);
    EXPECT_EQ(m.at("softirq RCU").first, 46'550);
    EXPECT_EQ(m.at("softirq SCHED").first, 37'917);
    EXPECT_EQ(m.at("irq_work").first, 33'620);
    EXPECT_EQ(m.size(), 7u);
}

// On every episode of the three GPIO samples the shares add up to the wait.
TEST(WaitBreakdown, SharesAlwaysSumToTheWaitOnTheSamples) {
    for (const char* name : {"wq.dat", "threaded.dat", "tasklet.dat"}) {
        const LoadResult loaded = loadCapture(test::dataPath(name));
        ASSERT_TRUE(loaded.ok()) << loaded.error;
        const Analysis a = analyze(*loaded.store);
        std::size_t explained = 0;
        for (EpisodeId e = 0; e < a.episodes.size(); ++e) {
            if (const auto b = explainWait(*loaded.store, a, e)) {
                ASSERT_EQ(sum(*b), a.episodes[e].waitNs) << name << " episode " << e;
                ++explained;
            }
        }
        EXPECT_GT(explained, 200u) << name; // at least the 200 GPIO bottom halves
    }
}

} // namespace
} // namespace irqlens
