#include "app/gui/latency/axis_format.h"

#include "app/gui/time_format.h"

namespace irqlens::gui {

QString LatencyAxisTicker::getTickLabel(double tick, const QLocale&, QChar, int) {
    return formatDuration(tick);
}

void setupLogTimeAxis(QCPAxis* axis, const QString& label) {
    axis->setScaleType(QCPAxis::stLogarithmic);
    auto ticker = QSharedPointer<LatencyAxisTicker>::create();
    ticker->setLogBase(10);
    ticker->setSubTickCount(8);
    axis->setTicker(ticker);
    axis->setLabel(label);
    axis->grid()->setSubGridVisible(true);
    axis->grid()->setSubGridPen(QPen(QColor(0xE8, 0xE8, 0xE8), 0, Qt::DotLine));
}

} // namespace irqlens::gui
