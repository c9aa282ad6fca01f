// The event table's filter: which events to show.  Runs off the GUI thread
// over the global event order, in chunks, with progress and cancel.
#pragma once

#include "app/gui/timeline/event_order.h"

#include <QString>
#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace irqlens::gui {

struct EventFilter {
    std::optional<int> cpu; // only this CPU
    QString task;           // substring of "comm-pid", case-insensitive
    QString eventName;      // substring of "system:name", case-insensitive
    QString fieldText;      // substring of the decoded fields / info line
    bool isEmpty() const {
        return !cpu && task.isEmpty() && eventName.isEmpty() && fieldText.isEmpty();
    }
};

// Rows of `order` that pass `filter` (ascending).  `progress` gets 0..1;
// returns std::nullopt when `cancel` was set.
std::optional<std::vector<std::uint32_t>>
filterEvents(const EventStore& store, const EventOrder& order, const EventFilter& filter,
             const std::atomic<bool>& cancel, const std::function<void(double)>& progress = {});

// The task column: "comm-pid".
QString taskLabel(const EventStore& store, std::int32_t pid, std::int64_t ts);
// "CPU 3"; "irqs · CPU 1" for a CPU of an extra buffer (trace-cmd record -B).
QString cpuLabel(const EventStore& store, int column);
// The info column: the source's formatted text, or the decoded fields joined.
QString eventInfo(const EventStore& store, EventRef ref);

} // namespace irqlens::gui
