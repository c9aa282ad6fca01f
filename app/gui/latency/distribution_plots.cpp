#include "app/gui/latency/distribution_plots.h"

#include "app/gui/latency/axis_format.h"
#include "app/gui/time_format.h"

#include <algorithm>
#include <cmath>

namespace irqlens::gui {

namespace {

// Tick labels as percentages ("1 %", "0.01 %") on a linear or log axis.
template <typename Base> class PercentTicker : public Base {
protected:
    QString getTickLabel(double tick, const QLocale&, QChar, int) override {
        const double percent = tick * 100;
        int decimals = 0;
        for (double p = std::fabs(percent); p > 0 && p < 1 && decimals < 6; p *= 10)
            ++decimals;
        return QString::number(percent, 'f', decimals) + QStringLiteral(" %");
    }
};

void styleCommon(QCustomPlot* plot, QCPTextElement** title) {
    plot->setNoAntialiasingOnDrag(true);
    plot->setBackground(Qt::white);
    plot->plotLayout()->insertRow(0);
    *title = new QCPTextElement(plot, QString(), QFont(plot->font().family(), 10, QFont::Bold));
    plot->plotLayout()->addElement(0, 0, *title);
    // The legend goes below the axes, in a row of its own, so it never hides
    // a bar, the curve's tail or a percentile label.
    plot->legend->setVisible(true);
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->axisRect()->insetLayout()->simplify();
    plot->plotLayout()->addElement(2, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(2, 0.001);
    plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot->legend->setBrush(Qt::NoBrush);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setMargins(QMargins(6, 0, 6, 4));
    plot->xAxis2->setVisible(false);
    plot->yAxis2->setVisible(false);
}

void addMarker(QCustomPlot* plot, const PlotMarker& marker, int row) {
    // Where the line is across the (log) x range: labels near the right edge
    // go on the line's left so they are not clipped.
    const QCPRange range = plot->xAxis->range();
    const double where =
        std::log(std::max(marker.ns, 1.0) / range.lower) / std::log(range.upper / range.lower);
    const bool leftOfLine = where > 0.72;
    auto* line = new QCPItemStraightLine(plot);
    line->point1->setCoords(marker.ns, 0);
    line->point2->setCoords(marker.ns, 1);
    QPen pen(marker.color, 1, Qt::DashLine);
    line->setPen(pen);
    line->setSelectable(false);
    auto* text = new QCPItemText(plot);
    text->position->setTypeX(QCPItemPosition::ptPlotCoords);
    text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    text->position->setCoords(marker.ns, 0.02 + 0.06 * row);
    text->setPositionAlignment((leftOfLine ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
    text->setPadding(QMargins(3, 0, 3, 0));
    text->setText(marker.label + QLatin1Char(' ') + formatDuration(marker.ns));
    text->setColor(marker.color.darker(130));
    text->setBrush(QColor(255, 255, 255, 140));
    text->setSelectable(false);
}

// Percentile lines are items: replacing them needs no rebinning.
void redrawMarkers(QCustomPlot* plot, const std::vector<PlotMarker>& markers) {
    plot->clearItems();
    if (plot->graphCount() > 0) {
        for (std::size_t i = 0; i < markers.size(); ++i)
            addMarker(plot, markers[i], static_cast<int>(i));
    }
    plot->replot();
}

double displayX(std::int64_t ns) {
    return std::max<double>(1.0, static_cast<double>(ns));
}

} // namespace

// ---------------------------------------------------------------- histogram

HistogramPlot::HistogramPlot(QWidget* parent) : QCustomPlot(parent) {
    styleCommon(this, &title_);
    setupLogTimeAxis(xAxis, QString());
    setMinimumSize(320, 220);
}

void HistogramPlot::setTitle(const QString& title) {
    title_->setText(title);
}

void HistogramPlot::setSeries(std::vector<PlotSeries> series, const QString& axisLabel,
                              bool normalized) {
    series_ = std::move(series);
    axisLabel_ = axisLabel;
    normalized_ = normalized;
    rebuild();
}

void HistogramPlot::setMarkers(const std::vector<PlotMarker>& markers) {
    markers_ = markers;
    redrawMarkers(this, markers_);
}

void HistogramPlot::setBinsPerDecade(int bins) {
    binsPerDecade_ = std::clamp(bins, 1, 100);
    rebuild();
}

void HistogramPlot::setLogCounts(bool log) {
    logCounts_ = log;
    rebuild();
}

void HistogramPlot::rebuild() {
    clearGraphs();
    clearItems();
    histograms_.clear();
    std::int64_t maxNs = 1;
    for (const PlotSeries& s : series_) {
        if (s.values && !s.values->values().empty())
            maxNs = std::max(maxNs, s.values->values().back());
    }
    std::size_t lo = SIZE_MAX, hi = 0;
    for (const PlotSeries& s : series_) {
        histograms_.push_back(s.values && !s.values->values().empty()
                                  ? logHistogram(*s.values, binsPerDecade_, 1, maxNs)
                                  : Histogram{});
        const auto& counts = histograms_.back().counts;
        for (std::size_t i = 0; i < counts.size(); ++i) {
            if (counts[i] > 0) {
                lo = std::min(lo, i);
                hi = std::max(hi, i);
            }
        }
    }
    xAxis->setLabel(axisLabel_ + QStringLiteral(" (log scale)"));
    yAxis->setLabel(normalized_ ? QStringLiteral("Share of spans per bin")
                                : QStringLiteral("Spans per bin"));
    yAxis->setScaleType(logCounts_ ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (normalized_)
        yAxis->setTicker(logCounts_
                             ? QSharedPointer<QCPAxisTicker>(new PercentTicker<QCPAxisTickerLog>)
                             : QSharedPointer<QCPAxisTicker>(new PercentTicker<QCPAxisTicker>));
    else
        yAxis->setTicker(logCounts_ ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog)
                                    : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    if (lo == SIZE_MAX) { // nothing to draw
        replot();
        return;
    }
    double peak = 0, floor = 0.5;
    for (std::size_t s = 0; s < series_.size(); ++s) {
        const Histogram& h = histograms_[s];
        if (h.counts.empty())
            continue;
        const double total = static_cast<double>(series_[s].values->values().size());
        const double scale = normalized_ ? 1.0 / total : 1.0;
        if (normalized_)
            floor = std::min(floor, 0.5 / total);
        QVector<double> keys, heights;
        keys.push_back(h.edges[lo]);
        heights.push_back(0);
        for (std::size_t i = lo; i <= hi && i < h.counts.size(); ++i) {
            keys.push_back(h.edges[i]);
            heights.push_back(static_cast<double>(h.counts[i]) * scale);
            peak = std::max(peak, heights.back());
        }
        keys.push_back(h.edges[std::min(hi + 1, h.edges.size() - 1)]);
        heights.push_back(0);
        QCPGraph* graph = addGraph();
        graph->setName(series_[s].name);
        graph->setLineStyle(QCPGraph::lsStepLeft);
        graph->setPen(QPen(series_[s].color, 1.6));
        QColor fill = series_[s].color;
        fill.setAlpha(series_.size() > 1 ? 70 : 110);
        graph->setBrush(fill);
        graph->setData(keys, heights, true);
    }
    if (logCounts_) {
        for (int g = 0; g < graphCount(); ++g) {
            for (auto it = graph(g)->data()->begin(); it != graph(g)->data()->end(); ++it)
                it->value = std::max(it->value, floor * 0.8);
        }
        yAxis->setRange(floor * 0.8, peak * 2);
    } else {
        yAxis->setRange(0, peak * 1.18);
    }
    const Histogram& h0 =
        histograms_.front().counts.empty() ? histograms_.back() : histograms_.front();
    xAxis->setRange(h0.edges[lo] / 1.4, h0.edges[std::min(hi + 1, h0.edges.size() - 1)] * 1.4);
    for (std::size_t i = 0; i < markers_.size(); ++i)
        addMarker(this, markers_[i], static_cast<int>(i));
    replot();
}

std::vector<double> HistogramPlot::plottedHeights(std::size_t series) const {
    std::vector<double> heights;
    if (series >= histograms_.size() || static_cast<int>(series) >= graphCount())
        return heights;
    const Histogram& h = histograms_[series];
    heights.assign(h.counts.size(), 0);
    const auto points = graph(static_cast<int>(series))->data();
    // Points 1 .. n-2 are the bins (point 0 and the last close the outline).
    for (int i = 1; i + 1 < points->size(); ++i) {
        const auto point = points->at(i);
        const int bin = binAt(point->key);
        const bool floorValue = logCounts_ && point->value < 0.5 && !normalized_;
        if (bin >= 0)
            heights[static_cast<std::size_t>(bin)] = floorValue ? 0 : point->value;
    }
    return heights;
}

int HistogramPlot::binAt(double x) const {
    if (histograms_.empty() || histograms_.front().counts.empty())
        return -1;
    const auto& edges = histograms_.front().edges;
    if (x < edges.front() || x >= edges.back())
        return -1;
    const auto it = std::upper_bound(edges.begin(), edges.end(), x);
    return static_cast<int>(it - edges.begin()) - 1;
}

QPoint HistogramPlot::binCenter(std::size_t bin) const {
    const auto& edges = histograms_.front().edges;
    const double mid = std::sqrt(edges[bin] * edges[bin + 1]);
    return {static_cast<int>(std::lround(xAxis->coordToPixel(mid))), axisRect()->center().y()};
}

void HistogramPlot::mousePressEvent(QMouseEvent* event) {
    QCustomPlot::mousePressEvent(event);
    if (event->button() != Qt::LeftButton || !axisRect()->rect().contains(event->pos()))
        return;
    const int bin = binAt(xAxis->pixelToCoord(event->pos().x()));
    if (bin < 0)
        return;
    const auto& edges = histograms_.front().edges;
    emit binClicked(edges[static_cast<std::size_t>(bin)], edges[static_cast<std::size_t>(bin) + 1],
                    bin);
}

// ---------------------------------------------------------------------- CDF

CdfPlot::CdfPlot(QWidget* parent) : QCustomPlot(parent) {
    styleCommon(this, &title_);
    setupLogTimeAxis(xAxis, QString());
    setMinimumSize(320, 220);
}

void CdfPlot::setTitle(const QString& title) {
    title_->setText(title);
}

void CdfPlot::setSeries(std::vector<PlotSeries> series, const QString& axisLabel) {
    series_ = std::move(series);
    axisLabel_ = axisLabel;
    rebuild();
}

void CdfPlot::setMarkers(const std::vector<PlotMarker>& markers) {
    markers_ = markers;
    redrawMarkers(this, markers_);
}

void CdfPlot::setTailMode(bool tail) {
    tail_ = tail;
    rebuild();
}

const std::vector<CdfPoint>& CdfPlot::cdfOf(const std::shared_ptr<const SortedSeries>& series) {
    // Going back and forth between groups (and toggling the tail view) reuses
    // the curve instead of walking a million values again.
    for (const auto& [weak, points] : cdfCache_) {
        if (weak.lock() == series)
            return points;
    }
    if (cdfCache_.size() >= 8)
        cdfCache_.erase(cdfCache_.begin());
    cdfCache_.emplace_back(series, empiricalCdf(*series));
    return cdfCache_.back().second;
}

double CdfPlot::yOf(double fraction, std::size_t count) const {
    if (!tail_)
        return fraction;
    // The last point has 1 − CDF = 0, which a log axis cannot show: draw it
    // half a span below the smallest visible tail.
    return std::max(1.0 - fraction, 0.5 / static_cast<double>(std::max<std::size_t>(count, 1)));
}

void CdfPlot::rebuild() {
    clearGraphs();
    clearItems();
    points_.clear();
    double minX = 0, maxX = 0, minY = 1;
    for (const PlotSeries& s : series_) {
        points_.push_back(s.values && !s.values->values().empty() ? empiricalCdf(*s.values)
                                                                  : std::vector<CdfPoint>{});
        const auto& pts = points_.back();
        if (pts.empty())
            continue;
        const std::size_t n = s.values->values().size();
        QVector<double> keys, ys;
        keys.reserve(static_cast<int>(pts.size()) + 1);
        ys.reserve(static_cast<int>(pts.size()) + 1);
        keys.push_back(displayX(pts.front().x));
        ys.push_back(tail_ ? 1.0 : 0.0); // the curve rises from the first value
        for (const CdfPoint& p : pts) {
            keys.push_back(displayX(p.x));
            ys.push_back(yOf(p.fraction, n));
        }
        minX = minX == 0 ? keys.front() : std::min(minX, keys.front());
        maxX = std::max(maxX, keys.back());
        minY = std::min(minY, 0.5 / static_cast<double>(n));
        QCPGraph* graph = addGraph();
        graph->setName(s.name);
        graph->setLineStyle(QCPGraph::lsStepLeft);
        graph->setPen(QPen(s.color, 2));
        graph->setData(keys, ys, true);
    }
    xAxis->setLabel(axisLabel_ + QStringLiteral(" (log scale)"));
    if (tail_) {
        yAxis->setScaleType(QCPAxis::stLogarithmic);
        yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new PercentTicker<QCPAxisTickerLog>));
        yAxis->setLabel(QStringLiteral("Spans slower than x (1 − CDF, log)"));
        yAxis->setRange(minY * 0.7, 1.3);
    } else {
        yAxis->setScaleType(QCPAxis::stLinear);
        yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new PercentTicker<QCPAxisTicker>));
        yAxis->setLabel(QStringLiteral("Spans at or below x (CDF)"));
        yAxis->setRange(0, 1.04);
    }
    if (maxX > 0)
        xAxis->setRange(minX / 1.4, maxX * 1.4);
    for (std::size_t i = 0; i < markers_.size(); ++i)
        addMarker(this, markers_[i], static_cast<int>(i));
    replot();
}

QPoint CdfPlot::pointPosition(std::size_t series, std::size_t index) const {
    const CdfPoint& p = points_[series][index];
    const std::size_t n = series_[series].values->values().size();
    return {static_cast<int>(std::lround(xAxis->coordToPixel(displayX(p.x)))),
            static_cast<int>(std::lround(yAxis->coordToPixel(yOf(p.fraction, n))))};
}

void CdfPlot::mousePressEvent(QMouseEvent* event) {
    QCustomPlot::mousePressEvent(event);
    if (event->button() != Qt::LeftButton || points_.empty() || points_.front().empty() ||
        !axisRect()->rect().contains(event->pos()))
        return;
    // The nearest point of series 0 in pixels; the view lists the spans at or
    // above its value, i.e. the tail from there on.
    const auto& pts = points_.front();
    std::size_t best = 0;
    double bestDistance = 1e300;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        const QPointF d = pointPosition(0, i) - event->position();
        const double distance = d.x() * d.x() + d.y() * d.y();
        if (distance < bestDistance) {
            bestDistance = distance;
            best = i;
        }
    }
    emit tailClicked(static_cast<double>(pts[best].x));
}

} // namespace irqlens::gui
