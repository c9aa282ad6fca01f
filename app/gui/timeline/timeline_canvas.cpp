#include "app/gui/timeline/timeline_canvas.h"

#include "app/gui/time_format.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace irqlens::gui {

TimelineCanvas::TimelineCanvas(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setMinimumSize(400, 160);
    setAttribute(Qt::WA_OpaquePaintEvent);
    vscroll_ = new QScrollBar(Qt::Vertical, this);
    connect(vscroll_, &QScrollBar::valueChanged, this, [this] { update(); });
}

void TimelineCanvas::setCapture(std::shared_ptr<const LoadedCapture> capture,
                                std::shared_ptr<const TimelineData> data) {
    capture_ = std::move(capture);
    data_ = std::move(data);
    selectedSpan_ = kNone;
    selectedEvent_.reset();
    markers_[0].reset();
    markers_[1].reset();
    selectionRange_.reset();
    if (capture_ && capture_->store && capture_->store->firstTs() >= 0) {
        captureT0_ = capture_->store->firstTs();
        captureT1_ = std::max(capture_->store->lastTs(), captureT0_ + 1000);
    } else {
        captureT0_ = 0;
        captureT1_ = 1000;
    }
    rebuildGeometry();
    resetView();
}

void TimelineCanvas::growCapture(std::shared_ptr<const LoadedCapture> capture) {
    const std::int64_t pad = (captureT1_ - captureT0_) / 100;
    const bool whole = viewT0_ <= captureT0_ - pad + 1 && viewEnd() >= captureT1_ + pad - 1;
    capture_ = std::move(capture);
    if (capture_->store->firstTs() >= 0) {
        captureT0_ = capture_->store->firstTs();
        captureT1_ = std::max(capture_->store->lastTs(), captureT0_ + 1000);
    }
    if (data_ && data_->layout.rows().size() != rowGeometry_.size()) {
        rebuildGeometry();
    }
    if (whole) {
        resetView();
    } else {
        emitRange(); // the session forgot the range with the new picture
        update();
    }
}

// ---------------------------------------------------------------- geometry

void TimelineCanvas::rebuildGeometry() {
    rowGeometry_.clear();
    groupTops_.clear();
    int y = 0;
    if (data_) {
        const auto& rows = data_->layout.rows();
        rowGeometry_.resize(rows.size());
        for (const auto& g : data_->layout.groups()) {
            groupTops_.push_back(y);
            y += kGroupHeader;
            for (int r = g.firstRow; r < g.firstRow + g.rowCount; ++r) {
                const auto& row = rows[static_cast<std::size_t>(r)];
                const int tracks = std::max<int>(1, static_cast<int>(row.tracks.size()));
                const bool instant =
                    row.mechanism == Mechanism::Events || row.mechanism == Mechanism::Printk;
                const int h = instant ? kEventsRowHeight : tracks * kTrackHeight + 4;
                rowGeometry_[static_cast<std::size_t>(r)] = {y, h};
                y += h;
            }
            y += 4;
        }
    }
    groupTops_.push_back(y);
    const int visible = height() - kAxisHeight;
    vscroll_->setRange(0, std::max(0, y - visible));
    vscroll_->setPageStep(std::max(1, visible));
    vscroll_->setSingleStep(kTrackHeight);
    vscroll_->setVisible(y > visible);
    invalidateLanes();
}

int TimelineCanvas::contentHeight() const {
    return groupTops_.empty() ? 0 : groupTops_.back();
}

int TimelineCanvas::rowTop(int row) const {
    return kAxisHeight - vscroll_->value() + rowGeometry_[static_cast<std::size_t>(row)].top;
}

int TimelineCanvas::rowAtY(int y) const {
    const int contentY = y - kAxisHeight + vscroll_->value();
    if (y < kAxisHeight) {
        return -1;
    }
    for (std::size_t r = 0; r < rowGeometry_.size(); ++r) {
        const auto& g = rowGeometry_[r];
        if (contentY >= g.top && contentY < g.top + g.height) {
            return static_cast<int>(r);
        }
    }
    return -1;
}

double TimelineCanvas::lanesWidth() const {
    const int scroll = vscroll_->isVisible() ? vscroll_->width() : 0;
    return std::max(1, width() - kLabelWidth - scroll);
}

