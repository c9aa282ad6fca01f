// The event table: a virtual model over the global event order (never one
// item per event).  Optional filtered rows map table rows to order rows.
// The info column is decoded on demand and cached for the rows people look at.
//
// A live capture's table shows a window of at most kLiveRows rows of the
// order: a QTableView's header keeps 8 bytes per row and walks all of them
// each time rows are added, which at 40 M events was half of the GUI
// thread's time per live picture.  The window follows the newest events
// until the user picks a row; an event chosen elsewhere (timeline, search)
// moves the window to it.  A loaded capture shows every row.
#pragma once

#include "app/gui/capture_session.h"
#include "app/gui/timeline/timeline_data.h"

#include <QAbstractTableModel>
#include <QCache>
#include <memory>
#include <optional>
#include <vector>

namespace irqlens::gui {

class EventTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time = 0, Cpu, Task, Event, Info, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setCapture(std::shared_ptr<const LoadedCapture> capture,
                    std::shared_ptr<const TimelineData> data);
    static constexpr std::size_t kLiveRows = 200'000;
    void setLiveWindow(std::size_t rows) { liveRows_ = rows; } // tests: a small window

    // The same live capture grown (its data extended in place): the new rows
    // are announced by rowsInserted, the view keeps its scroll and selection.
    // `follow`: a full live window slides to the newest rows (the oldest
    // are removed); otherwise it keeps its rows.
    void grow(std::shared_ptr<const LoadedCapture> capture, bool follow = true);
    // A live window that does not hold `ref` is moved to hold it (centred).
    // False when no shown row can be `ref` (unknown, filtered out).
    bool showRef(EventRef ref);
    // The order rows shown, [first, end) (a live window; else all of them).
    std::size_t windowFirst() const { return first_; }
    std::size_t windowEnd() const { return end_; }
    // nullopt: every event; otherwise ascending rows of the event order.
    void setFilteredRows(std::optional<std::vector<std::uint32_t>> rows);
    bool isFiltered() const { return filtered_.has_value(); }

    EventRef refAt(int row) const;
    int rowOf(EventRef ref) const;       // -1 when filtered out or unknown
    int rowAtTime(std::int64_t t) const; // first shown row at or after t

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::size_t orderRow(int row) const;
    bool windowed() const { return capture_ && capture_->live; }
    void moveWindow(std::size_t first, std::size_t end); // a reset

    std::shared_ptr<const LoadedCapture> capture_;
    std::shared_ptr<const TimelineData> data_;
    std::optional<std::vector<std::uint32_t>> filtered_;
    // Rows of the event order shown, [first_, end_) when not filtered: a live
    // order grows before the model says so (rowsInserted), and rowCount()
    // must not run ahead of that.
    std::size_t first_ = 0, end_ = 0;
    std::size_t liveRows_ = kLiveRows;
    mutable QCache<quint64, QString> infoCache_{4096};
};

} // namespace irqlens::gui
