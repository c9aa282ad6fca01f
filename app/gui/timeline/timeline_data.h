// What the timeline view needs besides the Analysis: the row layout and the
// global event order.  Built off the GUI thread right after loading (the
// loader calls timelineDataFor() in its worker), memoised per capture.
#pragma once

#include "app/gui/capture_session.h"
#include "app/gui/timeline/event_order.h"
#include "app/gui/timeline/timeline_layout.h"
#include "app/gui/timeline/timeline_lod.h"

#include <memory>

namespace irqlens::gui {

struct MissedMark {
    std::int64_t ts = 0;
    std::int64_t count = -1; // -1: unknown
};

struct TimelineData {
    TimelineLayout layout;
    EventOrder order;
    // Missed-event marks placed in time, per CPU, sorted by ts (binary search
    // keeps painting them bounded by pixels even with many drops).
    std::vector<std::vector<MissedMark>> missedByCpu;
    std::vector<EventSamples> eventSamples;          // per CPU, for the events row
    std::vector<std::vector<PrintMark>> printsByCpu; // per CPU, in time order
    double buildSeconds = 0;
    // Live: events of each CPU already looked at for print marks.
    std::vector<std::size_t> printsScanned;
};

// Builds (or returns the cached) timeline data of a capture.  Thread-safe.
std::shared_ptr<const TimelineData> timelineDataFor(const LoadedCapture& capture);

// A live recording's timeline data (LiveView): grown in place at each
// picture by what is new, not rebuilt.  `changed`, `firstNew` and
// `taskFrom` as in TimelineLayout::extend; the event order takes each CPU's events up to
// `orderLimits` (the analysis' watermark cut), samples and print marks every
// event in the store.  Equal to timelineDataFor() of the same picture, but
// for the event order past the cut.
// `orderRows`, when given, is EventOrder::merge() up to `orderLimits`, made
// off the GUI thread.
void extendTimelineData(TimelineData& data, const EventStore& store, const Analysis& analysis,
                        std::span<const SpanId> changed, SpanId firstNew,
                        std::span<const std::size_t> taskFrom,
                        const std::vector<std::size_t>& orderLimits,
                        const std::vector<std::uint16_t>* orderRows = nullptr);
// timelineDataFor(capture) returns `data` from now on (a live capture keeps
// its store and its analysis object from picture to picture).
void rememberTimelineData(const LoadedCapture& capture, std::shared_ptr<const TimelineData> data);

} // namespace irqlens::gui
