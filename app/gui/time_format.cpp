#include "app/gui/time_format.h"

#include "core/stats/duration_format.h"

#include <cmath>
#include <cstdlib>

namespace irqlens::gui {

namespace {
struct Unit {
    double ns;
    const char* name;
};
const Unit kUnits[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1, "ns"}};

const Unit& unitFor(double magnitudeNs) {
    for (const auto& u : kUnits) {
        if (magnitudeNs >= u.ns) {
            return u;
        }
    }
    return kUnits[3];
}
} // namespace

QString formatDuration(double ns) {
    return QString::fromStdString(irqlens::formatDuration(ns));
}

QString formatOffset(std::int64_t ns, std::int64_t resolutionNs) {
    const double res = std::max<double>(1.0, static_cast<double>(resolutionNs));
    // Unit from the value (513.705 ms rather than 513705 µs), decimals from
    // the resolution so that neighbouring labels differ.
    const Unit& u = unitFor(std::max(std::fabs(static_cast<double>(ns)), res));
    const double v = static_cast<double>(ns) / u.ns;
    int decimals = 0;
    for (double step = res / u.ns; step < 0.999 && decimals < 9; step *= 10) {
        ++decimals;
    }
    return QString::number(v, 'f', decimals) + QStringLiteral(" ") + QString::fromUtf8(u.name);
}

QString formatSeconds(std::int64_t ns) {
    const bool neg = ns < 0;
    const std::int64_t a = std::llabs(ns);
    return QStringLiteral("%1%2.%3")
        .arg(neg ? "-" : "")
        .arg(a / 1'000'000'000)
        .arg(a % 1'000'000'000, 9, 10, QLatin1Char('0'));
}

std::int64_t niceStep(double minNs) {
    if (!(minNs > 1)) {
        return 1;
    }
    double p = std::pow(10.0, std::floor(std::log10(minNs)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (p * m >= minNs) {
            return static_cast<std::int64_t>(p * m);
        }
    }
    return static_cast<std::int64_t>(p * 10);
}

} // namespace irqlens::gui
