// TimelineCanvas painting: lanes (cached), then overlays, axis and labels.
#include "app/gui/mechanism_text.h"
#include "app/gui/time_format.h"
#include "app/gui/timeline/event_filter.h"
#include "app/gui/timeline/timeline_canvas.h"

#include <QElapsedTimer>
#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <algorithm>
#include <cmath>

namespace irqlens::gui {

namespace {
const QColor kBackground(255, 255, 255);
const QColor kAltRow(247, 248, 250);
const QColor kGroupBand(233, 236, 241);
const QColor kAxisBand(244, 245, 247);
const QColor kGrid(225, 228, 233);
const QColor kText(45, 50, 58);
const QColor kSelection(10, 100, 216);
const QColor kMarkerColor[2] = {QColor(43, 108, 176), QColor(192, 86, 33)};
const QColor kMissed(200, 30, 30);

QString toQ(const std::string& s) {
    return QString::fromStdString(s);
}
} // namespace

QColor TimelineCanvas::spanColor(SpanId id) const {
    const SpanPlace place = data_->layout.placeOf(id);
    const auto& row = data_->layout.rows()[place.row];
    QColor c = MechanismColors::instance().color(row.mechanism);
    // Neighbouring spans of different keys get slightly different shades.
    const std::uint32_t key = capture_->analysis->spanAt(id).key;
    const int shade = static_cast<int>((key * 2654435761u) >> 29); // 0..7
    return c.lighter(100 + (shade % 4) * 7);
}

QString TimelineCanvas::spanLabel(SpanId id) const {
    return toQ(spanKeyName(*capture_->store, capture_->analysis->spanAt(id)));
}

void TimelineCanvas::paintEvent(QPaintEvent*) {
    QElapsedTimer timer;
    timer.start();
    QPainter p(this);
    LodStats stats;
    p.fillRect(rect(), kBackground);
    if (!data_ || !capture_) {
        p.setPen(QColor(120, 125, 135));
        p.drawText(rect(), Qt::AlignCenter,
                   tr("Open a capture (File → Open, or drop a trace.dat here)"));
        lastStats_ = stats;
        return;
    }
    const LaneKey key{viewT0_, nsPerPx_, size(), vscroll_->value()};
    if (!(key == lanesKey_)) {
        const qreal dpr = devicePixelRatioF();
        lanes_ = QPixmap(QSize(static_cast<int>(lanesWidth()), height() - kAxisHeight) * dpr);
        lanes_.setDevicePixelRatio(dpr);
        lanes_.fill(kBackground);
        QPainter lp(&lanes_);
        lp.translate(-kLabelWidth, -kAxisHeight);
        lanesStats_ = {};
        paintLanes(lp, lanesStats_);
        lanesKey_ = key;
    }
    stats.primitives += lanesStats_.primitives;
    stats.spansVisited += lanesStats_.spansVisited;
    p.drawPixmap(kLabelWidth, kAxisHeight, lanes_);
    p.setClipRect(
        QRect(kLabelWidth, kAxisHeight, static_cast<int>(lanesWidth()), height() - kAxisHeight));
    paintSelection(p, stats);
    paintFlowArrows(p, stats);
    paintMarkers(p);
    p.setClipping(false);
    paintLabels(p);
    paintAxis(p, stats);
    lastStats_ = stats;
    lastPaintMs_ = static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

void TimelineCanvas::paintLanes(QPainter& p, LodStats& stats) {
    const auto& rows = data_->layout.rows();
    const TimeMap map = timeMap();
    const double w = lanesWidth();
    const int bottom = height();
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p.setFont(small);
    // Vertical grid under everything, one line per axis tick.
    const std::int64_t step = niceStep(110 * nsPerPx_);
    p.setPen(kGrid);
    for (std::int64_t t = captureT0_ + ((viewT0_ - captureT0_) / step) * step; t <= viewEnd();
         t += step) {
        p.drawLine(QPointF(map.x(t), kAxisHeight), QPointF(map.x(t), bottom));
        ++stats.primitives;
    }
    const auto labelOf = [this](SpanId id) { return spanLabel(id); };
    const auto colorOf = [this](SpanId id) { return spanColor(id); };
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const int top = rowTop(static_cast<int>(r));
        const int h = rowGeometry_[r].height;
        if (top + h < kAxisHeight || top > bottom) {
            continue;
        }
        const auto& row = rows[r];
        const QColor base = MechanismColors::instance().color(row.mechanism);
        if (row.mechanism == Mechanism::Printk) {
            paintInstantMarks(p, data_->printsByCpu[static_cast<std::size_t>(row.cpu)], map, w,
                              top + 1, h - 2, base, stats);
            continue;
        }
        if (row.mechanism == Mechanism::Events) {
            paintEventDensity(p, capture_->store->cpu(row.cpu),
                              data_->eventSamples[static_cast<std::size_t>(row.cpu)], map, w,
                              top + 1, h - 2, base, stats);
            continue;
        }
        for (std::size_t t = 0; t < row.tracks.size(); ++t) {
            paintTrackLod(p, row.tracks[t], map, w, top + 2 + double(t) * kTrackHeight,
                          kTrackHeight - 2, base, colorOf, labelOf, stats);
        }
        p.setPen(kGrid);
        p.drawLine(QPointF(kLabelWidth, top + h - 0.5), QPointF(kLabelWidth + w, top + h - 0.5));
        ++stats.primitives;
    }
    paintGroupHeaders(p, stats);
    paintMissed(p, stats);
}

void TimelineCanvas::paintGroupHeaders(QPainter& p, LodStats& stats) {
    for (int g = 0; g < groupCount(); ++g) {
        const QRect band = groupHeaderRect(g);
        if (band.bottom() < kAxisHeight || band.top() > height()) {
            continue;
        }
        p.fillRect(QRect(kLabelWidth, band.top(), static_cast<int>(lanesWidth()), band.height()),
                   kGroupBand);
        ++stats.primitives;
    }
}

void TimelineCanvas::paintMissed(QPainter& p, LodStats& stats) {
    const TimeMap map = timeMap();
    const auto& groups = data_->layout.groups();
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const auto cpu = static_cast<std::size_t>(groups[g].cpu);
        if (cpu >= data_->missedByCpu.size()) {
            continue;
        }
        const auto& marks = data_->missedByCpu[cpu];
        const QRect band = groupHeaderRect(static_cast<int>(g));
        const int lastRow = groups[g].firstRow + groups[g].rowCount - 1;
        const int bottom = rowTop(lastRow) + rowGeometry_[static_cast<std::size_t>(lastRow)].height;
        // One mark per 4 px: jump to the first mark past the one just drawn.
        auto it = std::lower_bound(marks.begin(), marks.end(), viewT0_,
                                   [](const MissedMark& m, std::int64_t t) { return m.ts < t; });
        while (it != marks.end() && it->ts <= viewEnd()) {
            const double x = map.x(it->ts);
            p.setPen(QPen(kMissed, 1, Qt::DashLine));
            p.drawLine(QPointF(x, band.top()), QPointF(x, bottom));
            QPainterPath tri;
            tri.moveTo(x - 5, band.top() + 2);
            tri.lineTo(x + 5, band.top() + 2);
            tri.lineTo(x, band.top() + 11);
            tri.closeSubpath();
            p.fillPath(tri, kMissed);
            stats.primitives += 2;
            it = std::lower_bound(it + 1, marks.end(), map.t(x + 4),
                                  [](const MissedMark& m, std::int64_t t) { return m.ts < t; });
        }
    }
}

