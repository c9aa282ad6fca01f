// The Overview tab, the first one a capture opens on: what happened to each
// interrupt (core/overview/overview.h) — one row per interrupt source with
// its count, the bottom halves it used, a bar of its median stages drawn to
// one scale for all rows, and the sentence of its typical path; below, the
// selected source's links (its slowest episode on the timeline, its latency
// groups, its stacks) and "Why was this one slow?" for its slowest episode or
// the episode selected anywhere else.  Talks to the other views only through
// the CaptureSession.
#pragma once

#include "app/gui/capture_session.h"
#include "core/overview/overview.h"

#include <QWidget>
#include <memory>

class QLabel;
class QMenu;
class QPushButton;
class QSplitter;
class QTableWidget;

namespace irqlens::gui {

class StageBarDelegate;
class WaitPanel;

class OverviewView : public QWidget {
    Q_OBJECT
public:
    explicit OverviewView(CaptureSession* session, QWidget* parent = nullptr);

    const Overview* overview() const { return overview_.get(); }
    QTableWidget* table() const { return table_; }
    WaitPanel* waitPanel() const { return wait_; }
    StageBarDelegate* stageBars() const { return bars_; }
    // The selected source (index into overview()->sources), -1 for none.
    int currentSource() const;
    void selectSource(int source);
    int rowOfSource(int source) const;

    // Every source as CSV (the columns of `irqlens-cli explain --csv`).
    QString csv() const;
    // The selected rows with the same columns, tab-separated (the clipboard).
    QString tsv() const;
    // The selected rows' sentences, one per line (every row when none is selected).
    QString sentences() const;

public slots:
    void reload();
    void showSlowestEpisode(); // of the selected source, on the timeline
    void showLatencyGroup(bool bottomHalfWait);
    void showStacks();
    void exportCsv();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* buildTop();
    QWidget* buildDetails();
    void fillTable();
    void fitTable();
    void addHeaderRow(int row, const QString& title, const QString& tooltip);
    void addSourceRow(int row, int source);
    void onCurrentRowChanged();
    void onSpanSelected(SpanId span);
    void updateLegend();
    QMenu* buildMenu();
    QString rows(bool selectedOnly, bool tabs) const;

    CaptureSession* session_;
    std::shared_ptr<const LoadedCapture> capture_;
    std::unique_ptr<Overview> overview_;
    std::vector<int> rowSource_; // table row -> source index, -1 for group headers
    QSplitter* split_ = nullptr;
    QLabel* summary_ = nullptr;
    QLabel* legend_ = nullptr;
    QTableWidget* table_ = nullptr;
    StageBarDelegate* bars_ = nullptr;
    QLabel* sentence_ = nullptr;
    QPushButton* slowest_ = nullptr;
    QPushButton* endToEnd_ = nullptr;
    QPushButton* waitGroup_ = nullptr;
    QPushButton* stacks_ = nullptr;
    WaitPanel* wait_ = nullptr;
};

} // namespace irqlens::gui
