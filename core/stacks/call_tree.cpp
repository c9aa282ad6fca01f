#include "core/stacks/call_tree.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace irqlens {
namespace {

// Frames of a stack in path order: the pool keeps the innermost frame first
// (as the kernel prints them), so top-down walks it backwards.
template <typename Fn>
void forEachFrame(std::span<const std::uint64_t> frames, TreeDirection direction, Fn&& fn) {
    if (direction == TreeDirection::TopDown) {
        for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
            fn(*it);
        }
    } else {
        for (std::uint64_t f : frames) {
            fn(f);
        }
    }
}

// Folded frames must not contain the separators the readers split on.
std::string foldedFrame(std::string name) {
    std::replace(name.begin(), name.end(), ';', ':');
    return name;
}

} // namespace

// A hash lookup, not a scan of the children: a flat tree (many distinct
// leaves under one frame) would otherwise cost quadratic time.
std::uint32_t CallTree::child(ChildIndex& index, std::uint32_t parent, std::uint32_t label) {
    const auto id = static_cast<std::uint32_t>(nodes_.size());
    const auto [it, inserted] = index.try_emplace((std::uint64_t(parent) << 32) | label, id);
    if (!inserted) {
        return it->second;
    }
    CallTreeNode n;
    n.label = label;
    n.parent = parent;
    n.depth = nodes_[parent].depth + 1;
    nodes_.push_back(std::move(n));
    nodes_[parent].children.push_back(id);
    return id;
}

CallTree CallTree::build(const EventStore& store, FrameNames& names,
                         const std::vector<StackSample>& samples, TreeDirection direction,
                         FrameStyle style) {
    CallTree tree;
    tree.direction_ = direction;
    std::unordered_map<std::string_view, std::uint32_t> labelIds;
    std::unordered_map<std::uint64_t, std::uint32_t> addressLabels;
    auto labelOf = [&](std::uint64_t address) {
        auto it = addressLabels.find(address);
        if (it != addressLabels.end()) {
            return it->second;
        }
        const std::string& text = names.name(address, style); // cached: stable reference
        auto [lit, inserted] =
            labelIds.try_emplace(text, static_cast<std::uint32_t>(tree.labels_.size()));
        if (inserted) {
            tree.labels_.push_back(text);
        }
        addressLabels.emplace(address, lit->second);
        return lit->second;
    };
    ChildIndex children;
    for (const StackSample& s : samples) {
        std::uint32_t at = kRoot;
        tree.nodes_[kRoot].total += s.count;
        forEachFrame(store.stacks.get(s.stack), direction, [&](std::uint64_t f) {
            at = tree.child(children, at, labelOf(f));
            tree.nodes_[at].total += s.count;
        });
        tree.nodes_[at].self += s.count;
    }
    tree.sortChildren();
    return tree;
}

void CallTree::sortChildren() {
    for (auto& n : nodes_) {
        std::sort(n.children.begin(), n.children.end(), [&](std::uint32_t a, std::uint32_t b) {
            if (nodes_[a].total != nodes_[b].total) {
                return nodes_[a].total > nodes_[b].total;
            }
            return labels_[nodes_[a].label] < labels_[nodes_[b].label];
        });
    }
}

double CallTree::percent(std::uint32_t node) const {
    return total() == 0
               ? 0.0
               : 100.0 * static_cast<double>(nodes_[node].total) / static_cast<double>(total());
}

std::vector<std::uint32_t> CallTree::find(std::string_view text) const {
    std::vector<std::uint32_t> out;
    if (text.empty()) {
        return out;
    }
    for (std::uint32_t i = 1; i < nodes_.size(); ++i) {
        if (label(i).find(text) != std::string::npos) {
            out.push_back(i);
        }
    }
    return out;
}

std::vector<std::uint32_t> CallTree::pathTo(std::uint32_t node) const {
    std::vector<std::uint32_t> path;
    for (std::uint32_t at = node; at != kRoot; at = nodes_[at].parent) {
        path.push_back(at);
    }
    std::reverse(path.begin(), path.end());
    return path;
}

std::vector<FoldedStack> foldedStacks(const EventStore& store, FrameNames& names,
                                      const std::vector<StackSample>& samples, FrameStyle style) {
    std::map<std::string, std::uint64_t> merged;
    for (const StackSample& s : samples) {
        std::string line;
        forEachFrame(store.stacks.get(s.stack), TreeDirection::TopDown, [&](std::uint64_t f) {
            if (!line.empty()) {
                line += ';';
            }
            line += foldedFrame(names.name(f, style));
        });
        merged[line] += s.count;
    }
    std::vector<FoldedStack> out;
    out.reserve(merged.size());
    for (auto& [frames, count] : merged) {
        out.push_back({frames, count});
    }
    return out;
}

void writeFolded(std::ostream& out, const std::vector<FoldedStack>& folded) {
    for (const FoldedStack& f : folded) {
        out << f.frames << ' ' << f.count << '\n';
    }
}

} // namespace irqlens
