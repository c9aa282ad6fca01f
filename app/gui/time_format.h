// Human-readable times for the timeline axis, tooltips and the event table.
#pragma once

#include <QString>
#include <cstdint>

namespace irqlens::gui {

// irqlens::formatDuration (core/stats/duration_format.h) as a QString:
// "850 ns", "12.4 µs", "3.25 ms", "1.5 s".
QString formatDuration(double ns);
// A time relative to the capture start, with as many decimals as `resolutionNs`
// needs ("1.250 ms" with 1 µs resolution).  Unit chosen from `resolutionNs`.
QString formatOffset(std::int64_t ns, std::int64_t resolutionNs);
// Seconds with 9 decimals (the table's time column, like trace-cmd report).
QString formatSeconds(std::int64_t ns);
// A "nice" axis step (1, 2, 5 x 10^k ns) at least `minNs` long.
std::int64_t niceStep(double minNs);

} // namespace irqlens::gui
