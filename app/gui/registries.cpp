#include "app/gui/capture_session.h"
#include "app/gui/view_registry.h"

#include <QEvent>
#include <algorithm>

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

namespace irqlens::gui {

bool deferWhileHidden(const CaptureSession& session, const QWidget& view) {
    return session.current() && session.current()->live && !view.isVisible();
}

namespace {
// Watches its view for the Show event after a deferred live picture.
class DeferredReload : public QObject {
public:
    DeferredReload(CaptureSession* session, QWidget* view, std::function<void()> reload)
        : QObject(view), session_(session), view_(view), reload_(std::move(reload)) {
        view->installEventFilter(this);
        connect(session, &CaptureSession::captureChanged, this, [this] {
            pending_ = deferWhileHidden(*session_, *view_);
            if (!pending_) {
                reload_();
            }
        });
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (watched == view_ && event->type() == QEvent::Show && pending_) {
            pending_ = false;
            reload_();
        }
        return false;
    }

private:
    CaptureSession* session_;
    QWidget* view_;
    std::function<void()> reload_;
    bool pending_ = false;
};
} // namespace

void connectCaptureReload(CaptureSession* session, QWidget* view, std::function<void()> reload) {
    new DeferredReload(session, view, std::move(reload));
}

} // namespace irqlens::gui
