// Spans and episodes of a capture that is still growing (a live recording):
// each advance() walks only the events that arrived since the last one, and
// only up to a SAFE WATERMARK, so that the walk sees events in the same
// order as analyze() of the finished capture does.
//
// Why a watermark: each CPU's pages arrive on their own (a CPU's page is
// read when it is full), so CPU 1's events up to t may arrive after CPU 0's
// events past t.  Walking CPU 0 past t would pair CPU 1's later events out
// of order.  The watermark is the minimum, over CPUs, of the latest
// timestamp each has delivered: no event older than it can still come.  A
// CPU that has delivered nothing yet holds the watermark back (its first
// page may hold the capture's earliest events).  A CPU that stays quiet
// would hold it back forever: the caller marks it idle (setCpuIdle) after a
// while without pages; if such a CPU later delivers events older than what
// was walked, they are walked late and counted (lateEvents()).
#pragma once

#include "core/spans/live_delta.h"
#include "core/spans/span.h"

#include <memory>
#include <vector>

namespace irqlens {

namespace detail {
class SpanBuilder;
}

class LiveAnalyzer {
public:
    // `store` grows (new events appended per CPU) between calls; it must
    // outlive the analyzer.  Its event types must all be registered.
    explicit LiveAnalyzer(const EventStore& store, AnalysisOptions options = {});
    ~LiveAnalyzer();
    LiveAnalyzer(const LiveAnalyzer&) = delete;
    LiveAnalyzer& operator=(const LiveAnalyzer&) = delete;

    // A quiet CPU no longer holds the watermark back (see above).
    void setCpuIdle(int cpu, bool idle);
    // The timestamp before which every event is in the store (-1: none yet).
    std::int64_t watermark() const;
    // Walks the new events before the watermark; returns how many.
    std::size_t advance();
    // The capture is complete (recording stopped): walks every event left.
    std::size_t advanceAll();
    // Spans and episodes of the events walked so far; spans still open end
    // at the last walked timestamp, flagged OpenEnd.  After advanceAll() it
    // equals analyze(store).
    Analysis snapshot() const;
    // What changed since the previous delta() (the first: everything), for
    // a picture kept up to date with applyLiveDelta() instead of a
    // snapshot() per picture.  Its spans are in build order (live_delta.h);
    // sorted by (cpu, kind, start) they equal snapshot()'s.
    LivePictureDelta delta();
    // Every delta from now on is applied to `picture` (applyLiveDelta)
    // before this analyzer is called again, and `picture` outlives it.  The
    // walk then reads the spans it showed from the picture instead of
    // keeping a copy of each (half the spans' memory of a recording); it
    // never writes the picture.  Call before the first delta().
    void showsIn(const Analysis& picture);

    std::size_t walkedEvents() const { return walked_; }
    std::size_t bytesUsed() const; // the walk's own state (spans in build order ...)
    // Each CPU's events walked so far (a watermark cut of the store).
    std::vector<std::size_t> walkedPerCpu() const;
    std::size_t lateEvents() const { return late_; }
    // The last timestamp walked (-1: none).
    std::int64_t edge() const;

private:
    std::size_t walkTo(const std::vector<std::size_t>& limits);

    const EventStore& store_;
    AnalysisOptions options_;
    std::unique_ptr<detail::SpanBuilder> builder_;
    std::vector<bool> idle_;
    std::size_t walked_ = 0;
    std::size_t late_ = 0;
};

} // namespace irqlens
