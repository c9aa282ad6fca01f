// User-defined latency rules: parsing and Custom spans.
#include "tests/spans/test_helpers.h"
#include "tests/spans/test_store.h"

#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

std::vector<LatencyRule> withRule(const std::string& text) {
    RuleParse parsed = parseLatencyRule(text);
    EXPECT_TRUE(parsed.rule) << parsed.error;
    std::vector<LatencyRule> rules;
    if (parsed.rule) {
        rules.push_back(*parsed.rule);
    }
    return rules;
}

TEST(LatencyRule, ParsesEventsFiltersAndKeys) {
    RuleParse p = parseLatencyRule(
        "sched:sched_waking where comm ~ irq/ and target_cpu==1 -> sched_switch by pid=next_pid");
    ASSERT_TRUE(p.rule) << p.error;
    EXPECT_EQ(p.rule->start.system, "sched");
    EXPECT_EQ(p.rule->start.name, "sched_waking");
    ASSERT_EQ(p.rule->start.filters.size(), 2u);
    EXPECT_EQ(p.rule->start.filters[0].field, RuleField::Comm);
    EXPECT_EQ(p.rule->start.filters[0].op, RuleOp::Contains);
    EXPECT_EQ(p.rule->start.filters[0].text, "irq/");
    EXPECT_EQ(p.rule->start.filters[1].number, 1);
    EXPECT_EQ(p.rule->end.system, "");
    EXPECT_EQ(p.rule->end.name, "sched_switch");
    ASSERT_EQ(p.rule->keys.size(), 1u);
    EXPECT_EQ(p.rule->keys[0].start, RuleField::Pid);
    EXPECT_EQ(p.rule->keys[0].end, RuleField::NextPid);
}

TEST(LatencyRule, RejectsBadTextWithAClearMessage) {
    EXPECT_EQ(parseLatencyRule("irq_handler_entry").error,
              "latency rule 'irq_handler_entry' has no '->' between start and end");
    EXPECT_EQ(parseLatencyRule("a where colour == 3 -> b").error,
              "latency rule 'a where colour == 3 -> b': unknown field 'colour' in filter "
              "'colour == 3'");
    EXPECT_EQ(parseLatencyRule("a -> b by pid=nope").error,
              "latency rule 'a -> b by pid=nope': bad key pair 'pid=nope' (expected field=field)");
    EXPECT_FALSE(parseLatencyRule("a where irq 3 -> b").rule);
}

TEST(LatencyRule, WakeToRunByPid) {
    TestStore t;
    t.comm(77, "irq/36-virtio1").comm(88, "other");
    t.waking(0, 100, 77, 1).waking(0, 105, 88, 1).waking(0, 110, 77, 1); // 2nd 77: still pending
    t.current(1, 0).switchTo(1, 150, 88).switchTo(1, 200, 77).switchTo(1, 300, 0);
    auto store = t.finish();
    const Analysis a = analyze(
        *store, {}, withRule("sched_waking where comm ~ irq/ -> sched_switch by pid=next_pid"));
    const auto ids = spansOf(a, SpanKind::Custom);
    ASSERT_EQ(ids.size(), 1u);
    const Span& s = a.spans[ids[0]];
    EXPECT_EQ(s.start, 100);
    EXPECT_EQ(s.end, 200);
    EXPECT_EQ(s.key, 0u);
    ASSERT_EQ(a.ruleNames.size(), 1u);
    EXPECT_EQ(a.ruleNames[0], "sched_waking where comm ~ irq/ -> sched_switch by pid=next_pid");
}

TEST(LatencyRule, IrqToWorkEndByIrqFilterAndWorkKey) {
    TestStore t;
    t.irqEntry(0, 100, 36, "virtio1").queueWork(0, 105, 0x1000, 0xf00).irqExit(0, 110, 36);
    t.irqEntry(0, 120, 40, "eth").irqExit(0, 125, 40);
    t.queueWork(0, 130, 0x2000, 0xf00);
    t.workStart(1, 200, 0x2000, 0xf00).workEnd(1, 210, 0x2000);
    t.workStart(1, 220, 0x1000, 0xf00).workEnd(1, 260, 0x1000);
    auto store = t.finish();
    std::vector<LatencyRule> rules =
        withRule("irq_handler_entry where irq == 36 -> workqueue_execute_end");
    RuleParse second =
        parseLatencyRule("workqueue_queue_work -> workqueue_execute_end by work=work");
    ASSERT_TRUE(second.rule);
    rules.push_back(*second.rule);
    const Analysis a = analyze(*store, {}, rules);
    std::vector<const Span*> byRule[2];
    for (SpanId id : spansOf(a, SpanKind::Custom)) {
        byRule[a.spans[id].key].push_back(&a.spans[id]);
    }
    ASSERT_EQ(byRule[0].size(), 1u);
    EXPECT_EQ(byRule[0][0]->start, 100);
    EXPECT_EQ(byRule[0][0]->end, 210); // the first execute_end after it, whatever the work
    ASSERT_EQ(byRule[1].size(), 2u);
    EXPECT_EQ(byRule[1][0]->start, 105);
    EXPECT_EQ(byRule[1][0]->end, 260); // matched on the work address
    EXPECT_EQ(byRule[1][1]->start, 130);
    EXPECT_EQ(byRule[1][1]->end, 210);
}

TEST(LatencyRule, UnmatchedStartIsOpenEnd) {
    TestStore t;
    t.irqEntry(0, 100, 36, "v").irqExit(0, 110, 36).other(0, 500);
    auto store = t.finish();
    const Analysis a = analyze(*store, {}, withRule("irq_handler_entry -> workqueue_execute_end"));
    const auto ids = spansOf(a, SpanKind::Custom);
    ASSERT_EQ(ids.size(), 1u);
    EXPECT_TRUE(has(a.spans[ids[0]], SpanFlag::OpenEnd));
    EXPECT_EQ(a.spans[ids[0]].end, 500);
}

} // namespace
} // namespace irqlens::test
