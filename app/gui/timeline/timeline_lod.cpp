#include "app/gui/timeline/timeline_lod.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace irqlens::gui {

namespace {
// A run of adjacent sub-pixel columns with the same bar height, drawn as one
// rectangle anchored at the bottom of the track.
struct Run {
    double x0 = 0;
    double x1 = 0;
    double h = 0;
    bool open() const { return x1 > x0; }
};

void flushRun(QPainter& p, Run& run, double bottom, const QColor& color, LodStats& stats) {
    if (run.open()) {
        p.fillRect(QRectF(run.x0, bottom - run.h, run.x1 - run.x0, run.h), color);
        ++stats.primitives;
    }
    run = Run{};
}

void paintWideSpan(QPainter& p, SpanId id, double x0, double x1, double left, double right,
                   double top, double height, const SpanColorFn& colorOf,
                   const SpanLabelFn& labelOf, LodStats& stats) {
    const double a = std::max(x0, left - 1);
    const double b = std::min(x1, right + 1);
    const QColor c = colorOf(id);
    p.setPen(QPen(c.darker(135), 0));
    p.setBrush(c);
    p.drawRect(QRectF(a, top, b - a, height));
    ++stats.primitives;
    if (b - a >= 40 && height >= 10 && labelOf) {
        const QString text = labelOf(id);
        const QRectF box(a + 3, top, b - a - 6, height);
        p.setPen(c.lightnessF() > 0.55f ? QColor(30, 30, 30) : Qt::white);
        p.drawText(box, Qt::AlignVCenter | Qt::AlignLeft,
                   p.fontMetrics().elidedText(text, Qt::ElideRight, int(box.width())));
        ++stats.primitives;
    }
}
} // namespace

void paintTrackLod(QPainter& p, const TimelineTrack& track, const TimeMap& map, double width,
                   double top, double height, const QColor& base, const SpanColorFn& colorOf,
                   const SpanLabelFn& labelOf, LodStats& stats) {
    const std::int64_t tEnd = map.t(map.left + width);
    const auto& starts = track.starts;
    // First span that can reach the view: the last one starting before it.
    std::size_t i = static_cast<std::size_t>(
        std::upper_bound(starts.begin(), starts.end(), map.t0) - starts.begin());
    i = i > 0 ? i - 1 : 0;
    const QColor aggregate = base.darker(110);
    const double bottom = top + height;
    Run run;
    const double right = map.left + width;
    while (i < starts.size() && starts[i] <= tEnd) {
        ++stats.spansVisited;
        const double x0 = map.x(starts[i]);
        const double x1 = map.x(track.ends[i]);
        if (x1 < map.left) {
            ++i;
            continue;
        }
        if (x1 - x0 >= kMinSpanPx) {
            flushRun(p, run, bottom, aggregate, stats);
            paintWideSpan(p, track.ids[i], x0, x1, map.left, right, top, height, colorOf, labelOf,
                          stats);
            ++i;
            continue;
        }
        // Sub-pixel spans: every span starting in this pixel column at once;
        // the bar's height is the column's busy fraction (prefix sums).
        const double column = std::floor(std::max(x0, map.left));
        const std::int64_t nextColumnT = map.t(column + 1) + 1;
        const auto j = static_cast<std::size_t>(
            std::lower_bound(starts.begin() + static_cast<std::ptrdiff_t>(i) + 1, starts.end(),
                             nextColumnT) -
            starts.begin());
        const double busy = static_cast<double>(track.busyPrefix[j] - track.busyPrefix[i]);
        const double h = std::round(std::clamp(busy / map.nsPerPx, 0.3, 1.0) * height);
        if (run.open() && column <= run.x1 && h == run.h) {
            run.x1 = column + 1;
        } else {
            flushRun(p, run, bottom, aggregate, stats);
            run = {column, column + 1, h};
        }
        i = j;
    }
    flushRun(p, run, bottom, aggregate, stats);
}

EventSamples::EventSamples(const CpuEvents& events) {
    samples_.reserve(events.size() / kSampleStride + 1);
    extend(events);
}

void EventSamples::extend(const CpuEvents& events) {
    for (std::size_t i = samples_.size() * kSampleStride; i < events.size(); i += kSampleStride) {
        samples_.push_back(events.ts(i));
    }
}

