#include "app/gui/capture_session.h"
#include "app/gui/view_registry.h"

namespace irqlens::gui {

std::vector<ViewFactory>& registeredViews() {
    static std::vector<ViewFactory> views;
    return views;
}

void CaptureSession::setCurrent(std::shared_ptr<const LoadedCapture> capture) {
    current_ = std::move(capture);
    selectedSpan_ = kNone;
    visibleRange_ = {}; // the views show the new capture while captureChanged runs
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

void CaptureSession::setVisibleRange(qint64 startNs, qint64 endNs) {
    if (!current_ || (visibleRange_.start == startNs && visibleRange_.end == endNs)) {
        return;
    }
    visibleRange_ = {startNs, endNs};
    emit visibleRangeChanged(startNs, endNs);
}

void CaptureSession::notifyColorsChanged() {
    emit colorsChanged();
}

} // namespace irqlens::gui
