// Pairing of hard IRQ, vector, softirq and function spans; capture edges,
// drops and the final span order.
#include "tests/spans/test_helpers.h"
#include "tests/spans/test_store.h"

#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

TEST(HardIrq, NestedHandlersStackWithDepth) {
    TestStore t;
    t.irqEntry(0, 100, 36, "virtio1-req.0").irqEntry(0, 150, 40, "eth0");
    t.irqExit(0, 170, 40).irqExit(0, 200, 36);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto ids = spansOf(a, SpanKind::HardIrq);
    ASSERT_EQ(ids.size(), 2u);
    const Span& outer = a.spans[ids[0]];
    const Span& inner = a.spans[ids[1]];
    EXPECT_EQ(outer.start, 100);
    EXPECT_EQ(outer.end, 200);
    EXPECT_EQ(outer.depth, 0);
    EXPECT_FALSE(has(outer, SpanFlag::Nested));
    EXPECT_EQ(inner.start, 150);
    EXPECT_EQ(inner.end, 170);
    EXPECT_EQ(inner.depth, 1);
    EXPECT_TRUE(has(inner, SpanFlag::Nested));
    EXPECT_EQ(spanKeyName(*store, outer), "36 virtio1-req.0");
    EXPECT_EQ(spanKeyName(*store, inner), "40 eth0");
    EXPECT_EQ(a.episodes.size(), 2u);
    EXPECT_EQ(a.count(SpanKind::HardIrq), 2u);
}

TEST(HardIrq, ExitWithoutEntryIsOpenStartAndEntryWithoutExitIsOpenEnd) {
    TestStore t;
    t.other(0, 50).irqExit(0, 100, 36).irqEntry(0, 300, 36, "virtio1").other(0, 400);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto ids = spansOf(a, SpanKind::HardIrq);
    ASSERT_EQ(ids.size(), 2u);
    const Span& first = a.spans[ids[0]];
    EXPECT_TRUE(has(first, SpanFlag::OpenStart));
    EXPECT_FALSE(has(first, SpanFlag::OpenEnd));
    EXPECT_EQ(first.start, 50); // the capture's first event
    EXPECT_EQ(first.end, 100);
    EXPECT_EQ(spanKeyName(*store, first), "36 virtio1");
    const Span& last = a.spans[ids[1]];
    EXPECT_TRUE(has(last, SpanFlag::OpenEnd));
    EXPECT_EQ(last.start, 300);
    EXPECT_EQ(last.end, 400); // the capture's last event
    // Only the IRQ whose entry was seen roots an episode, and it is incomplete.
    ASSERT_EQ(a.episodes.size(), 1u);
    EXPECT_EQ(a.episodes[0].hardIrq, ids[1]);
    EXPECT_TRUE(a.episodes[0].flags & EpisodeFlag::Incomplete);
}

TEST(HardIrq, LostInnerExitEndsAtOuterExitNeverMispaired) {
    TestStore t;
    t.irqEntry(0, 100, 36, "a").irqEntry(0, 120, 40, "b").irqExit(0, 200, 36);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto ids = spansOf(a, SpanKind::HardIrq);
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_EQ(a.spans[ids[0]].end, 200);
    EXPECT_FALSE(has(a.spans[ids[0]], SpanFlag::OpenEnd));
    EXPECT_EQ(a.spans[ids[1]].start, 120);
    EXPECT_EQ(a.spans[ids[1]].end, 200);
    EXPECT_TRUE(has(a.spans[ids[1]], SpanFlag::OpenEnd));
}

TEST(HardIrq, UnhandledAndVectors) {
    TestStore t;
    t.irqEntry(0, 100, 9, "acpi").irqExit(0, 110, 9, false);
    t.vectorEntry(0, 200, "local_timer", 236)
        .raise(0, 205, 1)
        .vectorExit(0, 210, "local_timer", 236);
    t.softEntry(0, 220, 1).softExit(0, 230, 1);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto ids = spansOf(a, SpanKind::HardIrq);
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_TRUE(has(a.spans[ids[0]], SpanFlag::Unhandled));
    EXPECT_EQ(spanKeyName(*store, a.spans[ids[1]]), "local_timer");
    EXPECT_EQ(a.spans[ids[1]].end, 210);
    // The TIMER softirq raised in the local timer vector belongs to its episode.
    const Episode* e = episodeOf(a, ids[1]);
    ASSERT_NE(e, nullptr);
    ASSERT_EQ(e->linkCount, 1u);
    EXPECT_EQ(a.spans[a.linksOf(e - a.episodes.data())[0].span].kind, SpanKind::Softirq);
    EXPECT_EQ(e->end, 230);
    EXPECT_EQ(e->endToEnd(a.spans), 30);
}

