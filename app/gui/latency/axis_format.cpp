#include "app/gui/latency/axis_format.h"

#include <cmath>

namespace irqlens::gui {

QString formatNs(double ns) {
    struct Unit {
        double scale;
        const char* name;
    };
    static constexpr Unit units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1, "ns"}};
    const double magnitude = std::fabs(ns);
    for (const Unit& unit : units) {
        if (magnitude >= unit.scale || unit.scale == 1) {
            const double v = ns / unit.scale;
            // Three significant digits, without trailing zeros for round values.
            const int decimals = std::fabs(v) >= 100 ? 0 : std::fabs(v) >= 10 ? 1 : 2;
            QString text = QString::number(v, 'f', unit.scale == 1 ? 0 : decimals);
            if (text.contains(QLatin1Char('.'))) {
                while (text.endsWith(QLatin1Char('0')))
                    text.chop(1);
                if (text.endsWith(QLatin1Char('.')))
                    text.chop(1);
            }
            return text + QLatin1Char(' ') + QString::fromUtf8(unit.name);
        }
    }
    return QString::number(ns);
}

QString mechanismLabel(const std::string& mechanism) {
    if (mechanism == "hardirq")
        return QStringLiteral("Hard IRQ");
    if (mechanism == "softirq")
        return QStringLiteral("Softirq");
    if (mechanism == "tasklet")
        return QStringLiteral("Tasklet");
    if (mechanism == "workqueue")
        return QStringLiteral("Workqueue");
    if (mechanism == "irq_thread")
        return QStringLiteral("Threaded IRQ");
    if (mechanism == "episode")
        return QStringLiteral("Episode (IRQ + bottom halves)");
    return QString::fromStdString(mechanism);
}

QString metricLabel(const std::string& metric) {
    if (metric == "duration")
        return QStringLiteral("Duration");
    if (metric == "raise_to_entry")
        return QStringLiteral("Raise → entry latency");
    if (metric == "queue_to_start")
        return QStringLiteral("Queue → start latency");
    if (metric == "wake_to_run")
        return QStringLiteral("Wake → run latency");
    if (metric == "end_to_end")
        return QStringLiteral("End-to-end latency");
    return QString::fromStdString(metric);
}

QString metricDefinition(const std::string& metric) {
    if (metric == "duration")
        return QStringLiteral("run time: begin event → end event");
    if (metric == "raise_to_entry")
        return QStringLiteral("softirq_raise → softirq_entry of that vector on that CPU");
    if (metric == "queue_to_start")
        return QStringLiteral("workqueue_queue_work → workqueue_execute_start");
    if (metric == "wake_to_run")
        return QStringLiteral("sched_waking of the irq thread → switch into it");
    if (metric == "end_to_end")
        return QStringLiteral("hard IRQ entry → end of its last bottom half");
    return {};
}

QString LatencyAxisTicker::getTickLabel(double tick, const QLocale&, QChar, int) {
    return formatNs(tick);
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
