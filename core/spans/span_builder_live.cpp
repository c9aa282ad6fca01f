// Span builder, live: the same pass as build(), resumed batch after batch
// while a recording grows.  Spans still open carry the end kLiveEdge until a
// snapshot gives them the edge of what was walked: batch build() gives them
// the capture's last timestamp, which is the same value once every event
// was walked.
#include "core/spans/span_builder.h"

#include <algorithm>
#include <limits>

namespace irqlens::detail {

namespace {
constexpr std::int64_t kLiveEdge = std::numeric_limits<std::int64_t>::max();
}

void SpanBuilder::startLive() {
    live_ = true;
    prepareTypes();
    refreshLive();
    lastTs_ = kLiveEdge; // open() gives open spans this end, snapshotLive() the edge
    custom_.prepare(store_, rules_);
    prepareTaskRuns();
}

void SpanBuilder::refreshLive() {
    refreshKeys();
    livePos_.resize(cpus_.size(), 0);
    if (options_.taskSpans) {
        taskScanners_.resize(cpus_.size());
    }
    std::fill(pidClass_.begin(), pidClass_.end(), 0);
    findSpecialTasks(); // from each pid's latest name so far
}

// The batch walk's order (time, ties by lower CPU), from livePos_ up to the
// limits; a later call continues exactly where this one stopped.
std::size_t SpanBuilder::advanceLive(const std::vector<std::size_t>& limits) {
    const std::size_t cpus = std::min(limits.size(), livePos_.size());
    std::vector<std::int64_t> next(cpus, kLiveEdge);
    auto headOf = [&](std::size_t c) {
        next[c] = livePos_[c] < std::min(limits[c], store_.cpu(static_cast<int>(c)).size())
                      ? store_.cpu(static_cast<int>(c)).ts(livePos_[c])
                      : kLiveEdge;
    };
    for (std::size_t c = 0; c < cpus; ++c) {
        headOf(c);
    }
    std::size_t walked = 0;
    for (;;) {
        std::size_t best = cpus;
        std::int64_t bestTs = kLiveEdge;
        for (std::size_t c = 0; c < cpus; ++c) {
            if (next[c] < bestTs) {
                best = c;
                bestTs = next[c];
            }
        }
        if (best == cpus) {
            scanTaskRuns(livePos_); // each CPU's task runs, up to where it was walked
            return walked;
        }
        if (liveLastTs_ < 0) {
            firstTs_ = std::max<std::int64_t>(bestTs, 0); // the capture's first event
        }
        const auto i = static_cast<std::uint32_t>(livePos_[best]++);
        onEvent({static_cast<std::uint16_t>(best), i}, bestTs);
        liveLastTs_ = std::max(liveLastTs_, bestTs);
        ++walked;
        headOf(best);
    }
}

Analysis SpanBuilder::snapshotLive(std::int64_t edge) const {
    SpanBuilder copy(*this);
    for (Span& s : copy.spans_) {
        if (s.end == kLiveEdge) {
            s.end = std::max(edge, s.start);
        }
    }
    copy.lastTs_ = std::max<std::int64_t>(edge, 0);
    return copy.finishBuild();
}

} // namespace irqlens::detail