int TimelineCanvas::groupCount() const {
    return data_ ? static_cast<int>(data_->layout.groups().size()) : 0;
}

QRect TimelineCanvas::groupHeaderRect(int group) const {
    return QRect(0, kAxisHeight - vscroll_->value() + groupTops_[static_cast<std::size_t>(group)],
                 width(), kGroupHeader);
}

QRect TimelineCanvas::rowLabelRect(int row) const {
    return QRect(0, rowTop(row), kLabelWidth, rowGeometry_[static_cast<std::size_t>(row)].height);
}

TimeMap TimelineCanvas::timeMap() const {
    return TimeMap{viewT0_, nsPerPx_, kLabelWidth};
}

void TimelineCanvas::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    const std::int64_t t1 = viewEnd();
    vscroll_->setGeometry(width() - vscroll_->sizeHint().width(), kAxisHeight,
                          vscroll_->sizeHint().width(), height() - kAxisHeight);
    rebuildGeometry();
    if (event->oldSize().width() > 0) {
        setViewRange(viewT0_, t1); // keep the visible time range
    } else if (const auto pending = pendingRange_) {
        setViewRange(pending->first, pending->second);
    } else {
        resetView();
    }
    pendingRange_.reset();
}

// ---------------------------------------------------------------- view range

std::int64_t TimelineCanvas::viewEnd() const {
    return viewT0_ + static_cast<std::int64_t>(nsPerPx_ * lanesWidth());
}

void TimelineCanvas::setViewRange(std::int64_t t0, std::int64_t t1) {
    if (t1 <= t0) {
        t1 = t0 + 1;
    }
    if (isVisible()) {
        pendingRange_.reset();
    } else {
        pendingRange_ = {t0, t1}; // the width is not known yet
    }
    viewT0_ = t0;
    nsPerPx_ = static_cast<double>(t1 - t0) / lanesWidth();
    clampView();
    emitRange();
}

void TimelineCanvas::resetView() {
    const std::int64_t pad = (captureT1_ - captureT0_) / 100;
    setViewRange(captureT0_ - pad, captureT1_ + pad);
}

void TimelineCanvas::clampView() {
    const double span = static_cast<double>(captureT1_ - captureT0_);
    // Between 1 ns per 20 px and the whole capture (plus margins) in the view.
    nsPerPx_ = std::clamp(nsPerPx_, 0.05, std::max(1.0, span * 1.2 / lanesWidth()));
    const auto viewLen = static_cast<std::int64_t>(nsPerPx_ * lanesWidth());
    const std::int64_t margin = static_cast<std::int64_t>(span * 0.1);
    viewT0_ = std::clamp(viewT0_, captureT0_ - margin - viewLen / 2,
                         std::max(captureT0_ - margin, captureT1_ + margin - viewLen / 2));
}

void TimelineCanvas::emitRange() {
    update();
    emit viewRangeChanged(viewT0_, viewEnd());
}

void TimelineCanvas::zoomAt(double factor, double x) {
    x = std::clamp(x, double(kLabelWidth), double(kLabelWidth) + lanesWidth());
    const std::int64_t anchor = timeMap().t(x);
    nsPerPx_ /= factor;
    clampView();
    viewT0_ = anchor - static_cast<std::int64_t>((x - kLabelWidth) * nsPerPx_);
    clampView();
    emitRange();
}

void TimelineCanvas::panPixels(double dx) {
    viewT0_ -= static_cast<std::int64_t>(dx * nsPerPx_);
    clampView();
    emitRange();
}

void TimelineCanvas::zoomToSelection() {
    if (selectionRange_) {
        const auto [a, b] = *selectionRange_;
        setViewRange(a, b);
        return;
    }
    if (markers_[0] && markers_[1] && *markers_[0] != *markers_[1]) {
        setViewRange(std::min(*markers_[0], *markers_[1]), std::max(*markers_[0], *markers_[1]));
        return;
    }
    if (selectedSpan_ != kNone && capture_) {
        // The whole episode of the span, with a margin.
        const Analysis& a = *capture_->analysis;
        const Span selected = a.spanAt(selectedSpan_);
        std::int64_t lo = selected.start;
        std::int64_t hi = selected.end;
        const auto episodes = selectedSpan_ < a.spans.size() ? a.episodesOf(selectedSpan_)
                                                             : std::span<const EpisodeId>{};
        for (EpisodeId e : episodes) {
            lo = std::min(lo, a.spans[a.episodes[e].hardIrq].start);
            hi = std::max(hi, a.episodes[e].end);
        }
        const std::int64_t pad = std::max<std::int64_t>((hi - lo) / 4, 500);
        setViewRange(lo - pad, hi + pad);
    }
}