void TimelineCanvas::paintLabels(QPainter& p) {
    const auto& rows = data_->layout.rows();
    const auto& groups = data_->layout.groups();
    p.fillRect(QRect(0, kAxisHeight, kLabelWidth, height() - kAxisHeight), QColor(250, 251, 252));
    p.setClipRect(QRect(0, kAxisHeight, kLabelWidth, height() - kAxisHeight));
    QFont bold = font();
    bold.setBold(true);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const QRect band = groupHeaderRect(static_cast<int>(g));
        p.fillRect(QRect(0, band.top(), kLabelWidth, band.height()), kGroupBand);
        p.setFont(bold);
        p.setPen(kText);
        const auto events = capture_->store->cpu(groups[g].cpu).size();
        p.drawText(band.adjusted(8, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft,
                   cpuLabel(*capture_->store, groups[g].cpu));
        p.setFont(small);
        p.setPen(QColor(110, 115, 125));
        p.drawText(QRect(0, band.top(), kLabelWidth - 6, band.height()),
                   Qt::AlignVCenter | Qt::AlignRight, tr("%L1 ev").arg(events));
    }
    p.setFont(small);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const int top = rowTop(static_cast<int>(r));
        const int h = rowGeometry_[r].height;
        if (top + h < kAxisHeight || top > height()) {
            continue;
        }
        const QColor c = MechanismColors::instance().color(rows[r].mechanism);
        p.fillRect(QRect(14, top + h / 2 - 4, 8, 8), c);
        p.setPen(kText);
        p.drawText(QRect(28, top, kLabelWidth - 32, std::max(h, 14)),
                   Qt::AlignVCenter | Qt::AlignLeft, rows[r].label);
    }
    p.setClipping(false);
    p.setPen(QColor(210, 214, 220));
    p.drawLine(kLabelWidth - 1, kAxisHeight, kLabelWidth - 1, height());
}

