// The "timeline" view: the per-CPU timeline, the event table under it and the
// details panel beside it, kept in sync through the CaptureSession.
#pragma once

#include "app/gui/capture_session.h"
#include "app/gui/timeline/event_filter.h"

#include <QWidget>
#include <atomic>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QTableView;
class QTimer;
class QToolBar;

namespace irqlens::gui {

class DetailsPanel;
class EventTableModel;
class LegendBar;
class TimelineCanvas;
struct TimelineData;

class TimelineView : public QWidget {
    Q_OBJECT
public:
    explicit TimelineView(CaptureSession* session, QWidget* parent = nullptr);
    ~TimelineView() override;

    TimelineCanvas* canvas() const { return canvas_; }
    QTableView* table() const { return table_; }
    EventTableModel* model() const { return model_; }
    DetailsPanel* details() const { return details_; }

    void setFilter(const EventFilter& filter); // also fills the filter bar
    bool filterRunning() const;

signals:
    void filterFinished();

private:
    QToolBar* buildToolBar();
    QWidget* buildFilterBar();
    void onCaptureChanged();
    bool growLive(); // the same live capture grown: true when handled
    void onSpanSelected(SpanId id);
    void onEventSelected(EventRef ref);
    void onTableRowChanged();
    void selectTableRow(EventRef ref);
    void startFilter();
    void findNext();
    void updateMarkerLabel();
    void updateCountLabel();
    void followView(); // scrolls the table to the view's start when nothing is selected

    CaptureSession* session_;
    std::shared_ptr<const LoadedCapture> capture_;
    std::shared_ptr<const TimelineData> data_;
    TimelineCanvas* canvas_ = nullptr;
    DetailsPanel* details_ = nullptr;
    QTableView* table_ = nullptr;
    EventTableModel* model_ = nullptr;
    LegendBar* legend_ = nullptr;
    QLabel* markerLabel_ = nullptr;
    QLabel* countLabel_ = nullptr;
    QLabel* truncationBanner_ = nullptr; // shown for a capture cut short
    QProgressBar* filterProgress_ = nullptr;
    QComboBox* cpuFilter_ = nullptr;
    QLineEdit* taskFilter_ = nullptr;
    QLineEdit* eventFilter_ = nullptr;
    QLineEdit* fieldFilter_ = nullptr;
    QLineEdit* search_ = nullptr;
    QTimer* filterDelay_ = nullptr;
    QTimer* followDelay_ = nullptr;
    std::shared_ptr<std::atomic<bool>> filterCancel_;
    int filterGeneration_ = 0;
    bool syncing_ = false;
};

} // namespace irqlens::gui
