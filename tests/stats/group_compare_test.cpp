// Pairing groups across captures and parsing group ids.
#include "core/stats/group_compare.h"

#include <gtest/gtest.h>

namespace irqlens {
namespace {

LatencyGroup group(const std::string& mechanism, std::string key, const std::string& metric,
                   std::vector<std::int64_t> values = {1, 2, 3}) {
    LatencyGroup g;
    g.mechanism = mechanismById(mechanism).value();
    g.key = std::move(key);
    g.metric = metricById(metric).value();
    g.values = std::move(values);
    g.ids.resize(g.values.size());
    return g;
}

TEST(GroupId, ParsesKeysWithSlashes) {
    const auto parts = parseGroupId("irq_thread/irq/36-virtio1/wake_to_run");
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->mechanism, Mechanism::IrqThread);
    EXPECT_EQ(parts->key, "irq/36-virtio1");
    EXPECT_EQ(parts->metric, Metric::WakeToRun);
    EXPECT_FALSE(parseGroupId("nonsense/x/duration"));
    EXPECT_FALSE(parseGroupId("softirq/TIMER/speed"));
    EXPECT_FALSE(parseGroupId("softirq"));
}

TEST(IrqNumber, OfHardIrqAndIrqThreadKeys) {
    EXPECT_EQ(irqNumberOfKey("36 virtio1-req.0"), 36);
    EXPECT_EQ(irqNumberOfKey("60"), 60);
    EXPECT_EQ(irqNumberOfKey("irq/183-gpio_wq"), 183);
    EXPECT_FALSE(irqNumberOfKey("local_timer"));
    EXPECT_FALSE(irqNumberOfKey("36x"));
    EXPECT_FALSE(irqNumberOfKey("irq/36"));
    EXPECT_FALSE(irqNumberOfKey("irq/x-y"));
    EXPECT_FALSE(irqNumberOfKey("TIMER"));
}

// The hard IRQs, irq threads and episodes of one IRQ line pair by its number.
TEST(DefaultPairs, SameIdThenTheSameIrqNumber) {
    const std::vector<LatencyGroup> a = {group("hardirq", "60 gpio_wq", "duration"),
                                         group("softirq", "TIMER", "duration"),
                                         group("workqueue", "gpio_work", "queue_to_start"),
                                         group("episode", "60 gpio_wq", "end_to_end")};
    const std::vector<LatencyGroup> b = {group("hardirq", "60 gpio_thread", "duration"),
                                         group("softirq", "TIMER", "duration"),
                                         group("irq_thread", "irq/60-gpio", "wake_to_run"),
                                         group("episode", "60 gpio_thread", "end_to_end")};
    const auto pairs = defaultPairs(a, b);
    ASSERT_EQ(pairs.size(), 3u); // in A's order
    EXPECT_EQ(pairs[0].a, 0u);   // hard IRQ 60 under two names
    EXPECT_EQ(pairs[0].b, 0u);
    EXPECT_EQ(pairs[1].a, 1u); // softirq TIMER on both sides
    EXPECT_EQ(pairs[1].b, 1u);
    EXPECT_EQ(pairs[2].a, 3u); // episodes of IRQ 60
    EXPECT_EQ(pairs[2].b, 3u);
    // Shown first: the episodes of the device IRQ.
    const auto first = defaultPair(a, b);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->a, 3u);
    EXPECT_EQ(first->b, 3u);
    // A user's pick of A's work item follows to nothing in B (no such
    // group, no IRQ number); of A's hard IRQ to B's hard IRQ 60.
    EXPECT_FALSE(matchingGroup(a[2], b));
    EXPECT_EQ(matchingGroup(a[0], b), 0u);
}

// Of several episode pairs the device IRQ's wins over CPU vectors with more
// values; then the larger one.
TEST(DefaultPair, DeviceIrqEpisodesFirstThenTheLargest) {
    const std::vector<LatencyGroup> a = {
        group("episode", "26 gpio", "end_to_end", {1, 2}),
        group("episode", "36 disk", "end_to_end", {1, 2, 3}),
        group("episode", "local_timer", "end_to_end", {1, 2, 3, 4, 5})};
    const auto p = defaultPair(a, a);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->a, 1u);
    EXPECT_EQ(p->b, 1u);
    // Nothing in common: A's largest episode group against B's of the same kind.
    const std::vector<LatencyGroup> b = {group("softirq", "TIMER", "duration"),
                                         group("episode", "local_timer", "end_to_end", {1}),
                                         group("episode", "reschedule", "end_to_end", {1, 2})};
    const std::vector<LatencyGroup> c = {group("episode", "call_function", "end_to_end")};
    const auto q = defaultPair(b, c);
    ASSERT_TRUE(q);
    EXPECT_EQ(q->a, 2u);
    EXPECT_EQ(q->b, 0u);
    EXPECT_FALSE(defaultPair(b, {}));
}

