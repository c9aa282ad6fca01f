// Where each call-tree node goes in a flame graph, for one zoom range and
// widget width.  Paint cost is bounded by pixels: a node narrower than one
// pixel is not drawn on its own and its subtree is not visited; runs of such
// siblings become one "merged" box when together they reach a pixel.  So a
// frame never holds more boxes than (width in px) x (depth).  No Qt here.
#pragma once

#include "core/stacks/call_tree.h"

#include <cstdint>
#include <vector>

namespace irqlens::gui {

struct FlameBox {
    std::uint32_t node = 0;  // CallTree node (the first of the run when merged)
    std::uint32_t depth = 0; // 0 = the root row ("all")
    double left = 0;         // px
    double width = 0;        // px
    bool merged = false;     // several nodes narrower than a pixel
};

struct FlameRange {
    double begin = 0; // fraction of the root's total shown at the left edge
    double end = 1;   // ... and at the right edge
};

// The fraction range [begin, end) that node covers (siblings laid out in
// CallTree child order).
FlameRange nodeRange(const CallTree& tree, std::uint32_t node);

std::vector<FlameBox> layoutFlame(const CallTree& tree, FlameRange view, double widthPx,
                                  double minBoxPx = 1.0);

} // namespace irqlens::gui
