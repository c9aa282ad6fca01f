// Comparing latency groups: which group of capture A goes with which group of
// capture B (or two groups of one capture), and the percentile deltas with
// their bootstrap confidence intervals.  Used by `irqlens-cli compare` and the
// compare view.  Pure functions, no Qt.
#pragma once

#include "core/stats/distribution.h"
#include "core/stats/latency_groups.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace irqlens {

// A group id split back into its parts.  Keys may hold '/' ("irq/36-virtio1"),
// so the mechanism is the text before the first '/' and the metric the text
// after the last one.  nullopt when the mechanism or metric is not a known one.
struct GroupIdParts {
    std::string mechanism, key, metric;
};
std::optional<GroupIdParts> parseGroupId(std::string_view id);

// Index of the group with this id, or nullopt.
std::optional<std::size_t> findGroup(const std::vector<LatencyGroup>& groups, std::string_view id);

struct GroupPair {
    std::size_t a = 0; // index into A's groups
    std::size_t b = 0; // index into B's groups
};

// The default pairing of two captures' groups:
//  1. the same group id (mechanism/key/metric) on both sides;
//  2. then "episode end_to_end" groups still unpaired whose keys start with the
//     same IRQ number ("60 gpio-wq" and "60 gpio-thread": the same GPIO line
//     handled two ways), when that number is unique on each side.
// Pairs come in A's group order.
std::vector<GroupPair> defaultPairs(const std::vector<LatencyGroup>& a,
                                    const std::vector<LatencyGroup>& b);

// A pair the user asked for, "LEFT=RIGHT": either two group ids (any
// mechanism/metric on either side), or two keys, which pairs every
// (mechanism, metric) that has key LEFT in A and key RIGHT in B.
// Returns the pairs, or nullopt with `error` saying what did not match.
std::optional<std::vector<GroupPair>> userPairs(const std::vector<LatencyGroup>& a,
                                                const std::vector<LatencyGroup>& b,
                                                std::string_view spec, std::string& error);

// The leading IRQ number of an episode/hard-IRQ key ("36 virtio1-req.0" -> 36).
std::optional<long> irqNumberOfKey(std::string_view key);

struct GroupComparison {
    Summary a, b;
    DeltaCi p50, p99;
};
GroupComparison compareGroups(const LatencyGroup& a, const LatencyGroup& b, int resamples = 1000,
                              std::uint64_t seed = 42);

} // namespace irqlens
