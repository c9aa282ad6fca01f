// What the timeline view needs besides the Analysis: the row layout and the
// global event order.  Built off the GUI thread right after loading (the
// loader calls timelineDataFor() in its worker), memoised per capture.
#pragma once

#include "app/gui/capture_session.h"
#include "app/gui/event_order.h"
#include "app/gui/timeline_layout.h"

#include <memory>

namespace irqlens::gui {

struct TimelineData {
    TimelineLayout layout;
    EventOrder order;
    double buildSeconds = 0;
};

// Builds (or returns the cached) timeline data of a capture.  Thread-safe.
std::shared_ptr<const TimelineData> timelineDataFor(const LoadedCapture& capture);

} // namespace irqlens::gui
