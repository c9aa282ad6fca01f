#include "app/gui/timeline/event_filter.h"

#include <QObject>
#include <QStringList>
#include <unordered_map>

namespace irqlens::gui {

QString taskLabel(const EventStore& store, std::int32_t pid, std::int64_t ts) {
    const std::string_view comm = store.comm(pid, ts);
    return QString::fromUtf8(comm.data(), static_cast<qsizetype>(comm.size())) + QLatin1Char('-') +
           QString::number(pid);
}

QString cpuLabel(const EventStore& store, int column) {
    const ColumnOrigin origin = store.columnOrigin(column);
    const QString cpu = QObject::tr("CPU %1").arg(origin.cpu);
    if (origin.buffer.empty()) {
        return cpu;
    }
    return QString::fromUtf8(origin.buffer.data(), static_cast<qsizetype>(origin.buffer.size())) +
           QStringLiteral(" · ") + cpu;
}

QString eventInfo(const EventStore& store, EventRef ref) {
    if (EventSource* src = store.source()) {
        const CpuEvents& col = store.cpu(ref.cpu);
        const auto skip = static_cast<std::uint32_t>(ref.index - col.anchorIndex(ref.index));
        return QString::fromStdString(src->info(ref.cpu, col.anchorOffset(ref.index), skip));
    }
    QStringList parts;
    for (const auto& f : store.decode(ref)) {
        parts << QString::fromStdString(f.name + "=" + f.value);
    }
    return parts.join(QLatin1Char(' '));
}

namespace {
// Per-type and per-pid answers are computed once: the filter's cost per
// event is then a few lookups, and only the field text needs decoding.
class Matcher {
public:
    Matcher(const EventStore& store, const EventFilter& filter) : store_(store), filter_(filter) {
        for (const auto& t : store.types()) {
            typeOk_.push_back(filter.eventName.isEmpty() ||
                              QString::fromStdString(t.fullName())
                                  .contains(filter.eventName, Qt::CaseInsensitive));
        }
    }
    bool operator()(EventRef ref) {
        if (filter_.cpu && *filter_.cpu != ref.cpu) {
            return false;
        }
        const EventFields e = store_.event(ref);
        if (!typeOk_[e.type]) {
            return false;
        }
        if (!filter_.task.isEmpty() && !taskOk(e.pid, e.ts)) {
            return false;
        }
        return filter_.fieldText.isEmpty() ||
               eventInfo(store_, ref).contains(filter_.fieldText, Qt::CaseInsensitive);
    }

private:
    bool taskOk(std::int32_t pid, std::int64_t ts) {
        const StringId comm = pid == 0 ? kNoString : store_.comms.at(pid, ts);
        const std::uint64_t key = (std::uint64_t(std::uint32_t(pid)) << 32) | comm;
        auto it = taskCache_.find(key);
        if (it == taskCache_.end()) {
            it =
                taskCache_
                    .emplace(key,
                             taskLabel(store_, pid, ts).contains(filter_.task, Qt::CaseInsensitive))
                    .first;
        }
        return it->second;
    }
    const EventStore& store_;
    const EventFilter& filter_;
    std::vector<bool> typeOk_;
    std::unordered_map<std::uint64_t, bool> taskCache_;
};
} // namespace

std::optional<std::vector<std::uint32_t>>
filterEvents(const EventStore& store, const EventOrder& order, const EventFilter& filter,
             const std::atomic<bool>& cancel, const std::function<void(double)>& progress) {
    Matcher match(store, filter);
    std::vector<std::uint32_t> rows;
    const std::size_t chunk = filter.fieldText.isEmpty() ? 1 << 18 : 1 << 12;
    for (std::size_t first = 0; first < order.size(); first += chunk) {
        if (cancel.load(std::memory_order_relaxed)) {
            return std::nullopt;
        }
        const std::size_t last = std::min(order.size(), first + chunk);
        order.forRange(first, last, [&](std::size_t row, EventRef ref) {
            if (match(ref)) {
                rows.push_back(static_cast<std::uint32_t>(row));
            }
        });
        if (progress) {
            progress(static_cast<double>(last) / static_cast<double>(order.size()));
        }
    }
    rows.shrink_to_fit();
    return rows;
}

} // namespace irqlens::gui
