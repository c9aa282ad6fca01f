// The log time axis of the latency plots (decade ticks labelled "1 µs",
// "10 µs"... by formatDuration) and the series colours.  Mechanism and
// metric names come from mechanism_text.h.
#pragma once

#include <QString>
#include <qcustomplot.h>

namespace irqlens::gui {

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
