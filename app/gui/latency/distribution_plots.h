// The two plots of a latency distribution on a log time axis: a histogram
// with logarithmic bins and an empirical CDF (or its tail, 1 − CDF).  Each
// takes one series (latency view) or two overlaid series (compare view), and
// reports clicks as value ranges so the view can list the spans behind them.
#pragma once

#include "core/stats/distribution.h"

#include <QColor>
#include <QString>
#include <memory>
#include <qcustomplot.h>
#include <vector>

namespace irqlens::gui {

struct PlotSeries {
    QString name; // legend text
    QColor color;
    std::shared_ptr<const SortedSeries> values;
};

struct PlotMarker {
    QString label; // "p50"
    double ns = 0;
    QColor color{0x55, 0x55, 0x55};
};

class HistogramPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit HistogramPlot(QWidget* parent = nullptr);

    // Rebins and redraws at once.  `normalized` plots the fraction of each
    // series per bin (for overlays of series of different sizes).
    void setSeries(std::vector<PlotSeries> series, const QString& axisLabel, bool normalized);
    void setMarkers(const std::vector<PlotMarker>& markers);
    void setTitle(const QString& title);
    void setBinsPerDecade(int bins);
    int binsPerDecade() const { return binsPerDecade_; }
    void setLogCounts(bool log);

    // The histograms currently drawn (all series share the same edges).
    const std::vector<Histogram>& histograms() const { return histograms_; }
    // Bin heights as drawn in the plot for series i, read back from the graph.
    std::vector<double> plottedHeights(std::size_t series) const;
    // Pixel position of the middle of bin `bin` (for tests and tooltips).
    QPoint binCenter(std::size_t bin) const;

signals:
    // Left click on a bin: its value range [lowNs, highNs), its index and count of series 0.
    void binClicked(double lowNs, double highNs, int bin);

protected:
    void mousePressEvent(QMouseEvent* event) override;

private:
    void rebuild();
    int binAt(double x) const;

    std::vector<PlotSeries> series_;
    std::vector<Histogram> histograms_;
    std::vector<PlotMarker> markers_;
    QString axisLabel_;
    QCPTextElement* title_ = nullptr;
    bool normalized_ = false;
    bool logCounts_ = false;
    int binsPerDecade_ = 10;
};

class CdfPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit CdfPlot(QWidget* parent = nullptr);

    void setSeries(std::vector<PlotSeries> series, const QString& axisLabel);
    void setMarkers(const std::vector<PlotMarker>& markers);
    void setTitle(const QString& title);
    // Tail mode plots 1 − CDF on a log axis, where the rare slow spans show.
    void setTailMode(bool tail);
    bool tailMode() const { return tail_; }

    // The drawn CDF points of series i (x ns, fraction <= x).
    const std::vector<CdfPoint>& points(std::size_t series) const { return points_[series]; }
    QPoint pointPosition(std::size_t series, std::size_t index) const;

signals:
    // Left click near the curve of series 0: the value of the nearest point;
    // the view lists the spans at or above it (the tail).
    void tailClicked(double fromNs);

protected:
    void mousePressEvent(QMouseEvent* event) override;

private:
    void rebuild();
    double yOf(double fraction, std::size_t count) const;

    std::vector<PlotSeries> series_;
    std::vector<std::vector<CdfPoint>> points_;
    std::vector<PlotMarker> markers_;
    QString axisLabel_;
    QCPTextElement* title_ = nullptr;
    bool tail_ = false;
};

} // namespace irqlens::gui
