// The latency groups of one loaded capture, built once and shared by the
// latency and compare views.  Sorting a group (for percentiles, histogram and
// CDF) happens on first use and is kept, so switching back to a group is free.
#pragma once

#include "app/gui/capture_session.h"
#include "core/stats/distribution.h"
#include "core/stats/latency_groups.h"

#include <QString>
#include <memory>
#include <vector>

namespace irqlens::gui {

class CaptureGroups {
public:
    CaptureGroups(std::shared_ptr<const LoadedCapture> capture, std::vector<LatencyGroup> groups);

    const LoadedCapture& capture() const { return *capture_; }
    const std::shared_ptr<const LoadedCapture>& capturePtr() const { return capture_; }
    // The capture's file name without folders, for legends and titles.
    QString fileName() const;

    std::size_t size() const { return groups_.size(); }
    const LatencyGroup& group(std::size_t i) const { return groups_[i]; }
    const std::vector<LatencyGroup>& groups() const { return groups_; }
    // The group's values sorted (built on first call; GUI thread only).
    std::shared_ptr<const SortedSeries> sorted(std::size_t i) const;
    const Summary& summary(std::size_t i) const;

    // Index of the group with this mechanism/key/metric, or -1.
    int find(Mechanism mechanism, const std::string& key, Metric metric) const;

    // Span shown for value `valueIndex` of group `g`: the span itself, or the
    // hard IRQ span of an episode for mechanism "episode".
    SpanId spanOf(std::size_t g, std::size_t valueIndex) const;
    // ns origin for "time since capture start" columns.
    std::int64_t origin() const { return origin_; }

private:
    std::shared_ptr<const LoadedCapture> capture_;
    std::vector<LatencyGroup> groups_;
    mutable std::vector<std::shared_ptr<const SortedSeries>> sorted_;
    mutable std::vector<std::unique_ptr<Summary>> summaries_;
    std::int64_t origin_ = 0;
};

// The groups of `capture` (null for a null capture or one without analysis).
// Cached per capture for as long as someone holds the result.
std::shared_ptr<const CaptureGroups>
latencyGroupsOf(const std::shared_ptr<const LoadedCapture>& capture);

} // namespace irqlens::gui