void TimelineCanvas::paintAxis(QPainter& p, LodStats& stats) {
    const TimeMap map = timeMap();
    const double w = lanesWidth();
    p.fillRect(QRect(0, 0, width(), kAxisHeight), kAxisBand);
    p.setPen(QColor(205, 209, 216));
    p.drawLine(0, kAxisHeight - 1, width(), kAxisHeight - 1);
    const std::int64_t step = niceStep(110 * nsPerPx_);
    const std::int64_t minor = step / 5 > 0 ? step / 5 : step;
    p.setClipRect(QRect(kLabelWidth, 0, static_cast<int>(w), kAxisHeight));
    for (std::int64_t t = captureT0_ + ((viewT0_ - captureT0_) / minor - 1) * minor; t <= viewEnd();
         t += minor) {
        const double x = map.x(t);
        const bool major = (t - captureT0_) % step == 0;
        p.setPen(QColor(150, 155, 165));
        p.drawLine(QPointF(x, kAxisHeight - (major ? 9 : 4)), QPointF(x, kAxisHeight - 1));
        ++stats.primitives;
        if (major) {
            p.setPen(kText);
            p.drawText(QRectF(x + 3, 4, 200, 18), Qt::AlignLeft | Qt::AlignVCenter,
                       formatOffset(t - captureT0_, step));
            ++stats.primitives;
        }
    }
    // Marker flags and the delta between them.
    for (int i = 0; i < 2; ++i) {
        if (!markers_[i]) {
            continue;
        }
        const double x = map.x(*markers_[i]);
        QPainterPath flag;
        flag.moveTo(x, kAxisHeight - 1);
        flag.lineTo(x - 6, kAxisHeight - 12);
        flag.lineTo(x + 6, kAxisHeight - 12);
        flag.closeSubpath();
        p.fillPath(flag, kMarkerColor[i]);
        p.setPen(Qt::white);
        p.drawText(QRectF(x - 6, kAxisHeight - 13, 12, 11), Qt::AlignCenter, i == 0 ? "A" : "B");
    }
    p.setClipping(false);
    p.setPen(kText);
    QString corner = tr("view %1").arg(formatDuration(viewEnd() - viewT0_));
    if (markers_[0] && markers_[1]) {
        corner = tr("Δ A→B %1").arg(formatDuration(*markers_[1] - *markers_[0]));
    }
    p.drawText(QRect(8, 0, kLabelWidth - 12, kAxisHeight), Qt::AlignVCenter | Qt::AlignLeft,
               corner);
}

