// The event table: a virtual model over the global event order (never one
// item per event).  Optional filtered rows map table rows to order rows.
// The info column is decoded on demand and cached for the rows people look at.
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
    // The same live capture grown (its data extended in place): the new rows
    // are announced by rowsInserted, the view keeps its scroll and selection.
    void grow(std::shared_ptr<const LoadedCapture> capture);
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

    std::shared_ptr<const LoadedCapture> capture_;
    std::shared_ptr<const TimelineData> data_;
    std::optional<std::vector<std::uint32_t>> filtered_;
    // Rows of the event order shown: a live order grows before the model
    // says so (rowsInserted), and rowCount() must not run ahead of that.
    std::size_t orderRows_ = 0;
    mutable QCache<quint64, QString> infoCache_{4096};
};

} // namespace irqlens::gui
