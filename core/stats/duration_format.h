// The one way irqlens writes a duration for people: the CLI's tables and
// sentences, the GUI's axes, tooltips and panels, and the exports all call
// formatDuration (machine output — JSON, CSV — stays in integer ns).  No Qt.
#pragma once

#include <cstdint>
#include <string>

namespace irqlens {

// Three significant digits in the unit that fits, trailing zeros dropped:
// "0 ns", "850 ns", "12.4 µs", "230 µs", "2.2 ms", "2.33 ms", "1.5 s".
// Negative values get a '-'.
std::string formatDuration(double ns);

} // namespace irqlens
