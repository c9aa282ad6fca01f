// The GUI's shared state: the loaded capture(s), its analysis, and the
// current selection.  Every view reads from it and talks to the others only
// through its signals, so views stay independent of each other.
#pragma once

#include "core/model/event_store.h"
#include "core/spans/span.h"

#include <QObject>
#include <QString>
#include <QWidget>
#include <functional>
#include <memory>
#include <shared_mutex>

namespace irqlens::gui {

// A time range of the current capture, absolute ns; empty when end <= start.
struct TimeRange {
    qint64 start = 0;
    qint64 end = 0;
    bool isEmpty() const { return end <= start; }
};

class CaptureSession;

struct LoadedCapture {
    std::shared_ptr<const EventStore> store;
    std::shared_ptr<const Analysis> analysis;
    QString path;
    double loadSeconds = 0;
    // A picture of a recording still growing (LiveView): the next picture
    // follows soon, so views that are not shown wait until they are, and
    // views keep what the user chose (latency group, zoom).
    bool live = false;
    // A live picture's store keeps growing on the GUI thread (LiveView):
    // a worker that reads it holds this shared; LiveView appends only when
    // it gets it exclusively.  Null for a loaded capture (never written).
    std::shared_ptr<std::shared_mutex> storeLock;
};

// True when `view` need not rebuild for the session's current capture now:
// it is a live picture and the view is hidden (it rebuilds when shown).
bool deferWhileHidden(const CaptureSession& session, const QWidget& view);
// Calls `reload` on captureChanged, except for live pictures while `view`
// is hidden: then once, when it is shown again.
void connectCaptureReload(CaptureSession* session, QWidget* view, std::function<void()> reload);

class CaptureSession : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    const std::shared_ptr<const LoadedCapture>& current() const { return current_; }
    // A second capture for the compare view (may be null).
    const std::shared_ptr<const LoadedCapture>& comparison() const { return comparison_; }
    SpanId selectedSpan() const { return selectedSpan_; }
    // What the timeline shows now; empty while no view has shown this capture.
    TimeRange visibleRange() const { return visibleRange_; }

    void setCurrent(std::shared_ptr<const LoadedCapture> capture);
    void setComparison(std::shared_ptr<const LoadedCapture> capture);

public slots:
    void selectSpan(irqlens::SpanId span); // highlights its episode everywhere
    void selectEvent(irqlens::EventRef event);
    void showRange(qint64 startNs, qint64 endNs); // asks the timeline to show this range
    // The timeline reports the range it shows (after zoom, pan, showRange ...).
    void setVisibleRange(qint64 startNs, qint64 endNs);
    // Mechanism colours changed (MechanismColors): every view repaints.
    void notifyColorsChanged();
    // Selects the episode (its hard IRQ), asks the timeline to show all of it
    // with some context, and brings the timeline to the front.
    void showEpisode(irqlens::EpisodeId episode);
    // Asks the latency view to show the group with this id ("episode/26
    // irqlens-gpio/end_to_end", latency_groups.h) and brings it to the front.
    void showLatencyGroup(const QString& groupId);

signals:
    void captureChanged();
    void comparisonChanged();
    void spanSelected(irqlens::SpanId span);
    void eventSelected(irqlens::EventRef event);
    void rangeRequested(qint64 startNs, qint64 endNs);
    void visibleRangeChanged(qint64 startNs, qint64 endNs);
    void colorsChanged();
    void latencyGroupRequested(const QString& groupId);
    // Asks the main window to bring the view with this id to the front ("timeline").
    void viewRequested(const QString& viewId);

private:
    std::shared_ptr<const LoadedCapture> current_;
    std::shared_ptr<const LoadedCapture> comparison_;
    SpanId selectedSpan_ = kNone;
    TimeRange visibleRange_;
};

} // namespace irqlens::gui

Q_DECLARE_METATYPE(irqlens::EventRef)
