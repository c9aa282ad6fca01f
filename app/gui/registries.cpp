#include "app/gui/capture_session.h"
#include "app/gui/view_registry.h"

#include <algorithm>

namespace irqlens::gui {

std::vector<ViewFactory>& registeredViews() {
    static std::vector<ViewFactory> views;
    return views;
}

void CaptureSession::setCurrent(std::shared_ptr<const LoadedCapture> capture) {
    current_ = std::move(capture);
    selectedSpan_ = kNone;
    emit captureChanged();
}

void CaptureSession::setComparison(std::shared_ptr<const LoadedCapture> capture) {
    comparison_ = std::move(capture);
    emit comparisonChanged();
}

void CaptureSession::selectSpan(SpanId span) {
    selectedSpan_ = span;
    emit spanSelected(span);
}

void CaptureSession::selectEvent(EventRef event) {
    emit eventSelected(event);
}

void CaptureSession::showRange(qint64 startNs, qint64 endNs) {
    emit rangeRequested(startNs, endNs);
}

void CaptureSession::showEpisode(EpisodeId episode) {
    if (!current_ || !current_->analysis || episode >= current_->analysis->episodes.size()) {
        return;
    }
    const Analysis& a = *current_->analysis;
    const Episode& e = a.episodes[episode];
    const std::int64_t start = a.spans[e.hardIrq].start;
    // Some context either side so the episode is not glued to the view's edges.
    const std::int64_t pad = std::max<std::int64_t>((e.end - start) / 4, 20'000);
    selectSpan(e.hardIrq);
    showRange(start - pad, e.end + pad);
    emit viewRequested(QStringLiteral("timeline"));
}

void CaptureSession::showLatencyGroup(const QString& groupId) {
    emit latencyGroupRequested(groupId);
    emit viewRequested(QStringLiteral("latency"));
}

} // namespace irqlens::gui
