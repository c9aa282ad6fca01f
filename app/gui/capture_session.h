// The GUI's shared state: the loaded capture(s), its analysis, and the
// current selection.  Every view reads from it and talks to the others only
// through its signals, so views stay independent of each other.
#pragma once

#include "core/model/event_store.h"
#include "core/spans/span.h"

#include <QObject>
#include <QString>
#include <memory>

namespace irqlens::gui {

struct LoadedCapture {
    std::shared_ptr<const EventStore> store;
    std::shared_ptr<const Analysis> analysis;
    QString path;
    double loadSeconds = 0;
};

class CaptureSession : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    const std::shared_ptr<const LoadedCapture>& current() const { return current_; }
    // A second capture for the compare view (may be null).
    const std::shared_ptr<const LoadedCapture>& comparison() const { return comparison_; }
    SpanId selectedSpan() const { return selectedSpan_; }

    void setCurrent(std::shared_ptr<const LoadedCapture> capture);
    void setComparison(std::shared_ptr<const LoadedCapture> capture);

public slots:
    void selectSpan(irqlens::SpanId span); // highlights its episode everywhere
    void selectEvent(irqlens::EventRef event);
    void showRange(qint64 startNs, qint64 endNs); // asks the timeline to show this range
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
    void latencyGroupRequested(const QString& groupId);
    // Asks the main window to bring the view with this id to the front ("timeline").
    void viewRequested(const QString& viewId);

private:
    std::shared_ptr<const LoadedCapture> current_;
    std::shared_ptr<const LoadedCapture> comparison_;
    SpanId selectedSpan_ = kNone;
};

} // namespace irqlens::gui

Q_DECLARE_METATYPE(irqlens::EventRef)
