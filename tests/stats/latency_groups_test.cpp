// buildLatencyGroups on a hand-made analysis: which spans feed which group,
// which are left out (cut by the capture's edges, latency unknown, episodes
// without an end), and the documented order.
#include "core/stats/latency_groups.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>

namespace irqlens {
namespace {

Span makeSpan(SpanKind kind, std::uint32_t key, std::int64_t start, std::int64_t end,
              std::int64_t trigger = -1, std::uint16_t flags = 0) {
    Span s;
    s.kind = kind;
    s.key = key;
    s.start = start;
    s.end = end;
    s.trigger = trigger;
    s.flags = flags;
    return s;
}

class LatencyGroupsTest : public ::testing::Test {
protected:
    void SetUp() override {
        store.setCpuCount(1);
        const auto irq = store.irqActions.intern({36, store.strings.intern("virtio1-req.0")});
        const auto work = store.addresses.intern(0xffffffff81234560ull);
        auto& s = analysis.spans;
        s.push_back(makeSpan(SpanKind::HardIrq, irq, 100, 150));                       // 0
        s.push_back(makeSpan(SpanKind::HardIrq, irq, 300, 380));                       // 1
        s.push_back(makeSpan(SpanKind::HardIrq, irq, 0, 20, -1, SpanFlag::OpenStart)); // 2
        s.push_back(makeSpan(SpanKind::Softirq, 1, 160, 200, 120));                    // 3
        s.push_back(makeSpan(SpanKind::Softirq, 1, 400, 450, -1, SpanFlag::LatencyUnknown));
        s.push_back(makeSpan(SpanKind::Softirq, 3, 500, 1000, 480, SpanFlag::OpenEnd)); // 5
        s.push_back(makeSpan(SpanKind::Workqueue, work, 600, 700, 550));                // 6
        s.push_back(makeSpan(SpanKind::IrqThread, 77, 800, 850, 790));                  // 7
        s.push_back(makeSpan(SpanKind::Task, 77, 800, 850));                            // 8
        Episode complete;
        complete.hardIrq = 0;
        complete.end = 700;
        Episode incomplete;
        incomplete.hardIrq = 1;
        incomplete.end = 1000;
        incomplete.flags = EpisodeFlag::Incomplete;
        analysis.episodes = {complete, incomplete};
        groups = buildLatencyGroups(store, analysis);
        for (const auto& g : groups) {
            byId[groupId(g)] = &g;
        }
    }
    std::string id(const char* mechanism, std::size_t span, const char* metric) const {
        return std::string(mechanism) + "/" + spanKeyName(store, analysis.spans[span]) + "/" +
               metric;
    }
    const LatencyGroup& group(const std::string& groupName) const {
        auto it = byId.find(groupName);
        if (it == byId.end()) {
            ADD_FAILURE() << "no group " << groupName;
            static const LatencyGroup none;
            return none;
        }
        return *it->second;
    }

    EventStore store;
    Analysis analysis;
    std::vector<LatencyGroup> groups;
    std::map<std::string, const LatencyGroup*> byId;
};

using Values = std::vector<std::int64_t>;
using Ids = std::vector<std::uint32_t>;

TEST_F(LatencyGroupsTest, EveryMetricGetsItsSpans) {
    EXPECT_EQ(groups.size(), 9u);
    EXPECT_EQ(group(id("hardirq", 0, "duration")).values, (Values{50, 80})); // open span 2 left out
    EXPECT_EQ(group(id("hardirq", 0, "duration")).ids, (Ids{0, 1}));
    EXPECT_EQ(group(id("softirq", 3, "duration")).values, (Values{40, 50}));
    EXPECT_EQ(group(id("softirq", 3, "raise_to_entry")).values, (Values{40})); // unknown left out
    EXPECT_EQ(group(id("softirq", 3, "raise_to_entry")).ids, (Ids{3}));
    EXPECT_EQ(group(id("softirq", 5, "raise_to_entry")).values,
              (Values{20})); // open end: latency only
    EXPECT_EQ(byId.count(id("softirq", 5, "duration")), 0u);
    EXPECT_EQ(group(id("workqueue", 6, "queue_to_start")).values, (Values{50}));
    EXPECT_EQ(group(id("workqueue", 6, "duration")).values, (Values{100}));
    EXPECT_EQ(group(id("irq_thread", 7, "wake_to_run")).values, (Values{10}));
    EXPECT_EQ(group(id("irq_thread", 7, "duration")).values, (Values{50}));
    EXPECT_EQ(group(id("episode", 0, "end_to_end")).values, (Values{600})); // incomplete left out
    EXPECT_EQ(group(id("episode", 0, "end_to_end")).ids, (Ids{0}));
}

TEST_F(LatencyGroupsTest, SortedByMechanismThenKeyThenMetric) {
    const std::vector<std::string> order = {"hardirq",   "softirq",    "tasklet",
                                            "workqueue", "irq_thread", "episode"};
    auto rank = [&](const LatencyGroup& g) {
        return std::find(order.begin(), order.end(), mechanismId(g.mechanism)) - order.begin();
    };
    for (std::size_t i = 1; i < groups.size(); ++i) {
        const auto& a = groups[i - 1];
        const auto& b = groups[i];
        EXPECT_TRUE(std::tuple(rank(a), a.key, a.metric) < std::tuple(rank(b), b.key, b.metric))
            << groupId(a) << " before " << groupId(b);
    }
    EXPECT_EQ(groups.front().mechanism, Mechanism::HardIrq);
    EXPECT_EQ(groups.back().mechanism, Mechanism::Episode);
}

TEST_F(LatencyGroupsTest, GroupIdJoinsTheParts) {
    const LatencyGroup& g = groups.front();
    EXPECT_EQ(groupId(g), std::string(mechanismId(g.mechanism)) + "/" + g.key + "/" +
                              std::string(metricId(g.metric)));
    EXPECT_EQ(groupId(g), "hardirq/" + g.key + "/duration");
}

} // namespace
} // namespace irqlens
