// Tasklets, workqueue items, irq-thread runs and preemption.
#include "tests/spans/test_helpers.h"
#include "tests/spans/test_store.h"

#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

constexpr std::uint64_t kTaskletFn = 0xffffffffa0001000;
constexpr std::uint64_t kWork = 0xffff888004a0c000;
constexpr std::uint64_t kWorkFn = 0xffffffff81234560;

TEST(Tasklet, InheritsLatencyFromItsSoftirqRaise) {
    TestStore t;
    t.irqEntry(0, 90, 17, "gpio").raise(0, 100, 6).irqExit(0, 110, 17);
    t.softEntry(0, 150, 6).taskletEntry(0, 160, kTaskletFn).taskletExit(0, 175, kTaskletFn);
    t.softExit(0, 180, 6);
    t.taskletEntry(0, 300, kTaskletFn).taskletExit(0, 310, kTaskletFn); // outside TASKLET softirq
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto ids = spansOf(a, SpanKind::Tasklet);
    ASSERT_EQ(ids.size(), 2u);
    const Span& tasklet = a.spans[ids[0]];
    EXPECT_EQ(tasklet.trigger, 100);
    EXPECT_EQ(tasklet.latency(), 60);
    EXPECT_EQ(tasklet.duration(), 15);
    EXPECT_EQ(spanKeyName(*store, tasklet), "0xffffffffa0001000");
    EXPECT_TRUE(has(a.spans[ids[1]], SpanFlag::LatencyUnknown));
}

TEST(Workqueue, QueueActivateStartEndByWorkAddress) {
    TestStore t;
    t.comm(50, "kworker/1:1");
    t.irqEntry(0, 90, 36, "virtio1").queueWork(0, 100, kWork, kWorkFn).irqExit(0, 110, 36);
    t.activateWork(0, 105 + 10, kWork);
    t.current(1, 50).workStart(1, 200, kWork, kWorkFn).workEnd(1, 260, kWork);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto ids = spansOf(a, SpanKind::Workqueue);
    ASSERT_EQ(ids.size(), 1u);
    const Span& w = a.spans[ids[0]];
    EXPECT_EQ(w.cpu, 1);
    EXPECT_EQ(w.pid, 50);
    EXPECT_EQ(w.trigger, 100);
    EXPECT_EQ(w.latency(), 100);
    EXPECT_EQ(w.duration(), 60);
    EXPECT_EQ(spanKeyName(*store, w), "0xffffffff81234560");
    const QueueContext* q = a.queueContextOf(ids[0]);
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->queueTs, 100);
    EXPECT_EQ(q->activateTs, 115);
    EXPECT_EQ(q->cpu, 0);
    ASSERT_NE(q->context, kNone);
    EXPECT_EQ(a.spans[q->context].kind, SpanKind::HardIrq);
    EXPECT_EQ(a.spans[q->context].start, 90);
}

TEST(Workqueue, EndWithoutStartIsOpenStart) {
    TestStore t;
    t.other(0, 10).workEnd(0, 20, kWork).workStart(0, 30, kWork, kWorkFn);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto ids = spansOf(a, SpanKind::Workqueue);
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_TRUE(has(a.spans[ids[0]], SpanFlag::OpenStart));
    EXPECT_EQ(a.spans[ids[0]].start, 10);
    EXPECT_TRUE(has(a.spans[ids[1]], SpanFlag::OpenEnd));
    EXPECT_TRUE(has(a.spans[ids[1]], SpanFlag::LatencyUnknown)); // never queued in the capture
}

TEST(Workqueue, PreemptedItemRecordsWhoAndHowLong) {
    TestStore t;
    t.comm(50, "kworker/0:1").comm(60, "stress");
    t.current(0, 50).queueWork(0, 90, kWork, kWorkFn).workStart(0, 100, kWork, kWorkFn);
    t.switchTo(0, 120, 60, 'R').switchTo(0, 150, 50, 'R'); // preempted by 60 for 30 ns
    t.switchTo(0, 160, 60, 'D').switchTo(0, 170, 50, 'S'); // blocked: not preemption
    t.workEnd(0, 200, kWork);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto ids = spansOf(a, SpanKind::Workqueue);
    ASSERT_EQ(ids.size(), 1u);
    EXPECT_TRUE(has(a.spans[ids[0]], SpanFlag::Preempted));
    const auto pre = a.preemptionsOf(ids[0]);
    ASSERT_EQ(pre.size(), 1u);
    EXPECT_EQ(pre[0].start, 120);
    EXPECT_EQ(pre[0].end, 150);
    EXPECT_EQ(pre[0].by, 60);
}

TEST(IrqThread, WakeInHardIrqThenRunOnAnotherCpuWithPreemption) {
    TestStore t;
    t.comm(77, "irq/36-virtio1").comm(99, "hog");
    t.irqEntry(0, 100, 36, "virtio1").waking(0, 105, 77, 1).irqExit(0, 110, 36);
    t.current(1, 0).switchTo(1, 150, 77).switchTo(1, 170, 99, 'R');
    t.switchTo(1, 190, 77, 'R').switchTo(1, 230, 0, 'S');
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto ids = spansOf(a, SpanKind::IrqThread);
    ASSERT_EQ(ids.size(), 1u);
    const Span& run = a.spans[ids[0]];
    EXPECT_EQ(run.cpu, 1);
    EXPECT_EQ(run.pid, 77);
    EXPECT_EQ(run.start, 150);
    EXPECT_EQ(run.end, 230);
    EXPECT_EQ(run.latency(), 45);
    EXPECT_TRUE(has(run, SpanFlag::Preempted));
    EXPECT_EQ(spanKeyName(*store, run), "irq/36-virtio1");
    const auto hard = spansOf(a, SpanKind::HardIrq);
    ASSERT_EQ(hard.size(), 1u);
    const Episode* e = episodeOf(a, hard[0]);
    ASSERT_NE(e, nullptr);
    ASSERT_EQ(e->linkCount, 1u);
    const EpisodeLink& l = a.linksOf(static_cast<EpisodeId>(e - a.episodes.data()))[0];
    EXPECT_EQ(l.role, LinkRole::ThreadWoken);
    EXPECT_EQ(l.triggerTs, 105);
    EXPECT_EQ(e->endToEnd(a.spans), 130);
    EXPECT_EQ(e->topHalfNs, 10);
    EXPECT_EQ(e->waitNs, 45);
    EXPECT_EQ(e->runNs, 80);
    EXPECT_EQ(e->preemptedNs, 20);
    EXPECT_EQ(e->preemptedBy, 99);
    // Task spans see the same thread in two pieces.
    EXPECT_EQ(a.count(SpanKind::Task), 3u);
}

TEST(IrqThread, WakeOfAnotherIrqsThreadIsNotLinked) {
    TestStore t;
    t.comm(77, "irq/36-virtio1");
    t.irqEntry(0, 100, 40, "eth0").waking(0, 105, 77, 0).irqExit(0, 110, 40);
    t.switchTo(0, 150, 77).switchTo(0, 160, 0);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    ASSERT_EQ(a.count(SpanKind::IrqThread), 1u);
    EXPECT_EQ(a.links.size(), 0u);
    ASSERT_EQ(a.episodes.size(), 1u);
    EXPECT_TRUE(a.episodes[0].flags & EpisodeFlag::NoNewDeferredWork);
    // The run still has its wake latency (any waking counts as its trigger).
    EXPECT_EQ(a.spans[spansOf(a, SpanKind::IrqThread)[0]].latency(), 45);
}

} // namespace
} // namespace irqlens::test
