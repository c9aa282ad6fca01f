// The Compare view: two latency groups — from two captures (the session's
// current and comparison captures) or two groups of one capture — overlaid
// on one log axis, with a table of percentile differences and bootstrap
// confidence intervals.
#pragma once

#include "app/gui/latency/group_cache.h"

#include <QFutureWatcher>
#include <QWidget>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

namespace irqlens::gui {

class CaptureSession;
class CdfPlot;
class DeltaTable;
class HistogramPlot;

struct DeltaPair {
    DeltaCi p50, p99;
};

class CompareView : public QWidget {
    Q_OBJECT
public:
    // Above this many values in A and B together, the bootstrap runs in the
    // background and the table says "computing…" until it is done.
    static constexpr std::size_t kSyncBootstrapLimit = 200'000;

    explicit CompareView(CaptureSession* session, QWidget* parent = nullptr);

    // Compares group `a` of side A's source with group `b` of side B's source.
    void setPair(int a, int b);
    std::pair<int, int> pair() const { return {groupA_, groupB_}; }
    const CaptureGroups* groupsA() const { return sideA_.groups.get(); }
    const CaptureGroups* groupsB() const { return sideB_.groups.get(); }
    bool statisticsReady() const {
        return !watcher_.isRunning() || pendingGeneration_ != generation_;
    }

    HistogramPlot* histogram() const { return histogram_; }
    CdfPlot* cdf() const { return cdf_; }
    DeltaTable* deltaTable() const { return table_; }

public slots:
    void reload(); // rereads the session's captures and picks the default pair
    // Blocks until the confidence intervals are computed (screenshots, tests).
    void waitUntilIdle();

signals:
    void statisticsUpdated();

private:
    struct Side {
        QComboBox* source = nullptr;
        QComboBox* group = nullptr;
        std::shared_ptr<const CaptureGroups> groups;
    };
    QWidget* buildSide(Side& side, const QString& name, const QColor& color);
    QWidget* buildPlots();
    void fillSources();
    void sourceChanged(Side& side);
    void fillGroupCombo(Side& side);
    void redraw();
    void startBootstrap();
    QString seriesName(const Side& side, int group, const QString& letter) const;

    CaptureSession* session_;
    Side sideA_, sideB_;
    int groupA_ = -1, groupB_ = -1;
    bool updating_ = false;
    QLabel* note_ = nullptr;
    HistogramPlot* histogram_ = nullptr;
    CdfPlot* cdf_ = nullptr;
    DeltaTable* table_ = nullptr;
    QSpinBox* bins_ = nullptr;
    QCheckBox* tail_ = nullptr;
    QFutureWatcher<DeltaPair> watcher_;
    int generation_ = 0;         // bumped on every pair change
    int pendingGeneration_ = -1; // the pair the running bootstrap is for
};

} // namespace irqlens::gui
