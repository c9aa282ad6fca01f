// The Latency view: pick a group (mechanism → key → metric) and see its
// log-binned histogram, its CDF and its percentiles; click a bin or the CDF
// tail to list those spans, double-click one to see it on the timeline.
#pragma once

#include "app/gui/latency/group_cache.h"

#include <QWidget>
#include <memory>

class QCheckBox;
class QLabel;
class QSpinBox;

namespace irqlens::gui {

class CaptureSession;
class CdfPlot;
class GroupTree;
class HistogramPlot;
class PercentileTable;
class SpanList;

class LatencyView : public QWidget {
    Q_OBJECT
public:
    explicit LatencyView(CaptureSession* session, QWidget* parent = nullptr);

    // Shows group `index` of the current capture (plots redraw at once).
    void showGroup(int index);
    int currentGroup() const { return group_; }
    const CaptureGroups* groups() const { return groups_.get(); }

    HistogramPlot* histogram() const { return histogram_; }
    CdfPlot* cdf() const { return cdf_; }
    PercentileTable* percentileTable() const { return table_; }
    SpanList* spanList() const { return spans_; }
    GroupTree* groupTree() const { return tree_; }

public slots:
    void reload(); // rereads the session's current capture

private:
    QWidget* buildPlots();
    QWidget* buildTables();
    void listBin(double lowNs, double highNs, int bin);
    void listTail(double fromNs);
    void showSpan(irqlens::SpanId span, qint64 startNs, qint64 endNs);

    CaptureSession* session_;
    std::shared_ptr<const CaptureGroups> groups_;
    int group_ = -1;
    QLabel* title_ = nullptr;
    QLabel* spansTitle_ = nullptr;
    GroupTree* tree_ = nullptr;
    HistogramPlot* histogram_ = nullptr;
    CdfPlot* cdf_ = nullptr;
    PercentileTable* table_ = nullptr;
    SpanList* spans_ = nullptr;
    QSpinBox* bins_ = nullptr;
    QCheckBox* logCounts_ = nullptr;
    QCheckBox* tail_ = nullptr;
};

} // namespace irqlens::gui