void TimelineCanvas::paintSelection(QPainter& p, LodStats& stats) {
    if (selectionRange_) {
        const TimeMap m = timeMap();
        const double a = m.x(selectionRange_->first);
        const double b = m.x(selectionRange_->second);
        p.fillRect(QRectF(a, kAxisHeight, b - a, height()), QColor(10, 100, 216, 40));
        p.setPen(QPen(kSelection, 1));
        p.drawLine(QPointF(a, kAxisHeight), QPointF(a, height()));
        p.drawLine(QPointF(b, kAxisHeight), QPointF(b, height()));
        stats.primitives += 3;
    }
    if (selectedEvent_) {
        const double x = timeMap().x(capture_->store->ts(*selectedEvent_));
        p.setPen(QPen(kSelection, 1, Qt::DashLine));
        p.drawLine(QPointF(x, kAxisHeight), QPointF(x, height()));
        ++stats.primitives;
    }
    if (selectedSpan_ == kNone || !capture_->analysis->hasSpan(selectedSpan_)) {
        return;
    }
    const Analysis& a = *capture_->analysis;
    p.setBrush(Qt::NoBrush);
    const auto episodes =
        selectedSpan_ < a.spans.size() ? a.episodesOf(selectedSpan_) : std::span<const EpisodeId>{};
    for (EpisodeId e : episodes) {
        p.setPen(QPen(QColor(30, 30, 30), 2));
        p.drawRect(spanRect(a.episodes[e].hardIrq).adjusted(-1, -1, 1, 1));
        for (const EpisodeLink& link : a.linksOf(e)) {
            p.drawRect(spanRect(link.span).adjusted(-1, -1, 1, 1));
            ++stats.primitives;
        }
    }
    p.setPen(QPen(kSelection, 2));
    p.fillRect(spanRect(selectedSpan_).adjusted(-1, -1, 1, 1), QColor(10, 100, 216, 35));
    p.drawRect(spanRect(selectedSpan_).adjusted(-1, -1, 1, 1));
    stats.primitives += 2;
}

void TimelineCanvas::paintArrow(QPainter& p, QPointF from, QPointF to, const QColor& color) {
    QPainterPath path(from);
    const double dx = std::max(12.0, std::abs(to.x() - from.x()) / 3);
    path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
    p.setPen(QPen(color, 1.6));
    p.setBrush(Qt::NoBrush);
    p.drawPath(path);
    QPainterPath head;
    head.moveTo(to);
    head.lineTo(to + QPointF(-8, -4));
    head.lineTo(to + QPointF(-8, 4));
    head.closeSubpath();
    p.fillPath(head, color);
}

void TimelineCanvas::paintFlowArrows(QPainter& p, LodStats& stats) {
    const Analysis& a = *capture_->analysis;
    if (a.episodes.empty()) {
        return;
    }
    p.setRenderHint(QPainter::Antialiasing, true);
    const TimeMap m = timeMap();
    const auto arrowsOf = [&](EpisodeId e, const QColor& color) {
        const Episode& ep = a.episodes[e];
        const QRectF top = spanRect(ep.hardIrq);
        for (const EpisodeLink& link : a.linksOf(e)) {
            const QRectF bottom = spanRect(link.span);
            if (top.isNull() || bottom.isNull()) {
                continue;
            }
            const double fromX = link.triggerTs >= 0 ? m.x(link.triggerTs) : top.right();
            paintArrow(p, QPointF(fromX, top.center().y()),
                       QPointF(bottom.left(), bottom.center().y()), color);
            stats.primitives += 2;
        }
    };
    // Every episode starting in view while few enough are in view to read.
    const auto first =
        std::partition_point(a.episodes.begin(), a.episodes.end(),
                             [&](const Episode& e) { return a.spans[e.hardIrq].start < viewT0_; });
    const auto last = std::partition_point(first, a.episodes.end(), [&](const Episode& e) {
        return a.spans[e.hardIrq].start <= viewEnd();
    });
    if (last - first <= 60) {
        for (auto it = first; it != last; ++it) {
            arrowsOf(static_cast<EpisodeId>(it - a.episodes.begin()), QColor(90, 90, 100, 150));
        }
    }
    if (selectedSpan_ != kNone && selectedSpan_ < a.spans.size()) {
        for (EpisodeId e : a.episodesOf(selectedSpan_)) {
            arrowsOf(e, QColor(20, 20, 20));
        }
    }
    p.setRenderHint(QPainter::Antialiasing, false);
}