std::size_t EventSamples::lowerBound(const CpuEvents& events, std::int64_t t) const {
    // samples_[k] = ts(k * stride): the answer lies in ((k-1) * stride, k * stride].
    const auto k = static_cast<std::size_t>(std::lower_bound(samples_.begin(), samples_.end(), t) -
                                            samples_.begin());
    std::size_t lo = k == 0 ? 0 : (k - 1) * kSampleStride + 1;
    std::size_t hi = std::min(events.size(), k * kSampleStride);
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (events.ts(mid) < t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

void paintEventDensity(QPainter& p, const CpuEvents& events, const EventSamples& samples,
                       const TimeMap& map, double width, double top, double height,
                       const QColor& color, LodStats& stats) {
    if (events.empty()) {
        return;
    }
    const int columns = static_cast<int>(std::ceil(width));
    std::size_t before = samples.lowerBound(events, map.t(map.left));
    const double bottom = top + height;
    for (int c = 0; c < columns && before < events.size(); ++c) {
        const std::size_t after = samples.lowerBound(events, map.t(map.left + c + 1));
        const std::size_t n = after - before;
        before = after;
        if (n == 0) {
            continue;
        }
        // 1 event: a third of the row; 1000+: full height.
        const double f = std::min(1.0, (1.0 + std::log10(static_cast<double>(n))) / 4.0);
        const double h = std::max(2.0, f * height);
        p.fillRect(QRectF(map.left + c, bottom - h, 1, h), color);
        ++stats.primitives;
    }
}

void paintInstantMarks(QPainter& p, const std::vector<PrintMark>& marks, const TimeMap& map,
                       double width, double top, double height, const QColor& color,
                       LodStats& stats) {
    const auto byTs = [](const PrintMark& m, std::int64_t t) { return m.ts < t; };
    const double right = map.left + width;
    auto it = std::lower_bound(marks.begin(), marks.end(), map.t(map.left), byTs);
    const double head = std::min(4.0, height / 3);
    while (it != marks.end()) {
        const double x = map.x(it->ts);
        if (x > right) {
            break;
        }
        p.fillRect(QRectF(x - 0.5, top + head, 1.5, height - head), color);
        p.fillRect(QRectF(x - head / 2 - 0.5, top, head + 1, head), color);
        stats.primitives += 2;
        it = std::lower_bound(it + 1, marks.end(), map.t(x + kMinMarkGapPx), byTs);
    }
}

const PrintMark* markAt(const std::vector<PrintMark>& marks, std::int64_t t,
                        std::int64_t tolerance) {
    const auto it = std::lower_bound(marks.begin(), marks.end(), t - tolerance,
                                     [](const PrintMark& m, std::int64_t v) { return m.ts < v; });
    const PrintMark* best = nullptr;
    // A few dozen candidates at most: marks closer than a pixel are one mark.
    int looked = 0;
    for (auto k = it; k != marks.end() && k->ts <= t + tolerance && looked < 64; ++k, ++looked) {
        if (!best || std::llabs(k->ts - t) < std::llabs(best->ts - t)) {
            best = &*k;
        }
    }
    return best;
}

std::ptrdiff_t trackSpanAt(const TimelineTrack& track, std::int64_t t, std::int64_t tolerance) {
    const auto& starts = track.starts;
    if (starts.empty()) {
        return -1;
    }
    auto i = std::upper_bound(starts.begin(), starts.end(), t) - starts.begin();
    // Exact hit: the last span starting at or before t, if it covers t.
    if (i > 0 && track.ends[static_cast<std::size_t>(i - 1)] >= t) {
        return i - 1;
    }
    // Otherwise the nearest neighbour within the tolerance.
    std::ptrdiff_t best = -1;
    std::int64_t bestDist = tolerance + 1;
    for (std::ptrdiff_t k : {i - 1, i}) {
        if (k < 0 || k >= static_cast<std::ptrdiff_t>(starts.size())) {
            continue;
        }
        const auto uk = static_cast<std::size_t>(k);
        const std::int64_t d = t < starts[uk] ? starts[uk] - t : t - track.ends[uk];
        if (d < bestDist) {
            best = k;
            bestDist = d;
        }
    }
    return best;
}

} // namespace irqlens::gui
