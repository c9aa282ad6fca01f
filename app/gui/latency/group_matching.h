// Which group of capture B to compare with a group of capture A.  Same
// mechanism/key/metric when it exists; otherwise, for episodes, the same IRQ
// number under another name (a workqueue capture and a threaded-IRQ capture
// of the same GPIO line name their handlers differently).  No Qt.
#pragma once

#include "core/stats/latency_groups.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace irqlens::gui {

// The IRQ number a key starts with ("36 virtio1-req.0" -> 36, "irq/36-x" -> 36).
std::optional<int> irqNumberOfKey(const std::string& key);

// Index in `b` of the group matching a[ia], or -1.
int matchGroup(const LatencyGroup& a, const std::vector<LatencyGroup>& b);

// Index of the largest group with this mechanism and metric, or -1.
int largestGroup(const std::vector<LatencyGroup>& groups, const std::string& mechanism,
                 const std::string& metric);

// The pair shown first: "episode end_to_end of IRQ N" in both when possible.
// With a single capture (`sameCapture`), B is a different group of it: the
// irq-thread or workqueue counterpart of A when there is one.
std::pair<int, int> defaultPair(const std::vector<LatencyGroup>& a,
                                const std::vector<LatencyGroup>& b, bool sameCapture);

} // namespace irqlens::gui
