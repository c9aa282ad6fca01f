// The task-run table (core/spans/task_runs.h): runs, ids and the cases where
// a switch was not recorded, checked by hand on small synthetic captures.
#include "tests/spans/test_helpers.h"
#include "tests/spans/test_store.h"

#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

struct Run {
    std::int64_t start, end;
    std::int32_t pid;
    std::uint16_t flags;
    std::uint32_t switchEvent;
};

std::vector<Run> runsOf(const Analysis& a, int cpu) {
    std::vector<Run> out;
    const CpuTaskRuns& c = a.taskRuns.cpus.at(static_cast<std::size_t>(cpu));
    for (std::size_t i = 0; i < c.size(); ++i) {
        out.push_back({c.start(i), c.end(i), c.pid(i), c.flags(i), c.switchEvent(i)});
    }
    return out;
}

// CPU 0: 10 -> 20 at 100; pid 30 shows up at 150 with no switch into it;
// then a switch out of 40 (not 20) at 200.  20's run ends where the stray
// task was first seen (no end event: still OpenEnd); 40's lost run is kept
// from the last switch (OpenStart), overlapping 20's.
TEST(TaskRunTable, MissedSwitchesEndAndStartRunsAsBefore) {
    TestStore t;
    t.current(0, 10).switchTo(0, 100, 20); // event 0
    t.current(0, 30).other(0, 150);        // event 1: stray pid 30
    t.current(0, 40).switchTo(0, 200, 50); // event 2: prev 40 != 20
    t.other(0, 300);                       // event 3: capture end
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto runs = runsOf(a, 0);
    ASSERT_EQ(runs.size(), 4u);
    using namespace SpanFlag;
    EXPECT_EQ((std::tuple(runs[0].start, runs[0].end, runs[0].pid, runs[0].flags)),
              (std::tuple(100, 100, 10, OpenStart))); // before the first switch
    EXPECT_EQ((std::tuple(runs[1].start, runs[1].end, runs[1].pid, runs[1].flags)),
              (std::tuple(100, 150, 20, OpenEnd)));
    EXPECT_EQ((std::tuple(runs[2].start, runs[2].end, runs[2].pid, runs[2].flags)),
              (std::tuple(100, 200, 40, OpenStart)));
    EXPECT_EQ((std::tuple(runs[3].start, runs[3].end, runs[3].pid, runs[3].flags)),
              (std::tuple(200, 300, 50, OpenEnd)));
    EXPECT_EQ(runs[0].switchEvent, 0u); // the switch that ended it
    EXPECT_EQ(runs[1].switchEvent, 0u); // the switch that began it
    EXPECT_EQ(runs[2].switchEvent, 2u);
    EXPECT_EQ(runs[3].switchEvent, 2u);
    // As Spans: OpenStart runs have an end event, OpenEnd runs none.
    const Span lost = a.taskRuns.span(0, 2);
    EXPECT_EQ(lost.kind, SpanKind::Task);
    EXPECT_EQ(lost.key, 40u);
    EXPECT_EQ(lost.finish, (EventRef{0, 2}));
    EXPECT_EQ(a.taskRuns.finishOf(*store, 0, 1), EventRef{});
    EXPECT_EQ(a.taskRuns.span(0, 1).begin, (EventRef{0, 0}));
}

