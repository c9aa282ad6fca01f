#include "app/gui/latency/group_cache.h"

#include <QFileInfo>
#include <algorithm>
#include <limits>

namespace irqlens::gui {

CaptureGroups::CaptureGroups(std::shared_ptr<const LoadedCapture> capture,
                             std::vector<LatencyGroup> groups)
    : capture_(std::move(capture)), groups_(std::move(groups)), sorted_(groups_.size()),
      summaries_(groups_.size()) {
    // Time columns count from the capture's first event; a capture without
    // events (synthetic analyses) counts from its first span instead.
    origin_ = capture_ && capture_->store ? capture_->store->firstTs() : -1;
    if (origin_ < 0 && capture_ && capture_->analysis) {
        std::int64_t first = std::numeric_limits<std::int64_t>::max();
        for (const Span& span : capture_->analysis->spans)
            first = std::min(first, span.start);
        origin_ = capture_->analysis->spans.empty() ? 0 : first;
    }
}

QString CaptureGroups::fileName() const {
    if (!capture_ || capture_->path.isEmpty())
        return QStringLiteral("capture");
    return QFileInfo(capture_->path).fileName();
}

std::shared_ptr<const SortedSeries> CaptureGroups::sorted(std::size_t i) const {
    if (!sorted_[i])
        sorted_[i] = std::make_shared<const SortedSeries>(groups_[i].values);
    return sorted_[i];
}

const Summary& CaptureGroups::summary(std::size_t i) const {
    if (!summaries_[i])
        summaries_[i] = std::make_unique<Summary>(sorted(i)->summary());
    return *summaries_[i];
}

int CaptureGroups::find(Mechanism mechanism, const std::string& key, Metric metric) const {
    for (std::size_t i = 0; i < groups_.size(); ++i) {
        const LatencyGroup& g = groups_[i];
        if (g.mechanism == mechanism && g.key == key && g.metric == metric)
            return static_cast<int>(i);
    }
    return -1;
}

SpanId CaptureGroups::spanOf(std::size_t g, std::size_t valueIndex) const {
    const LatencyGroup& group = groups_[g];
    const std::uint32_t id = group.ids[valueIndex];
    if (group.mechanism != Mechanism::Episode)
        return id;
    const Analysis& analysis = *capture_->analysis;
    return id < analysis.episodes.size() ? analysis.episodes[id].hardIrq : kNone;
}

namespace {
struct CacheEntry {
    std::weak_ptr<const LoadedCapture> capture;
    std::weak_ptr<const CaptureGroups> groups;
};
} // namespace

std::shared_ptr<const CaptureGroups>
latencyGroupsOf(const std::shared_ptr<const LoadedCapture>& capture) {
    if (!capture || !capture->analysis || !capture->store)
        return nullptr;
    static std::vector<CacheEntry> cache;
    std::erase_if(cache,
                  [](const CacheEntry& e) { return e.capture.expired() || e.groups.expired(); });
    for (const CacheEntry& entry : cache) {
        if (entry.capture.lock() == capture)
            return entry.groups.lock();
    }
    auto groups = std::make_shared<const CaptureGroups>(
        capture, buildLatencyGroups(*capture->store, *capture->analysis));
    cache.push_back({capture, groups});
    return groups;
}

} // namespace irqlens::gui
