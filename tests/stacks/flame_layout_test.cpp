// Flame graph layout: box widths are each node's share of the pixels, and a
// tree far wider than the widget yields at most one box per pixel per row.
#include "app/gui/stacks/flame_layout.h"

#include <gtest/gtest.h>

namespace irqlens {
namespace {

// A store-free tree: stacks built in a store with raw addresses (no source).
struct Built {
    EventStore store;
    CallTree tree;
};

std::unique_ptr<Built> wideTree(int leaves) {
    auto b = std::make_unique<Built>();
    b->store.setCpuCount(1);
    std::vector<StackSample> samples;
    // Half of the stacks go through one big frame 0x2, the other half spread
    // over `leaves` distinct leaves under 0x3 (each far below a pixel).
    samples.push_back({b->store.stacks.intern(std::vector<std::uint64_t>{0x2, 0x1}),
                       static_cast<std::uint64_t>(leaves)});
    for (int i = 0; i < leaves; ++i) {
        const std::uint64_t leaf = 0x1000 + static_cast<std::uint64_t>(i);
        samples.push_back({b->store.stacks.intern(std::vector<std::uint64_t>{leaf, 0x3, 0x1}), 1});
    }
    FrameNames names(b->store);
    b->tree = CallTree::build(b->store, names, samples, TreeDirection::TopDown);
    return b;
}

TEST(FlameLayout, WidthsFollowShares) {
    const auto b = wideTree(100000);
    const auto boxes = gui::layoutFlame(b->tree, {}, 1000.0);
    // root + 0x1 + 0x2 + 0x3 full boxes, then merged runs of sub-pixel leaves.
    std::size_t full = 0;
    std::size_t merged = 0;
    double mergedWidth = 0;
    for (const auto& box : boxes) {
        if (box.merged) {
            ++merged;
            mergedWidth += box.width;
            EXPECT_EQ(box.depth, 3u);
        } else {
            ++full;
            const double want = 1000.0 * b->tree.percent(box.node) / 100.0;
            EXPECT_NEAR(box.width, want, 1e-6) << b->tree.label(box.node);
        }
    }
    EXPECT_EQ(full, 4u);
    EXPECT_EQ(merged, 1u);
    EXPECT_NEAR(mergedWidth, 500.0, 1e-6); // the 100000 leaves share half the width
    EXPECT_LE(boxes.size(), 1000u * 4u);
}

TEST(FlameLayout, ZoomShowsLeavesWithinPixelBudget) {
    const auto b = wideTree(100000);
    // Zoom to the node 0x3: 100000 leaves over 800 px.
    std::uint32_t n3 = 0;
    for (std::uint32_t i = 0; i < b->tree.nodes().size(); ++i) {
        if (b->tree.label(i) == "0x3") {
            n3 = i;
        }
    }
    ASSERT_NE(n3, 0u);
    const auto range = gui::nodeRange(b->tree, n3);
    EXPECT_NEAR(range.end - range.begin, 0.5, 1e-12);
    const auto boxes = gui::layoutFlame(b->tree, range, 800.0);
    EXPECT_LE(boxes.size(), 800u * 4u);
    // Zoomed so far that each leaf is 10 px: every leaf in range has its own box.
    const double tenPx = (range.end - range.begin) / 100000.0 * 80.0;
    const auto close = gui::layoutFlame(b->tree, {range.begin, range.begin + tenPx}, 800.0);
    std::size_t leaves = 0;
    for (const auto& box : close) {
        if (box.depth == 3 && box.width > 1.0) { // edge slivers from rounding aside
            EXPECT_FALSE(box.merged);
            EXPECT_NEAR(box.width, 10.0, 1e-3);
            ++leaves;
        }
    }
    EXPECT_EQ(leaves, 80u);
}

} // namespace
} // namespace irqlens
