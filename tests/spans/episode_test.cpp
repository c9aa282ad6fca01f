// Episodes: the causality rules of SPEC "Spans and how they pair".
#include "tests/spans/test_helpers.h"
#include "tests/spans/test_store.h"

#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

constexpr std::uint64_t kWork = 0xffff888004a0c000;
constexpr std::uint64_t kWorkFn = 0xffffffff81234560;
constexpr std::uint64_t kTaskletFn = 0xffffffffa0001000;

EpisodeId idOf(const Analysis& a, const Episode* e) {
    return static_cast<EpisodeId>(e - a.episodes.data());
}

TEST(Episode, TwoIrqsRaisingOneNetRxShareItAndSaySo) {
    TestStore t;
    t.irqEntry(0, 100, 36, "virtio1").raise(0, 105, 3).irqExit(0, 110, 36);
    t.irqEntry(0, 120, 40, "virtio2").raise(0, 125, 3).irqExit(0, 130, 40);
    t.softEntry(0, 140, 3).softExit(0, 180, 3);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto soft = spansOf(a, SpanKind::Softirq);
    ASSERT_EQ(soft.size(), 1u);
    EXPECT_TRUE(has(a.spans[soft[0]], SpanFlag::SharedBottomHalf));
    EXPECT_EQ(a.spans[soft[0]].trigger, 105); // the raise that made it pending
    EXPECT_EQ(a.episodesOf(soft[0]).size(), 2u);
    ASSERT_EQ(a.episodes.size(), 2u);
    for (const Episode& e : a.episodes) {
        EXPECT_TRUE(e.flags & EpisodeFlag::SharedBottomHalf);
        EXPECT_EQ(e.end, 180);
        ASSERT_EQ(e.linkCount, 1u);
        EXPECT_EQ(a.linksOf(idOf(a, &e))[0].role, LinkRole::SoftirqRaise);
    }
    EXPECT_EQ(a.episodes[0].endToEnd(a.spans), 80);
    EXPECT_EQ(a.episodes[0].waitNs, 35); // its own raise (105) -> softirq start (140)
    EXPECT_EQ(a.episodes[1].endToEnd(a.spans), 60);
    EXPECT_EQ(a.episodes[1].waitNs, 15);
    EXPECT_EQ(a.episodes[1].runNs, 40);
}

TEST(Episode, RaiseOutsideHardIrqLinksNothing) {
    TestStore t;
    t.raise(0, 50, 1).irqEntry(0, 100, 36, "v").irqExit(0, 110, 36).softEntry(0, 140, 1);
    t.softExit(0, 150, 1);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    ASSERT_EQ(a.episodes.size(), 1u);
    EXPECT_TRUE(a.episodes[0].flags & EpisodeFlag::NoNewDeferredWork);
    EXPECT_EQ(a.episodes[0].end, 110);
}

TEST(Episode, TaskletInheritsItsSoftirqsEpisodes) {
    TestStore t;
    t.irqEntry(0, 90, 17, "gpio").raise(0, 100, 6).irqExit(0, 110, 17);
    t.softEntry(0, 150, 6).taskletEntry(0, 160, kTaskletFn).taskletExit(0, 175, kTaskletFn);
    t.softExit(0, 180, 6);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    ASSERT_EQ(a.episodes.size(), 1u);
    const Episode& e = a.episodes[0];
    ASSERT_EQ(e.linkCount, 2u);
    const auto links = a.linksOf(0);
    EXPECT_EQ(links[0].role, LinkRole::SoftirqRaise);
    EXPECT_EQ(links[1].role, LinkRole::Tasklet);
    EXPECT_EQ(links[1].triggerTs, 100);
    EXPECT_EQ(a.spans[links[1].span].kind, SpanKind::Tasklet);
    EXPECT_EQ(e.end, 180); // the softirq ends last
    EXPECT_EQ(e.endToEnd(a.spans), 90);
}