// A drop before the first switch: the run seen only at its end starts at the
// drop and crosses it.  A run longer than the 29-bit length keeps its end
// exactly; a closed run's end event is the CPU's next sched_switch.
TEST(TaskRunTable, DropsLongRunsAndEndEvents) {
    TestStore t;
    const std::int64_t longEnd = 2000 + 3'000'000'000;
    t.current(1, 7).other(1, 1000); // event 0
    t.drop(1, 1500).other(1, 1500); // event 1
    t.switchTo(1, 2000, 8);         // event 2
    t.other(1, 2100);               // event 3
    t.switchTo(1, longEnd, 9);      // event 4
    t.switchTo(1, longEnd + 10, 0); // event 5: to idle
    t.other(1, longEnd + 50);       // event 6
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto runs = runsOf(a, 1);
    ASSERT_EQ(runs.size(), 3u);
    using namespace SpanFlag;
    EXPECT_EQ((std::tuple(runs[0].start, runs[0].end, runs[0].pid, runs[0].flags)),
              (std::tuple(std::int64_t(1500), std::int64_t(2000), 7,
                          std::uint16_t(OpenStart | CrossesDrop))));
    EXPECT_EQ((std::tuple(runs[1].start, runs[1].end, runs[1].pid, runs[1].flags)),
              (std::tuple(std::int64_t(2000), longEnd, 8, std::uint16_t(0))));
    EXPECT_EQ((std::tuple(runs[2].start, runs[2].end, runs[2].pid, runs[2].flags)),
              (std::tuple(longEnd, longEnd + 10, 9, std::uint16_t(0))));
    EXPECT_EQ(a.taskRuns.finishOf(*store, 1, 1), (EventRef{1, 4})); // skips event 3
    EXPECT_EQ(a.taskRuns.finishOf(*store, 1, 2), (EventRef{1, 5}));
    EXPECT_EQ(spanWithEvents(*store, a, a.taskRuns.id(1, 1)).finish, (EventRef{1, 4}));
    EXPECT_EQ(a.taskRuns.span(1, 1).duration(), 3'000'000'000);
}

// A CPU whose clock stepped back (kept as read, as trace-cmd does): runs are
// in start order, equal starts in the order they began, and a run that "ended
// before it began" keeps its end.
TEST(TaskRunTable, ClockSteppingBackIsSortedByStart) {
    TestStore t;
    t.current(0, 10).switchTo(0, 100, 20).switchTo(0, 200, 30);
    t.switchTo(0, 150, 40).switchTo(0, 300, 50).other(0, 400);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto runs = runsOf(a, 0);
    ASSERT_EQ(runs.size(), 5u);
    const std::vector<std::tuple<std::int64_t, std::int64_t, std::int32_t>> expected = {
        {100, 100, 10}, {100, 200, 20}, {150, 300, 40}, {200, 150, 30}, {300, 400, 50}};
    for (std::size_t i = 0; i < runs.size(); ++i) {
        EXPECT_EQ(std::tuple(runs[i].start, runs[i].end, runs[i].pid), expected[i]) << i;
    }
    EXPECT_EQ(runs[3].switchEvent, 1u); // 30 began at the second switch
    EXPECT_EQ(runs[2].switchEvent, 2u);
}

TEST(TaskRunTable, IdsNameEveryRunAndNothingElse) {
    TestStore t;
    t.current(0, 10).switchTo(0, 100, 20).switchTo(0, 150, 30);
    t.current(1, 5).switchTo(1, 120, 6).irqEntry(1, 130, 9, "x").irqExit(1, 140, 9);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    ASSERT_EQ(a.taskRuns.size(), 5u); // CPU 0: 10, 20, 30; CPU 1: 5, 6
    ASSERT_EQ(a.spans.size(), 1u);
    std::size_t seen = 0;
    for (std::uint16_t cpu = 0; cpu < 2; ++cpu) {
        for (std::size_t i = 0; i < a.taskRuns.cpus[cpu].size(); ++i, ++seen) {
            const SpanId id = a.taskRuns.id(cpu, i);
            EXPECT_TRUE(isTaskRunId(id));
            std::uint16_t c = 99;
            std::size_t j = 99;
            ASSERT_TRUE(a.taskRuns.locate(id, c, j));
            EXPECT_EQ(std::pair(c, j), std::pair(cpu, i));
            EXPECT_TRUE(a.hasSpan(id));
            EXPECT_EQ(a.spanAt(id).start, a.taskRuns.cpus[cpu].start(i));
            EXPECT_EQ(a.spanAt(id).cpu, cpu);
        }
    }
    EXPECT_EQ(seen, 5u);
    EXPECT_FALSE(a.hasSpan(kTaskRunBit | 5u));
    EXPECT_FALSE(isTaskRunId(kNone));
    EXPECT_FALSE(a.hasSpan(kNone));
    EXPECT_TRUE(a.hasSpan(0));
    EXPECT_EQ(a.spanAt(0).kind, SpanKind::HardIrq);
    EXPECT_EQ(taskRunsOf(a).size(), 5u);
    EXPECT_EQ(a.count(SpanKind::Task), 5u);
    EXPECT_GE(a.taskRuns.bytesUsed(), 5u * 20u);
}

} // namespace
} // namespace irqlens::test
