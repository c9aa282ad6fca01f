// One colour per mechanism (timeline row kind), shared by the timeline and
// its legend, remembered in QSettings ("colors/<key>").
#pragma once

#include <QColor>
#include <QString>
#include <array>

namespace irqlens::gui {

// The timeline's row kinds; each is one mechanism with its own colour.
enum class Mechanism : int {
    HardIrq = 0,
    Softirq,
    Tasklet,
    Workqueue, // work items (execute_start/end)
    IrqThread, // irq/N-name runs
    Kworker,   // kworker task runs
    Ksoftirqd, // ksoftirqd task runs
    OtherTask,
    Function,
    Custom,
    Events, // the per-CPU event density row
    Printk, // trace_printk / trace_marker messages: instant marks
    Count
};
inline constexpr int kMechanismCount = static_cast<int>(Mechanism::Count);

QString mechanismLabel(Mechanism m); // "Hard IRQ", "Softirq", "Work item", "kworker", ...
// Rich-text tooltip: the core's two-line definition for the interrupt
// mechanisms (mechanism_text.h), one line for the other kinds.
QString mechanismTooltip(Mechanism m);
QString mechanismSettingsKey(Mechanism m);

class MechanismColors {
public:
    static MechanismColors& instance();
    QColor color(Mechanism m) const { return colors_[static_cast<int>(m)]; }
    void setColor(Mechanism m, const QColor& c); // also saved to QSettings
    void load();                                 // from QSettings (defaults otherwise)
    static QColor defaultColor(Mechanism m);

private:
    MechanismColors();
    std::array<QColor, kMechanismCount> colors_;
};

} // namespace irqlens::gui