TEST(Softirq, LatencyFromFirstPendingRaiseNeverBorrowed) {
    TestStore t;
    t.raise(0, 100, 3).raise(0, 120, 3).softEntry(0, 150, 3).softExit(0, 180, 3);
    t.softEntry(0, 300, 3).softExit(0, 310, 3); // no raise since the previous entry
    t.raise(1, 400, 3).softEntry(0, 500, 3).softExit(0, 510, 3); // a raise on another CPU
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto ids = spansOf(a, SpanKind::Softirq);
    ASSERT_EQ(ids.size(), 3u);
    EXPECT_EQ(a.spans[ids[0]].trigger, 100);
    EXPECT_EQ(a.spans[ids[0]].latency(), 50);
    EXPECT_EQ(a.spans[ids[0]].duration(), 30);
    EXPECT_EQ(spanKeyName(*store, a.spans[ids[0]]), "NET_RX");
    for (SpanId id : {ids[1], ids[2]}) {
        EXPECT_TRUE(has(a.spans[id], SpanFlag::LatencyUnknown));
        EXPECT_FALSE(a.spans[id].latencyKnown());
        EXPECT_EQ(a.spans[id].latency(), -1);
    }
}

TEST(Softirq, RanInKsoftirqd) {
    TestStore t;
    t.comm(15, "ksoftirqd/0").comm(200, "bash");
    t.current(0, 15).raise(0, 10, 1).softEntry(0, 20, 1).softExit(0, 30, 1);
    t.current(0, 200).raise(0, 40, 1).softEntry(0, 50, 1).softExit(0, 60, 1);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto ids = spansOf(a, SpanKind::Softirq);
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_TRUE(has(a.spans[ids[0]], SpanFlag::InKsoftirqd));
    EXPECT_FALSE(has(a.spans[ids[1]], SpanFlag::InKsoftirqd));
}

TEST(Softirq, ExitAtStreamStartIsOpenStartWithUnknownLatency) {
    TestStore t;
    t.other(1, 5).softExit(0, 10, 9).raise(0, 20, 9).softEntry(0, 30, 9).softExit(0, 40, 9);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto ids = spansOf(a, SpanKind::Softirq);
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_TRUE(has(a.spans[ids[0]], SpanFlag::OpenStart));
    EXPECT_TRUE(has(a.spans[ids[0]], SpanFlag::LatencyUnknown));
    EXPECT_EQ(a.spans[ids[0]].start, 5);
    EXPECT_EQ(a.spans[ids[1]].latency(), 10);
}

TEST(Drops, SpanAcrossADropIsFlagged) {
    TestStore t;
    t.softEntry(0, 100, 1).other(0, 120).drop(0, 150).other(0, 150).softExit(0, 200, 1);
    t.softEntry(0, 300, 1).softExit(0, 310, 1);
    t.drop(0, 400).softExit(0, 410, 7); // its entry was lost in the drop
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto ids = spansOf(a, SpanKind::Softirq);
    ASSERT_EQ(ids.size(), 3u);
    EXPECT_TRUE(has(a.spans[ids[0]], SpanFlag::CrossesDrop));
    EXPECT_FALSE(has(a.spans[ids[1]], SpanFlag::CrossesDrop));
    EXPECT_TRUE(has(a.spans[ids[2]], SpanFlag::OpenStart));
    EXPECT_TRUE(has(a.spans[ids[2]], SpanFlag::CrossesDrop));
    EXPECT_EQ(a.spans[ids[2]].start, 400);
}

TEST(Functions, GraphEntriesNestByDepth) {
    TestStore t;
    t.funcEntry(0, 100, 0xffff0010, 0).funcEntry(0, 110, 0xffff0020, 1);
    t.funcExit(0, 120, 0xffff0020, 1).funcExit(0, 130, 0xffff0010, 0);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto ids = spansOf(a, SpanKind::Function);
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_EQ(a.spans[ids[0]].start, 100);
    EXPECT_EQ(a.spans[ids[0]].end, 130);
    EXPECT_EQ(a.spans[ids[0]].depth, 0);
    EXPECT_EQ(a.spans[ids[1]].end, 120);
    EXPECT_EQ(a.spans[ids[1]].depth, 1);
    EXPECT_TRUE(has(a.spans[ids[1]], SpanFlag::Nested));
    EXPECT_EQ(spanKeyName(*store, a.spans[ids[1]]), "0xffff0020");
}

