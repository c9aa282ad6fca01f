#include "app/gui/timeline/event_table_model.h"

#include "app/gui/time_format.h"
#include "app/gui/timeline/event_filter.h"

#include <QColor>
#include <QFont>
#include <algorithm>

namespace irqlens::gui {

void EventTableModel::setCapture(std::shared_ptr<const LoadedCapture> capture,
                                 std::shared_ptr<const TimelineData> data) {
    beginResetModel();
    capture_ = std::move(capture);
    data_ = std::move(data);
    end_ = data_ ? data_->order.size() : 0;
    first_ = windowed() && end_ > liveRows_ ? end_ - liveRows_ : 0;
    filtered_.reset();
    infoCache_.clear();
    endResetModel();
}

void EventTableModel::moveWindow(std::size_t first, std::size_t end) {
    beginResetModel();
    first_ = first;
    end_ = end;
    endResetModel();
}

void EventTableModel::grow(std::shared_ptr<const LoadedCapture> capture, bool follow) {
    capture_ = std::move(capture);
    const std::size_t now = data_ ? data_->order.size() : 0;
    const auto limit = static_cast<std::size_t>(0x7fffffff);
    if (filtered_ || now <= end_ || end_ - first_ >= limit) {
        // A filtered table takes the filter's next result; its window is
        // set again when the filter is cleared.
        end_ = now;
        first_ = windowed() && end_ - first_ > liveRows_ ? end_ - liveRows_ : first_;
        return;
    }
    const std::size_t cap = windowed() ? liveRows_ : limit;
    if (!follow || now - first_ <= cap) {
        const std::size_t end = std::min(now, first_ + cap);
        if (end > end_) {
            beginInsertRows({}, static_cast<int>(end_ - first_),
                            static_cast<int>(end - first_ - 1));
            end_ = end;
            endInsertRows();
        }
        return;
    }
    const std::size_t first = now - cap;
    if (first >= end_) {
        moveWindow(first, now); // every shown row goes
        return;
    }
    beginRemoveRows({}, 0, static_cast<int>(first - first_ - 1));
    first_ = first;
    endRemoveRows();
    beginInsertRows({}, static_cast<int>(end_ - first_), static_cast<int>(now - first_ - 1));
    end_ = now;
    endInsertRows();
}

bool EventTableModel::showRef(EventRef ref) {
    if (!data_ || filtered_) {
        return false;
    }
    const std::size_t r = data_->order.rowOf(ref);
    if (r >= data_->order.size() || (r >= first_ && r < end_)) {
        return r < data_->order.size();
    }
    if (!windowed() || r >= end_) {
        return false; // a loaded table shows every row; a live one not yet this one
    }
    const std::size_t first = r > liveRows_ / 2 ? r - liveRows_ / 2 : 0;
    moveWindow(first, std::min(end_, first + liveRows_));
    return true;
}

void EventTableModel::setFilteredRows(std::optional<std::vector<std::uint32_t>> rows) {
    beginResetModel();
    filtered_ = std::move(rows);
    endResetModel();
}

std::size_t EventTableModel::orderRow(int row) const {
    return filtered_ ? (*filtered_)[static_cast<std::size_t>(row)]
                     : first_ + static_cast<std::size_t>(row);
}

EventRef EventTableModel::refAt(int row) const {
    return data_->order.at(orderRow(row));
}

int EventTableModel::rowOf(EventRef ref) const {
    if (!data_) {
        return -1;
    }
    const std::size_t r = data_->order.rowOf(ref);
    if (r >= data_->order.size()) {
        return -1;
    }
    if (!filtered_) {
        return r >= first_ && r < end_ ? static_cast<int>(r - first_) : -1;
    }
    const auto it = std::lower_bound(filtered_->begin(), filtered_->end(), r);
    return it != filtered_->end() && *it == r ? static_cast<int>(it - filtered_->begin()) : -1;
}

int EventTableModel::rowAtTime(std::int64_t t) const {
    if (!data_) {
        return 0;
    }
    const std::size_t r = data_->order.rowAtTime(t);
    if (!filtered_) {
        const std::size_t shown = std::clamp(r, first_, end_) - first_;
        return static_cast<int>(std::min<std::size_t>(shown, 0x7fffffff));
    }
    return static_cast<int>(std::lower_bound(filtered_->begin(), filtered_->end(), r) -
                            filtered_->begin());
}

int EventTableModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !data_) {
        return 0;
    }
    // QAbstractItemView works in int; captures beyond 2^31 events show a prefix.
    const std::size_t n = filtered_ ? filtered_->size() : end_ - first_;
    return static_cast<int>(std::min<std::size_t>(n, 0x7fffffff));
}

int EventTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !data_) {
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        return index.column() <= Cpu ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                     : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    const EventStore& store = *capture_->store;
    const std::size_t row = orderRow(index.row());
    const EventRef ref = data_->order.at(row);
    const EventFields e = store.event(ref);
    switch (index.column()) {
    case Time:
        return formatSeconds(e.ts - store.firstTs());
    case Cpu: // "irqs:1" for a CPU of an extra buffer
        return store.info().buffers.empty()
                   ? QVariant(ref.cpu)
                   : QVariant(QString::fromStdString(store.columnLabel(ref.cpu)));
    case Task:
        return taskLabel(store, e.pid, e.ts);
    case Event:
        return QString::fromStdString(store.type(e.type).name);
    case Info: {
        if (const QString* cached = infoCache_.object(row)) {
            return *cached;
        }
        auto* text = new QString(eventInfo(store, ref));
        const QString copy = *text;
        infoCache_.insert(row, text);
        return copy;
    }
    default:
        return {};
    }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal) {
        return {};
    }
    static const char* names[] = {"Time (s)", "CPU", "Task", "Event", "Info"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace irqlens::gui
