// Pairing groups across captures and parsing group ids.
#include "core/stats/group_compare.h"

#include <gtest/gtest.h>

namespace irqlens {
namespace {

LatencyGroup group(std::string mechanism, std::string key, std::string metric,
                   std::vector<std::int64_t> values = {1, 2, 3}) {
    LatencyGroup g;
    g.mechanism = std::move(mechanism);
    g.key = std::move(key);
    g.metric = std::move(metric);
    g.values = std::move(values);
    g.ids.resize(g.values.size());
    return g;
}

TEST(GroupId, ParsesKeysWithSlashes) {
    const auto parts = parseGroupId("irq_thread/irq/36-virtio1/wake_to_run");
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->mechanism, "irq_thread");
    EXPECT_EQ(parts->key, "irq/36-virtio1");
    EXPECT_EQ(parts->metric, "wake_to_run");
    EXPECT_FALSE(parseGroupId("nonsense/x/duration"));
    EXPECT_FALSE(parseGroupId("softirq/TIMER/speed"));
    EXPECT_FALSE(parseGroupId("softirq"));
}

TEST(IrqNumber, LeadingNumberOfTheKey) {
    EXPECT_EQ(irqNumberOfKey("36 virtio1-req.0"), 36);
    EXPECT_EQ(irqNumberOfKey("60"), 60);
    EXPECT_FALSE(irqNumberOfKey("local_timer"));
    EXPECT_FALSE(irqNumberOfKey("36x"));
}

TEST(DefaultPairs, SameIdThenEpisodesOfTheSameIrq) {
    const std::vector<LatencyGroup> a = {group("hardirq", "60 gpio_wq", "duration"),
                                         group("softirq", "TIMER", "duration"),
                                         group("workqueue", "gpio_work", "queue_to_start"),
                                         group("episode", "60 gpio_wq", "end_to_end")};
    const std::vector<LatencyGroup> b = {group("hardirq", "60 gpio_thread", "duration"),
                                         group("softirq", "TIMER", "duration"),
                                         group("irq_thread", "irq/60-gpio", "wake_to_run"),
                                         group("episode", "60 gpio_thread", "end_to_end")};
    const auto pairs = defaultPairs(a, b);
    ASSERT_EQ(pairs.size(), 2u);
    EXPECT_EQ(pairs[0].a, 1u); // softirq TIMER on both sides
    EXPECT_EQ(pairs[0].b, 1u);
    EXPECT_EQ(pairs[1].a, 3u); // episodes of IRQ 60
    EXPECT_EQ(pairs[1].b, 3u);
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
