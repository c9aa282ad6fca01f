// Human-readable units and names for latency plots and tables: durations in
// ns/µs/ms/s, the log-axis ticker that labels decades with those units, and
// the display names of mechanisms and metrics.
#pragma once

#include <QString>
#include <cstdint>
#include <qcustomplot.h>
#include <string>

namespace irqlens::gui {

// "850 ns", "12.3 µs", "4.56 ms", "1.20 s" (3 significant digits).
QString formatNs(double ns);

// "Hard IRQ", "Softirq", ... for the mechanism ids of latency_groups.h.
QString mechanismLabel(const std::string& mechanism);
// "Duration", "Raise → entry latency", ... for the metric ids.
QString metricLabel(const std::string& metric);
// One line that says what the metric measures (used in tooltips and titles).
QString metricDefinition(const std::string& metric);

// Log-scaled time axis whose decade ticks read "1 µs", "10 µs", "100 µs"...
class LatencyAxisTicker : public QCPAxisTickerLog {
protected:
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar,
                         int precision) override;
};

// Puts a log time axis on `axis` with the ticker above and the given label.
void setupLogTimeAxis(QCPAxis* axis, const QString& label);

// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
inline const QColor kSeriesColorA{0x00, 0x72, 0xB2}; // blue
inline const QColor kSeriesColorB{0xE6, 0x9F, 0x00}; // orange
inline const QColor kMarkerColor{0x55, 0x55, 0x55};

} // namespace irqlens::gui