TEST(Episode, WorkQueuedInHardIrqFollowedByAddress) {
    TestStore t;
    t.irqEntry(0, 90, 36, "virtio1").queueWork(0, 100, kWork, kWorkFn).irqExit(0, 110, 36);
    t.current(1, 50).workStart(1, 200, kWork, kWorkFn).workEnd(1, 260, kWork);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    ASSERT_EQ(a.episodes.size(), 1u);
    const Episode& e = a.episodes[0];
    ASSERT_EQ(e.linkCount, 1u);
    EXPECT_EQ(a.linksOf(0)[0].role, LinkRole::WorkQueued);
    EXPECT_EQ(e.endToEnd(a.spans), 170);
    EXPECT_EQ(e.topHalfNs, 20);
    EXPECT_EQ(e.waitNs, 100);
    EXPECT_EQ(e.runNs, 60);
    EXPECT_EQ(e.flags & EpisodeFlag::NoNewDeferredWork, 0);
    const auto wq = spansOf(a, SpanKind::Workqueue);
    ASSERT_EQ(a.episodesOf(wq[0]).size(), 1u);
}

TEST(Episode, QueueWorkOnAlreadyPendingItemGivesNoNewDeferredWork) {
    TestStore t;
    t.irqEntry(0, 100, 36, "v").queueWork(0, 105, kWork, kWorkFn).irqExit(0, 110, 36);
    t.irqEntry(0, 150, 36, "v").irqExit(0, 160, 36); // queue_work on a pending item: no event
    t.current(1, 50).workStart(1, 200, kWork, kWorkFn).workEnd(1, 260, kWork);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    ASSERT_EQ(a.episodes.size(), 2u);
    EXPECT_EQ(a.episodes[0].linkCount, 1u);
    EXPECT_EQ(a.episodes[0].flags & EpisodeFlag::NoNewDeferredWork, 0);
    EXPECT_EQ(a.episodes[1].linkCount, 0u);
    EXPECT_TRUE(a.episodes[1].flags & EpisodeFlag::NoNewDeferredWork);
    EXPECT_EQ(a.episodes[1].end, 160);
}

TEST(Episode, WorkQueuedInSharedSoftirqServesBothIrqs) {
    TestStore t;
    t.irqEntry(0, 100, 36, "a").raise(0, 101, 3).irqExit(0, 102, 36);
    t.irqEntry(0, 110, 40, "b").raise(0, 111, 3).irqExit(0, 112, 40);
    t.softEntry(0, 120, 3).queueWork(0, 125, kWork, kWorkFn).softExit(0, 130, 3);
    t.current(0, 50).workStart(0, 200, kWork, kWorkFn).workEnd(0, 300, kWork);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    const auto wq = spansOf(a, SpanKind::Workqueue);
    ASSERT_EQ(wq.size(), 1u);
    EXPECT_EQ(a.episodesOf(wq[0]).size(), 2u);
    EXPECT_TRUE(has(a.spans[wq[0]], SpanFlag::SharedBottomHalf));
    const QueueContext* q = a.queueContextOf(wq[0]);
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(a.spans[q->context].kind, SpanKind::Softirq);
    for (const Episode& e : a.episodes) {
        EXPECT_EQ(e.end, 300);
        EXPECT_EQ(e.waitNs, 75); // queue (125) -> start (200)
    }
}

TEST(Episode, DropBetweenIrqAndItsBottomHalfIsFlagged) {
    TestStore t;
    t.irqEntry(0, 100, 36, "v").raise(0, 105, 3).irqExit(0, 110, 36);
    t.drop(1, 115).other(1, 115);
    t.softEntry(0, 120, 3).softExit(0, 130, 3);
    auto store = t.finish();
    const Analysis a = analyze(*store);
    ASSERT_EQ(a.episodes.size(), 1u);
    EXPECT_TRUE(a.episodes[0].flags & EpisodeFlag::CrossesDrop);
}

} // namespace
} // namespace irqlens::test
