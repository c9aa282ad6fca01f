// Aggregated stacks: a call tree (top-down from the outermost frame, or
// bottom-up from the innermost) with counts and percentages, and folded
// stacks ("outer;...;inner count", outermost first) as flamegraph.pl and
// speedscope read them.
#pragma once

#include "core/stacks/frame_names.h"
#include "core/stacks/stack_selection.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace irqlens {

enum class TreeDirection : std::uint8_t {
    TopDown,  // root's children are outermost frames (ret_from_fork, entry code)
    BottomUp, // root's children are innermost frames (where the event fired)
};

struct CallTreeNode {
    std::uint32_t label = 0;             // into CallTree::labels()
    std::uint32_t parent = 0;            // root is its own parent
    std::uint32_t depth = 0;             // root = 0
    std::uint64_t total = 0;             // stacks through this node
    std::uint64_t self = 0;              // stacks ending here
    std::vector<std::uint32_t> children; // by total, largest first (ties by label)
};

class CallTree {
public:
    static constexpr std::uint32_t kRoot = 0;

    CallTree() : labels_{"all"}, nodes_(1) {}
    static CallTree build(const EventStore& store, FrameNames& names,
                          const std::vector<StackSample>& samples, TreeDirection direction,
                          FrameStyle style = FrameStyle::Function);

    const std::vector<CallTreeNode>& nodes() const { return nodes_; }
    const CallTreeNode& node(std::uint32_t id) const { return nodes_[id]; }
    const std::string& label(std::uint32_t node) const { return labels_[nodes_[node].label]; }
    std::uint64_t total() const { return nodes_[kRoot].total; }
    double percent(std::uint32_t node) const; // total of node / total of root, 0..100
    TreeDirection direction() const { return direction_; }
    // Nodes whose label contains `text`, in node order.
    std::vector<std::uint32_t> find(std::string_view text) const;
    // Frames from the root's child down to `node` (outermost first for TopDown).
    std::vector<std::uint32_t> pathTo(std::uint32_t node) const;

private:
    using ChildIndex = std::unordered_map<std::uint64_t, std::uint32_t>; // (parent, label) -> node
    std::uint32_t child(ChildIndex& index, std::uint32_t parent, std::uint32_t label);
    void sortChildren();

    std::vector<std::string> labels_;
    std::vector<CallTreeNode> nodes_;
    TreeDirection direction_ = TreeDirection::TopDown;
};

struct FoldedStack {
    std::string frames; // "ret_from_fork_asm;ret_from_fork;kthread;..." outermost first
    std::uint64_t count = 0;
};

// One line per distinct frame sequence (samples whose names coincide are
// merged), sorted by frames.
std::vector<FoldedStack> foldedStacks(const EventStore& store, FrameNames& names,
                                      const std::vector<StackSample>& samples,
                                      FrameStyle style = FrameStyle::Function);
void writeFolded(std::ostream& out, const std::vector<FoldedStack>& folded);

} // namespace irqlens