// ---------------------------------------------------------------- selection

void TimelineCanvas::setSelectedSpan(SpanId id) {
    selectedSpan_ = id;
    update();
}

void TimelineCanvas::setSelectedEvent(std::optional<EventRef> ref) {
    selectedEvent_ = ref;
    if (ref && capture_) {
        const std::int64_t t = capture_->store->ts(*ref);
        if (t < viewT0_ || t > viewEnd()) {
            const std::int64_t half = viewEnd() - viewT0_;
            setViewRange(t - half / 2, t + half / 2);
        }
    }
    update();
}

void TimelineCanvas::setMarker(int which, std::optional<std::int64_t> ts) {
    markers_[which] = ts;
    update();
    emit markersChanged();
}

std::optional<EventRef> TimelineCanvas::printMarkAt(QPoint pos) const {
    const int r = data_ && pos.x() >= kLabelWidth ? rowAtY(pos.y()) : -1;
    if (r < 0 || data_->layout.rows()[static_cast<std::size_t>(r)].mechanism != Mechanism::Printk) {
        return std::nullopt;
    }
    const int cpu = data_->layout.rows()[static_cast<std::size_t>(r)].cpu;
    const auto tolerance = static_cast<std::int64_t>(4 * nsPerPx_);
    const PrintMark* mark =
        markAt(data_->printsByCpu[static_cast<std::size_t>(cpu)], timeMap().t(pos.x()), tolerance);
    if (!mark) {
        return std::nullopt;
    }
    return EventRef{static_cast<std::uint16_t>(cpu), mark->index};
}

SpanId TimelineCanvas::hitTest(QPoint pos) const {
    if (!data_ || pos.x() < kLabelWidth) {
        return kNone;
    }
    const int row = rowAtY(pos.y());
    if (row < 0) {
        return kNone;
    }
    const auto& r = data_->layout.rows()[static_cast<std::size_t>(row)];
    const int track = (pos.y() - rowTop(row) - 2) / kTrackHeight;
    if (track < 0 || track >= static_cast<int>(r.tracks.size())) {
        return kNone;
    }
    const auto& tr = r.tracks[static_cast<std::size_t>(track)];
    const auto tol = static_cast<std::int64_t>(3 * nsPerPx_);
    const std::ptrdiff_t i = trackSpanAt(tr, timeMap().t(pos.x()), tol);
    return i < 0 ? kNone : tr.ids[static_cast<std::size_t>(i)];
}

QRectF TimelineCanvas::spanRect(SpanId id) const {
    if (!data_ || !capture_ || !capture_->analysis->hasSpan(id)) {
        return {};
    }
    const SpanPlace place = data_->layout.placeOf(id);
    if (place.row == 0xffff) {
        return {};
    }
    const Span s = capture_->analysis->spanAt(id);
    const TimeMap m = timeMap();
    const double x0 = m.x(s.start);
    const double x1 = std::max(m.x(s.end), x0 + 1);
    const double y = rowTop(place.row) + 2 + place.track * kTrackHeight;
    return QRectF(x0, y, x1 - x0, kTrackHeight - 2);
}

// ---------------------------------------------------------------- input

void TimelineCanvas::mousePressEvent(QMouseEvent* event) {
    setFocus();
    pressPos_ = event->pos();
    pressViewT0_ = viewT0_;
    dragged_ = false;
    if (event->button() != Qt::LeftButton) {
        return;
    }
    if (event->pos().y() < kAxisHeight && event->pos().x() >= kLabelWidth) {
        // Click on the axis: marker A, Shift+click: marker B.
        setMarker(event->modifiers() & Qt::ShiftModifier ? 1 : 0, timeMap().t(event->pos().x()));
        return;
    }
    drag_ = event->modifiers() & Qt::ShiftModifier ? Drag::Select : Drag::Pan;
}