void TimelineCanvas::paintMarkers(QPainter& p) {
    for (int i = 0; i < 2; ++i) {
        if (markers_[i]) {
            const double x = timeMap().x(*markers_[i]);
            p.setPen(QPen(kMarkerColor[i], 1.5));
            p.drawLine(QPointF(x, kAxisHeight), QPointF(x, height()));
        }
    }
}

QString TimelineCanvas::tooltipAt(QPoint pos) const {
    if (!capture_ || !data_) {
        return {};
    }
    const SpanId id = hitTest(pos);
    if (id != kNone) {
        const Span s = capture_->analysis->spanAt(id);
        const auto& row = data_->layout.rows()[data_->layout.placeOf(id).row];
        QString text = QStringLiteral("<b>%1</b> &nbsp;%2<br>")
                           .arg(mechanismLabel(row.mechanism), spanLabel(id).toHtmlEscaped());
        text += tr("%1 · start +%2<br>duration %3")
                    .arg(cpuLabel(*capture_->store, s.cpu))
                    .arg(formatDuration(s.start - captureT0_), formatDuration(s.duration()));
        if (s.latencyKnown()) {
            text +=
                tr("<br>latency %1 <i>(%2)</i>")
                    .arg(formatDuration(s.latency()), latencyDefinition(s.kind).toHtmlEscaped());
        }
        if (s.flags & SpanFlag::OpenStart) {
            text += tr("<br>began before the capture");
        }
        if (s.flags & SpanFlag::OpenEnd) {
            text += tr("<br>still running at capture end");
        }
        if (s.flags & SpanFlag::CrossesDrop) {
            text += tr("<br><font color=#c81e1e>events were lost inside this span</font>");
        }
        return text;
    }
    if (pos.y() < kAxisHeight) {
        return {};
    }
    if (pos.x() < kLabelWidth) {
        // A lane's name: what that mechanism is (the core's definition).
        const int row = rowAtY(pos.y());
        return row >= 0 && rowLabelRect(row).contains(pos)
                   ? mechanismTooltip(data_->layout.rows()[static_cast<std::size_t>(row)].mechanism)
                   : QString();
    }
    if (const auto mark = printMarkAt(pos)) {
        const EventStore& store = *capture_->store;
        return tr("<b>%1</b> &nbsp;+%2<br>%3")
            .arg(QString::fromStdString(store.type(store.event(*mark).type).name),
                 formatDuration(store.ts(*mark) - captureT0_),
                 eventInfo(store, *mark)
                     .toHtmlEscaped()
                     .replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    }
    // Missed-event marks in a group header.
    for (int g = 0; g < groupCount(); ++g) {
        if (!groupHeaderRect(g).contains(pos)) {
            continue;
        }
        const int cpu = data_->layout.groups()[static_cast<std::size_t>(g)].cpu;
        const auto& marks = data_->missedByCpu[static_cast<std::size_t>(cpu)];
        const std::int64_t t = timeMap().t(pos.x() - 5);
        auto m = std::lower_bound(marks.begin(), marks.end(), t,
                                  [](const MissedMark& mm, std::int64_t tt) { return mm.ts < tt; });
        if (m != marks.end() && std::abs(timeMap().x(m->ts) - pos.x()) <= 5) {
            const QString at = formatDuration(m->ts - captureT0_);
            return m->count >= 0 ? tr("%L1 events lost before +%2").arg(m->count).arg(at)
                                 : tr("events lost (count unknown) before +%1").arg(at);
        }
    }
    return {};
}

QString latencyDefinition(SpanKind kind) {
    // The bottom halves' latencies are defined once, in core/stats/mechanism.h.
    const auto mechanism = irqlens::mechanismOf(kind);
    const auto metric = mechanism ? irqlens::waitMetricOf(*mechanism) : std::nullopt;
    if (metric) {
        return definitionText(*metric);
    }
    return kind == SpanKind::Task ? QObject::tr("sched_waking → switched in")
                                  : QObject::tr("trigger → start");
}

} // namespace irqlens::gui
