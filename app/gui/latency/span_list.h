// The spans behind a clicked histogram bin or CDF tail: start, the group's
// value, duration, latency, CPU and key.  Double-click asks for the span to
// be shown on the timeline.
#pragma once

#include "core/spans/span.h"

#include <QTableWidget>
#include <cstdint>

namespace irqlens::gui {

class CaptureGroups;

class SpanList : public QTableWidget {
    Q_OBJECT
public:
    static constexpr int kMaxRows = 5000;

    explicit SpanList(QWidget* parent = nullptr);

    // Spans of group `g` whose value v is in [lowNs, highNs) (highNs < 0: no
    // upper bound), sorted by start (bin) or by value descending (tail).
    // Returns the number of matching spans (rows are capped at kMaxRows).
    std::size_t showRange(const CaptureGroups& groups, int g, double lowNs, double highNs,
                          bool slowestFirst);
    void clearSpans();
    SpanId spanAt(int row) const;

signals:
    // The user wants to see this span: its id and the time range to show.
    void spanActivated(irqlens::SpanId span, qint64 startNs, qint64 endNs);
};

} // namespace irqlens::gui
