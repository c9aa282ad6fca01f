#include "core/stats/duration_format.h"

#include <cmath>
#include <cstdio>

namespace irqlens {

std::string formatDuration(double ns) {
    struct Unit {
        double scale;
        const char* name;
    };
    static constexpr Unit kUnits[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1, "ns"}};
    if (!std::isfinite(ns)) {
        return "?";
    }
    // Round to three significant digits first, so 999.6 µs reads "1 ms" and
    // not "1000 µs".
    double magnitude = std::fabs(ns);
    if (magnitude >= 1) {
        const double digits = std::floor(std::log10(magnitude)) + 1;
        const double step = std::pow(10.0, digits - 3);
        magnitude = step >= 1 ? std::round(magnitude / step) * step : std::round(magnitude);
    }
    const Unit* unit = &kUnits[3];
    for (const Unit& u : kUnits) {
        if (magnitude >= u.scale) {
            unit = &u;
            break;
        }
    }
    const double value = magnitude / unit->scale;
    const int decimals = unit->scale == 1 ? 0 : value >= 100 ? 0 : value >= 10 ? 1 : 2;
    char text[48];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    std::string out = text;
    if (out.find('.') != std::string::npos) {
        while (out.back() == '0') {
            out.pop_back();
        }
        if (out.back() == '.') {
            out.pop_back();
        }
    }
    const bool negative = ns < 0 && out != "0";
    return (negative ? "-" : "") + out + " " + unit->name;
}

} // namespace irqlens