TEST(Tasks, RunsPerCpuFromSchedSwitch) {
    TestStore t;
    t.comm(10, "a").comm(20, "b");
    t.current(0, 10).other(0, 50).switchTo(0, 100, 20, 'R').switchTo(0, 150, 0).other(0, 170);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto runs = taskRunsOf(a);
    ASSERT_EQ(runs.size(), 2u); // idle is not a task run
    EXPECT_TRUE(has(runs[0], SpanFlag::OpenStart));
    EXPECT_EQ(runs[0].key, 10u);
    EXPECT_EQ(runs[0].start, 50);
    EXPECT_EQ(runs[0].end, 100);
    EXPECT_EQ(runs[1].key, 20u);
    EXPECT_EQ(runs[1].start, 100);
    EXPECT_EQ(runs[1].end, 150);
    EXPECT_EQ(spanKeyName(*store, runs[1]), "b");

    AnalysisOptions noTasks;
    noTasks.taskSpans = false;
    EXPECT_EQ(analyze(*store, noTasks).count(SpanKind::Task), 0u);
}

TEST(Order, SpansSortedByCpuKindStartAndIndexConsistent) {
    TestStore t;
    t.irqEntry(1, 5, 1, "x").irqExit(1, 6, 1);
    t.raise(0, 10, 1).softEntry(0, 20, 1).irqEntry(0, 25, 36, "v").irqExit(0, 27, 36);
    t.softExit(0, 30, 1).softExit(0, 40, 2);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    ASSERT_EQ(a.spans.size(), 4u);
    for (std::size_t i = 1; i < a.spans.size(); ++i) {
        const Span& p = a.spans[i - 1];
        const Span& s = a.spans[i];
        EXPECT_TRUE(p.cpu < s.cpu || (p.cpu == s.cpu && (p.kind < s.kind || (p.kind == s.kind &&
                                                                             p.start <= s.start))));
    }
    ASSERT_EQ(a.spanEpisodeOffsets.size(), a.spans.size() + 1);
    for (std::size_t e = 0; e < a.episodes.size(); ++e) {
        const auto eps = a.episodesOf(a.episodes[e].hardIrq);
        ASSERT_EQ(eps.size(), 1u);
        EXPECT_EQ(eps[0], e);
    }
    EXPECT_GT(a.bytesUsed(), a.spans.size() * sizeof(Span));
}

} // namespace
} // namespace irqlens::test

namespace irqlens::test {
namespace {

// Seen in irq_wq.dat: rcu_preempt runs on CPU 1 with no sched_switch into it.
TEST(Tasks, RunWithoutRecordedSwitchInIsKeptFromItsFirstEvent) {
    TestStore t;
    t.comm(15, "rcu_preempt").comm(30, "a");
    t.current(1, 30).switchTo(1, 100, 0).current(1, 15).other(1, 150).other(1, 160);
    t.switchTo(1, 200, 0);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto runs = taskRunsOf(a);
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[1].key, 15u);
    EXPECT_TRUE(has(runs[1], SpanFlag::OpenStart));
    EXPECT_EQ(runs[1].start, 150);
    EXPECT_EQ(runs[1].end, 200);
}

} // namespace
} // namespace irqlens::test

namespace irqlens::test {
namespace {

// Bad input is data: out-of-range args and an empty store never crash.
TEST(BadInput, OutOfRangeArgsAndEmptyStore) {
    EventStore empty;
    empty.finish();
    const Analysis none = analyze(empty);
    EXPECT_TRUE(none.spans.empty());
    EXPECT_EQ(none.spanEpisodeOffsets.size(), 1u);

    TestStore t(1);
    t.raise(0, 5, 42).softEntry(0, 10, 42).softExit(0, 20, 42);
    auto store = t.finish();
    // An irq_handler_entry whose arg is no interned action, a work event
    // whose arg is no interned work item.
    const TypeId irqType =
        store->addType({"irq", "irq_handler_entry", EventKind::IrqHandlerEntry, -1});
    const TypeId workType =
        store->addType({"workqueue", "workqueue_execute_start", EventKind::WorkStart, -1});
    store->cpuEventsMutable(0).append({30, 0, irqType, 0, 0, 999}, 0);
    store->cpuEventsMutable(0).append({40, 0, workType, 0, 0, 999}, 0);
    const Analysis a = analyze(*store);
    const auto soft = spansOf(a, SpanKind::Softirq);
    ASSERT_EQ(soft.size(), 1u);
    EXPECT_TRUE(has(a.spans[soft[0]], SpanFlag::LatencyUnknown));
    EXPECT_EQ(spanKeyName(*store, a.spans[soft[0]]), "?");
    const auto hard = spansOf(a, SpanKind::HardIrq);
    ASSERT_EQ(hard.size(), 1u);
    EXPECT_TRUE(has(a.spans[hard[0]], SpanFlag::OpenEnd));
    EXPECT_EQ(spanKeyName(*store, a.spans[hard[0]]), "?");
    EXPECT_EQ(a.count(SpanKind::Workqueue), 0u);
}

} // namespace
} // namespace irqlens::test
