#include "app/gui/stacks/flame_layout.h"

#include <algorithm>

namespace irqlens::gui {
namespace {

struct Walk {
    const CallTree& tree;
    FlameRange view;
    double widthPx;
    double minBoxPx;
    double total;
    std::vector<FlameBox>& out;

    double toPx(double fraction) const {
        return (fraction - view.begin) / (view.end - view.begin) * widthPx;
    }

    // Lays out `node` covering [from, from + its share) and its children.
    void visit(std::uint32_t node, double from) {
        const CallTreeNode& n = tree.node(node);
        const double share = static_cast<double>(n.total) / total;
        const double left = toPx(from);
        const double right = toPx(from + share);
        if (right <= 0 || left >= widthPx) {
            return; // outside the zoom range
        }
        const double clippedLeft = std::max(left, 0.0);
        out.push_back({node, n.depth, clippedLeft, std::min(right, widthPx) - clippedLeft, false});
        double at = from;
        FlameBox pending{0, n.depth + 1, 0, 0, true};
        bool havePending = false;
        for (std::uint32_t c : n.children) {
            const double childShare = static_cast<double>(tree.node(c).total) / total;
            const double childPx = childShare / (view.end - view.begin) * widthPx;
            if (childPx >= minBoxPx) {
                flush(pending, havePending);
                visit(c, at);
            } else if (toPx(at + childShare) > 0 && toPx(at) < widthPx) {
                if (!havePending) {
                    pending = {c, n.depth + 1, std::max(toPx(at), 0.0), 0, true};
                    havePending = true;
                }
                pending.width = std::min(toPx(at + childShare), widthPx) - pending.left;
            }
            at += childShare;
        }
        flush(pending, havePending);
    }

    void flush(FlameBox& pending, bool& havePending) {
        if (havePending && pending.width >= minBoxPx) {
            out.push_back(pending);
        }
        havePending = false;
    }
};

} // namespace

FlameRange nodeRange(const CallTree& tree, std::uint32_t node) {
    const double total = static_cast<double>(std::max<std::uint64_t>(tree.total(), 1));
    double begin = 0;
    for (std::uint32_t at = node; at != CallTree::kRoot; at = tree.node(at).parent) {
        for (std::uint32_t sibling : tree.node(tree.node(at).parent).children) {
            if (sibling == at) {
                break;
            }
            begin += static_cast<double>(tree.node(sibling).total) / total;
        }
    }
    return {begin, begin + static_cast<double>(tree.node(node).total) / total};
}

std::vector<FlameBox> layoutFlame(const CallTree& tree, FlameRange view, double widthPx,
                                  double minBoxPx) {
    std::vector<FlameBox> out;
    if (tree.total() == 0 || widthPx <= 0 || view.end <= view.begin) {
        return out;
    }
    Walk walk{tree, view, widthPx, minBoxPx, static_cast<double>(tree.total()), out};
    walk.visit(CallTree::kRoot, 0.0);
    return out;
}

} // namespace irqlens::gui
