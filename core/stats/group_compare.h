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
    Mechanism mechanism = Mechanism::HardIrq;
    std::string key;
    Metric metric = Metric::Duration;
};
std::optional<GroupIdParts> parseGroupId(std::string_view id);

// Index of the group with this id, or nullopt.
std::optional<std::size_t> findGroup(const std::vector<LatencyGroup>& groups, std::string_view id);

struct GroupPair {
    std::size_t a = 0; // index into A's groups
    std::size_t b = 0; // index into B's groups
};

// How groups of two captures (or two groups of one) are put side by side —
// one rule for `irqlens-cli compare` and the Compare view:
//
// defaultPairs: every pair compared by default, in A's group order:
//  1. the same group id (mechanism/key/metric) on both sides;
//  2. then, among groups still unpaired, the same mechanism and metric with
//     keys of the same IRQ number ("60 gpio-wq" and "60 gpio-thread",
//     "irq/60-a" and "irq/60-b": the same line handled two ways), when that
//     number is unique for that mechanism and metric on each side.
std::vector<GroupPair> defaultPairs(const std::vector<LatencyGroup>& a,
                                    const std::vector<LatencyGroup>& b);

// defaultPair: the one pair shown first (and reported as "default_pair"):
// among defaultPairs, the episode end-to-end pair of a device IRQ (a key with
// an IRQ number) with the most values in A; else any episode end-to-end pair
// with the most values in A; else the first pair; with no pair at all, A's
// largest episode end-to-end group (else its first group) and B's largest
// group of the same mechanism and metric (else B's first).  nullopt when a
// side has no groups.
std::optional<GroupPair> defaultPair(const std::vector<LatencyGroup>& a,
                                     const std::vector<LatencyGroup>& b);

// defaultPairWithin: two groups of one capture: the largest work-item
// queue_to_start group (A) against the largest IRQ-thread wake_to_run group
// (B) — the comparison this tool exists for; else the two largest episode
// end-to-end groups; else the first two groups.  nullopt with fewer than two
// groups.
std::optional<GroupPair> defaultPairWithin(const std::vector<LatencyGroup>& groups);

// The group of `b` that goes with `a` when the user picks `a`: the same id,
// else the only group of `b` with a's mechanism, metric and IRQ number.
std::optional<std::size_t> matchingGroup(const LatencyGroup& a, const std::vector<LatencyGroup>& b);

// The group of this mechanism and metric with the most values (the first on a tie).
std::optional<std::size_t> largestGroup(const std::vector<LatencyGroup>& groups,
                                        Mechanism mechanism, Metric metric);

// A pair the user asked for, "LEFT=RIGHT": either two group ids (any
// mechanism/metric on either side), or two keys, which pairs every
// (mechanism, metric) that has key LEFT in A and key RIGHT in B.
// Returns the pairs, or nullopt with `error` saying what did not match.
std::optional<std::vector<GroupPair>> userPairs(const std::vector<LatencyGroup>& a,
                                                const std::vector<LatencyGroup>& b,
                                                std::string_view spec, std::string& error);

// The IRQ number of a key: "36 virtio1-req.0" -> 36, "60" -> 60 (hard IRQs and
// episodes), "irq/36-virtio1" -> 36 (irq threads); nullopt otherwise.
std::optional<long> irqNumberOfKey(std::string_view key);

struct GroupComparison {
    Summary a, b;
    DeltaCi p50, p99;
};
GroupComparison compareGroups(const LatencyGroup& a, const LatencyGroup& b, int resamples = 1000,
                              std::uint64_t seed = 42);

} // namespace irqlens
