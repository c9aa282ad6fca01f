// Level-of-detail painting of one timeline track: the cost is bounded by the
// track's width in pixels, never by its number of spans.
//
// Spans at least kMinSpanPx wide are drawn one by one (at most width/2 of
// them fit).  Narrower spans are aggregated per pixel column: the first span
// starting in column x, then one binary search jumps to the first span
// starting in column x+1, so a column costs O(log n) however many spans it
// holds; adjacent busy columns merge into one rectangle.
#pragma once

#include "app/gui/timeline/timeline_layout.h"

#include <QColor>
#include <QPainter>
#include <cstdint>
#include <functional>

namespace irqlens::gui {

// Time <-> x for the lanes area.
struct TimeMap {
    std::int64_t t0 = 0; // time at x = left
    double nsPerPx = 1;  // > 0
    double left = 0;     // x of t0 in widget coordinates
    double x(std::int64_t t) const { return left + static_cast<double>(t - t0) / nsPerPx; }
    std::int64_t t(double px) const {
        return t0 + static_cast<std::int64_t>((px - left) * nsPerPx);
    }
};

struct LodStats {
    std::int64_t primitives = 0; // rectangles, lines and texts drawn
    std::int64_t spansVisited = 0;
};

inline constexpr double kMinSpanPx = 2.0;

using SpanLabelFn = std::function<QString(SpanId)>;
using SpanColorFn = std::function<QColor(SpanId)>;

// Paints the spans of `track` inside the band [top, top+height) between
// x = map.left and map.left + width.
void paintTrackLod(QPainter& p, const TimelineTrack& track, const TimeMap& map, double width,
                   double top, double height, const QColor& base, const SpanColorFn& colorOf,
                   const SpanLabelFn& labelOf, LodStats& stats);

// Every kSampleStride-th timestamp of one CPU as a plain sorted array: a
// binary search there brackets any time to kSampleStride events, so
// lowerBound() costs a few cache-friendly steps instead of log2(n) ts()
// decodes.  1/8 byte per event.
class EventSamples {
public:
    static constexpr std::size_t kSampleStride = 64;
    EventSamples() = default;
    explicit EventSamples(const CpuEvents& events);
    // A growing column: samples the events added since.
    void extend(const CpuEvents& events);
    std::size_t lowerBound(const CpuEvents& events, std::int64_t t) const;
    std::size_t bytesUsed() const { return samples_.capacity() * sizeof(std::int64_t); }

private:
    std::vector<std::int64_t> samples_;
};

// Paints one CPU's event density: one vertical bar per busy pixel column,
// height by log(events in the column).
void paintEventDensity(QPainter& p, const CpuEvents& events, const EventSamples& samples,
                       const TimeMap& map, double width, double top, double height,
                       const QColor& color, LodStats& stats);

// A trace_printk (ftrace:bprint / print / bputs) event: an instant mark.
struct PrintMark {
    std::int64_t ts = 0;
    std::uint32_t index = 0; // in its CPU's events
};
inline constexpr double kMinMarkGapPx = 3.0;

// Paints instant marks (a tick with a small head) in the band, at most one
// per kMinMarkGapPx: after drawing one, a binary search jumps to the first
// mark past the gap, so the cost is bounded by the width, not the marks.
void paintInstantMarks(QPainter& p, const std::vector<PrintMark>& marks, const TimeMap& map,
                       double width, double top, double height, const QColor& color,
                       LodStats& stats);

// The mark nearest to time t within `tolerance` ns, or nullptr.
const PrintMark* markAt(const std::vector<PrintMark>& marks, std::int64_t t,
                        std::int64_t tolerance);

// Index of the span of `track` under time t with `tolerance` ns slack, or -1.
std::ptrdiff_t trackSpanAt(const TimelineTrack& track, std::int64_t t, std::int64_t tolerance);

} // namespace irqlens::gui
