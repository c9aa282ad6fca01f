// The attachment rule on a hand-built store: the event before on the same
// CPU, never the nearest timestamp on another CPU; user_stack after
// kernel_stack belongs to the same event; nothing attaches across a drop or
// before a CPU's first event.
#include "core/stacks/call_tree.h"
#include "core/stacks/stack_index.h"

#include <gtest/gtest.h>

namespace irqlens {
namespace {

class Builder {
public:
    Builder() { store.setCpuCount(2); }
    void add(int cpu, std::int64_t ts, const char* system, const char* name,
             std::uint32_t arg = 0) {
        const std::string key = std::string(system) + ":" + name;
        auto type = store.findType(system, name);
        if (!type) {
            type = store.addType({system, name, classifyEvent(system, name), -1});
        }
        EventFields f;
        f.ts = ts;
        f.type = *type;
        f.arg = arg;
        store.cpuEventsMutable(cpu).append(f, 0);
    }
    StackId stack(std::vector<std::uint64_t> frames) { return store.stacks.intern(frames); }
    EventStore store;
};

TEST(StackAttachRule, SameCpuEventBeforeNotNearestTime) {
    Builder b;
    const StackId s1 = b.stack({0x30, 0x20, 0x10});
    const StackId s2 = b.stack({0x7000, 0x7100});
    const StackId s3 = b.stack({0x31, 0x20, 0x10});
    b.add(0, 100, "irq", "irq_handler_entry");
    b.add(0, 5000, "ftrace", "kernel_stack", s1); // 4.9 us later: still entry's
    b.add(0, 5001, "ftrace", "user_stack", s2);
    b.add(0, 6000, "irq", "softirq_raise");     // no stack
    b.add(1, 50, "ftrace", "kernel_stack", s3); // first on CPU 1: no owner
    b.add(1, 4990, "irq", "softirq_entry");     // nearest in time to CPU 0's stack
    b.add(1, 7000, "ftrace", "kernel_stack", s3);
    b.add(1, 7500, "irq", "softirq_exit");
    b.add(1, 8000, "ftrace", "kernel_stack", s1); // after a drop: its event was lost
    b.store.addMissed({1, 8000, 5, 4});
    b.store.finish();

    const StackIndex index(b.store);
    EXPECT_EQ(index.attachedCount(), 3u);
    EXPECT_EQ(index.orphanCount(), 2u);
    EXPECT_EQ(index.kernelStackOf({0, 0}), s1);
    EXPECT_EQ(index.userStackOf({0, 0}), s2);
    EXPECT_EQ(index.kernelStackOf({0, 3}), std::nullopt);
    EXPECT_EQ(index.kernelStackOf({1, 1}), s3);
    EXPECT_EQ(index.kernelStackOf({1, 3}), std::nullopt);
    EXPECT_EQ(index.ownerOf({0, 1}), (EventRef{0, 0}));
    EXPECT_EQ(index.ownerOf({0, 2}), (EventRef{0, 0}));
    EXPECT_EQ(index.ownerOf({1, 2}), (EventRef{1, 1}));
    EXPECT_EQ(index.ownerOf({1, 0}), std::nullopt);
    EXPECT_EQ(index.ownerOf({1, 4}), std::nullopt);
    EXPECT_EQ(index.ownerOf({0, 0}), std::nullopt); // not a stack event

    // Aggregation: s1 and s3 differ in their innermost frame only.
    FrameNames names(b.store);
    const auto samples = stacksOfEvents(b.store, index, std::nullopt);
    EXPECT_EQ(sampleCount(samples), 2u); // kernel stacks only by default
    const auto folded = foldedStacks(b.store, names, samples);
    ASSERT_EQ(folded.size(), 2u);
    EXPECT_EQ(folded[0].frames, "0x10;0x20;0x30"); // no source: raw addresses
    EXPECT_EQ(folded[1].frames, "0x10;0x20;0x31");
    const auto tree = CallTree::build(b.store, names, samples, TreeDirection::TopDown);
    ASSERT_EQ(tree.nodes().size(), 5u); // root, 0x10, 0x20, 0x30, 0x31
    const auto n20 = tree.node(tree.node(CallTree::kRoot).children[0]).children[0];
    EXPECT_EQ(tree.label(n20), "0x20");
    EXPECT_EQ(tree.node(n20).total, 2u);
    EXPECT_EQ(tree.node(n20).self, 0u);
    EXPECT_EQ(tree.node(n20).children.size(), 2u);
    EXPECT_DOUBLE_EQ(tree.percent(tree.node(n20).children[0]), 50.0);
    const auto user = stacksOfEvents(b.store, index, std::nullopt, {.kernel = false, .user = true});
    ASSERT_EQ(user.size(), 1u);
    EXPECT_EQ(user[0].stack, s2);
}

} // namespace
} // namespace irqlens