TEST(DefaultPairWithin, WorkItemAgainstIrqThreadElseTwoEpisodes) {
    const std::vector<LatencyGroup> both = {group("workqueue", "small", "queue_to_start", {1}),
                                            group("workqueue", "big", "queue_to_start", {1, 2, 3}),
                                            group("irq_thread", "irq/26-x", "wake_to_run", {1, 2}),
                                            group("episode", "26 x", "end_to_end")};
    const auto p = defaultPairWithin(both);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->a, 1u);
    EXPECT_EQ(p->b, 2u);
    const std::vector<LatencyGroup> episodes = {group("softirq", "TIMER", "duration"),
                                                group("episode", "a", "end_to_end", {1}),
                                                group("episode", "b", "end_to_end", {1, 2, 3}),
                                                group("episode", "c", "end_to_end", {1, 2})};
    const auto q = defaultPairWithin(episodes);
    ASSERT_TRUE(q);
    EXPECT_EQ(q->a, 2u);
    EXPECT_EQ(q->b, 3u);
    EXPECT_FALSE(defaultPairWithin({group("softirq", "TIMER", "duration")}));
}

TEST(DefaultPairs, AmbiguousIrqNumberIsNotGuessed) {
    const std::vector<LatencyGroup> a = {group("episode", "60 one", "end_to_end"),
                                         group("episode", "60 two", "end_to_end")};
    const std::vector<LatencyGroup> b = {group("episode", "60 three", "end_to_end")};
    EXPECT_TRUE(defaultPairs(a, b).empty());
}

TEST(UserPairs, ByGroupIdsAndByKeys) {
    const std::vector<LatencyGroup> a = {group("workqueue", "gpio_work", "queue_to_start"),
                                         group("workqueue", "gpio_work", "duration")};
    const std::vector<LatencyGroup> b = {group("irq_thread", "irq/60-gpio", "wake_to_run"),
                                         group("workqueue", "other_work", "duration")};
    std::string error;
    auto ids = userPairs(
        a, b, "workqueue/gpio_work/queue_to_start=irq_thread/irq/60-gpio/wake_to_run", error);
    ASSERT_TRUE(ids) << error;
    ASSERT_EQ(ids->size(), 1u);
    EXPECT_EQ((*ids)[0].a, 0u);
    EXPECT_EQ((*ids)[0].b, 0u);

    auto keys = userPairs(a, b, "gpio_work=other_work", error);
    ASSERT_TRUE(keys) << error;
    ASSERT_EQ(keys->size(), 1u); // only duration exists on both sides
    EXPECT_EQ((*keys)[0].a, 1u);
    EXPECT_EQ((*keys)[0].b, 1u);

    EXPECT_FALSE(userPairs(a, b, "gpio_work", error));
    EXPECT_NE(error.find("LEFT=RIGHT"), std::string::npos);
    EXPECT_FALSE(userPairs(a, b, "workqueue/nope/duration=workqueue/other_work/duration", error));
    EXPECT_NE(error.find("workqueue/nope/duration"), std::string::npos);
}

TEST(CompareGroups, SelfComparisonHasZeroDeltas) {
    const auto g = group("softirq", "TIMER", "raise_to_entry", {5, 9, 2, 7, 7, 3, 11, 4, 6, 8});
    const GroupComparison c = compareGroups(g, g);
    EXPECT_EQ(c.a.count, 10u);
    EXPECT_EQ(c.a.p50, 6); // sorted 2 3 4 5 6 7 7 8 9 11, rank 5
    EXPECT_EQ(c.b.p99, 11);
    EXPECT_EQ(c.p50.delta, 0.0);
    EXPECT_EQ(c.p99.delta, 0.0);
    EXPECT_LE(c.p50.low, 0.0);
    EXPECT_GE(c.p50.high, 0.0);
    EXPECT_LE(c.p99.low, 0.0);
    EXPECT_GE(c.p99.high, 0.0);
}

} // namespace
} // namespace irqlens