void TimelineCanvas::mouseMoveEvent(QMouseEvent* event) {
    if (drag_ == Drag::None) {
        return;
    }
    if ((event->pos() - pressPos_).manhattanLength() >= QApplication::startDragDistance()) {
        dragged_ = true;
    }
    if (!dragged_) {
        return;
    }
    if (drag_ == Drag::Pan) {
        setCursor(Qt::ClosedHandCursor);
        viewT0_ = pressViewT0_;
        panPixels(event->pos().x() - pressPos_.x());
    } else {
        const TimeMap m = timeMap();
        const std::int64_t a = m.t(pressPos_.x());
        const std::int64_t b = m.t(event->pos().x());
        selectionRange_ = std::pair(std::min(a, b), std::max(a, b));
        update();
        emit selectionRangeChanged();
    }
}

void TimelineCanvas::mouseReleaseEvent(QMouseEvent* event) {
    unsetCursor();
    const Drag drag = drag_;
    drag_ = Drag::None;
    if (event->button() != Qt::LeftButton || dragged_ || drag == Drag::None) {
        return;
    }
    selectionRange_.reset();
    const SpanId id = hitTest(event->pos());
    if (const auto mark = id == kNone ? printMarkAt(event->pos()) : std::nullopt) {
        emit eventClicked(*mark);
        return;
    }
    setSelectedSpan(id);
    emit spanClicked(id);
}

void TimelineCanvas::mouseDoubleClickEvent(QMouseEvent* event) {
    if (hitTest(event->pos()) != kNone) {
        zoomToSelection();
    }
}

void TimelineCanvas::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ShiftModifier || event->position().x() < kLabelWidth) {
        vscroll_->setValue(vscroll_->value() - static_cast<int>(steps * 3 * kTrackHeight));
    } else if (event->angleDelta().x() != 0 && event->angleDelta().y() == 0) {
        panPixels(event->angleDelta().x() / 2.0); // horizontal wheels / touchpads
    } else {
        zoomAt(std::pow(1.25, steps), event->position().x());
    }
    event->accept();
}

void TimelineCanvas::keyPressEvent(QKeyEvent* event) {
    const QPoint cursor = mapFromGlobal(QCursor::pos());
    const double anchor = rect().contains(cursor) ? cursor.x() : kLabelWidth + lanesWidth() / 2;
    switch (event->key()) {
    case Qt::Key_W:
        zoomAt(1.5, anchor);
        break;
    case Qt::Key_S:
        zoomAt(1 / 1.5, anchor);
        break;
    case Qt::Key_A:
        panPixels(lanesWidth() * 0.2);
        break;
    case Qt::Key_D:
        panPixels(-lanesWidth() * 0.2);
        break;
    case Qt::Key_Z:
        zoomToSelection();
        break;
    case Qt::Key_Home:
    case Qt::Key_0:
        resetView();
        break;
    case Qt::Key_M:
        setMarker(event->modifiers() & Qt::ShiftModifier ? 1 : 0, timeMap().t(anchor));
        break;
    case Qt::Key_Escape:
        selectionRange_.reset();
        setSelectedSpan(kNone);
        emit spanClicked(kNone);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void TimelineCanvas::contextMenuEvent(QContextMenuEvent* event) {
    const std::int64_t t = timeMap().t(event->pos().x());
    QMenu menu(this);
    menu.addAction(tr("Set marker A here"), this, [this, t] { setMarker(0, t); });
    menu.addAction(tr("Set marker B here"), this, [this, t] { setMarker(1, t); });
    menu.addAction(tr("Clear markers"), this, [this] {
        setMarker(0, std::nullopt);
        setMarker(1, std::nullopt);
    });
    menu.addSeparator();
    menu.addAction(tr("Zoom to selection"), this, [this] { zoomToSelection(); });
    menu.addAction(tr("Reset zoom"), this, [this] { resetView(); });
    menu.exec(event->globalPos());
}

bool TimelineCanvas::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = tooltipAt(help->pos());
        if (text.isEmpty()) {
            QToolTip::hideText();
            event->ignore();
        } else {
            QToolTip::showText(help->globalPos(), text, this);
        }
        return true;
    }
    return QWidget::event(event);
}

void TimelineCanvas::invalidateLanes() {
    lanesKey_ = LaneKey{};
    update();
}

} // namespace irqlens::gui
