// The timeline itself: a pinned time axis, a pinned label column and the
// per-CPU lanes.  Lanes are painted with level of detail (timeline_lod.h)
// into a cached pixmap keyed by the view (range, size, scroll); selection,
// episode arrows, markers and the rubber band are drawn on top each repaint.
#pragma once

#include "app/gui/capture_session.h"
#include "app/gui/timeline/timeline_data.h"
#include "app/gui/timeline/timeline_lod.h"

#include <QPixmap>
#include <QWidget>
#include <memory>
#include <optional>

class QScrollBar;

namespace irqlens::gui {

class TimelineCanvas : public QWidget {
    Q_OBJECT
public:
    static constexpr int kLabelWidth = 148;
    static constexpr int kAxisHeight = 40;
    static constexpr int kGroupHeader = 22;
    static constexpr int kTrackHeight = 18;
    static constexpr int kEventsRowHeight = 14;

    explicit TimelineCanvas(QWidget* parent = nullptr);

    void setCapture(std::shared_ptr<const LoadedCapture> capture,
                    std::shared_ptr<const TimelineData> data);
    const TimelineData* data() const { return data_.get(); }

    // ---- view range ----
    std::int64_t viewStart() const { return viewT0_; }
    std::int64_t viewEnd() const;
    void setViewRange(std::int64_t t0, std::int64_t t1); // absolute ns
    void resetView();
    // The same live capture grown (its data extended in place): keeps the
    // view, the selection and the markers; a view of the whole capture
    // widens to the grown one.
    void growCapture(std::shared_ptr<const LoadedCapture> capture);
    void zoomAt(double factor, double x); // factor > 1 zooms in, around widget x
    void panPixels(double dx);
    void zoomToSelection();

    // ---- selection and markers ----
    void setSelectedSpan(SpanId id);
    void setSelectedEvent(std::optional<EventRef> ref);
    SpanId selectedSpan() const { return selectedSpan_; }
    void setMarker(int which, std::optional<std::int64_t> ts); // 0 = A, 1 = B
    std::optional<std::int64_t> marker(int which) const { return markers_[which]; }

    // ---- geometry, for tests and tooltips ----
    SpanId hitTest(QPoint pos) const;
    // The trace_printk mark under pos (within a few pixels), if any.
    std::optional<EventRef> printMarkAt(QPoint pos) const;
    QRectF spanRect(SpanId id) const; // widget coordinates (may be outside the view)
    int groupCount() const;
    int layoutRows() const { return static_cast<int>(rowGeometry_.size()); }
    QRect groupHeaderRect(int group) const;
    QRect rowLabelRect(int row) const; // the lane's name left of the lanes
    TimeMap timeMap() const;
    // Rich text shown on hover: a span's details, a lane name's definition
    // (mechanism_colors.h), a missed-events mark; empty elsewhere.
    QString tooltipAt(QPoint pos) const;
    LodStats lastPaintStats() const { return lastStats_; }
    double lastPaintMs() const { return lastPaintMs_; }
    // Drops the lane cache (colours changed, benchmark).
    void invalidateLanes();

signals:
    void spanClicked(irqlens::SpanId id);
    void eventClicked(irqlens::EventRef event); // a trace_printk mark
    void viewRangeChanged(qint64 t0, qint64 t1);
    void markersChanged();
    void selectionRangeChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct RowGeometry {
        int top = 0; // content y (before scrolling)
        int height = 0;
    };
    void rebuildGeometry();
    int contentHeight() const;
    int rowTop(int row) const; // widget y
    int rowAtY(int y) const;   // -1 when none
    double lanesWidth() const;
    void clampView();
    void emitRange();

    void paintLanes(QPainter& p, LodStats& stats);
    void paintGroupHeaders(QPainter& p, LodStats& stats);
    void paintMissed(QPainter& p, LodStats& stats);
    void paintLabels(QPainter& p);
    void paintAxis(QPainter& p, LodStats& stats);
    void paintSelection(QPainter& p, LodStats& stats);
    void paintFlowArrows(QPainter& p, LodStats& stats);
    void paintArrow(QPainter& p, QPointF from, QPointF to, const QColor& color);
    void paintMarkers(QPainter& p);
    QString spanLabel(SpanId id) const;
    QColor spanColor(SpanId id) const;

    std::shared_ptr<const LoadedCapture> capture_;
    std::shared_ptr<const TimelineData> data_;
    std::vector<RowGeometry> rowGeometry_;
    std::vector<int> groupTops_;
    QScrollBar* vscroll_ = nullptr;

    std::int64_t captureT0_ = 0;
    std::int64_t captureT1_ = 1;
    std::int64_t viewT0_ = 0;
    double nsPerPx_ = 1;

    SpanId selectedSpan_ = kNone;
    std::optional<EventRef> selectedEvent_;
    std::optional<std::int64_t> markers_[2];
    std::optional<std::pair<std::int64_t, std::int64_t>> selectionRange_;
    // The range last asked for while hidden (e.g. "slowest episode" from the
    // Overview before the Timeline tab was ever shown): the first layout's
    // resize applies it instead of showing the whole capture.
    std::optional<std::pair<std::int64_t, std::int64_t>> pendingRange_;

    // interaction
    QPoint pressPos_;
    std::int64_t pressViewT0_ = 0;
    enum class Drag { None, Pan, Select } drag_ = Drag::None;
    bool dragged_ = false;

    // lane cache
    QPixmap lanes_;
    struct LaneKey {
        std::int64_t t0 = -1;
        double nsPerPx = 0;
        QSize size;
        int scroll = -1;
        friend bool operator==(const LaneKey&, const LaneKey&) = default;
    } lanesKey_;
    LodStats lanesStats_;
    LodStats lastStats_;
    double lastPaintMs_ = 0;
};

} // namespace irqlens::gui

namespace irqlens::gui {
// What "latency" means for a span kind, for tooltips and the details panel.
QString latencyDefinition(SpanKind kind);
} // namespace irqlens::gui
