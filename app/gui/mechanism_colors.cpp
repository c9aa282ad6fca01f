#include "app/gui/mechanism_colors.h"

#include "app/gui/mechanism_text.h"

#include <QSettings>
#include <optional>

namespace irqlens::gui {

namespace {
struct MechanismInfo {
    const char* label; // the interrupt mechanisms take theirs from core (coreMechanism)
    const char* key;
    const char* color; // Tableau-10 based: distinct hues, readable on white
    const char* about; // tooltip of the kinds that are not interrupt mechanisms
};
constexpr MechanismInfo kInfo[kMechanismCount] = {
    {nullptr, "hardirq", "#e15759", nullptr},
    {nullptr, "softirq", "#f28e2b", nullptr},
    {nullptr, "tasklet", "#b07aa1", nullptr},
    {nullptr, "workqueue", "#4e79a7", nullptr},
    {nullptr, "irq_thread", "#edc948", nullptr},
    {"kworker", "kworker", "#76b7b2", "Runs of the kworker threads that execute work items."},
    {"ksoftirqd", "ksoftirqd", "#ff9da7",
     "Runs of ksoftirqd/N, the thread that runs softirqs the interrupt exit left pending."},
    {"Other task", "task", "#bab0ac", "Runs of every other task (sched_switch)."},
    {"Function", "function", "#59a14f", "Function calls traced by function_graph."},
    {"Custom", "custom", "#9c755f", "Spans of a user-defined latency rule."},
    {"Events", "events", "#8c8c8c", "How many events each pixel of the CPU holds."},
    {"trace_printk", "printk", "#9d4edd",
     "Messages the kernel printed into the trace with trace_printk() (instants)."},
};

// The timeline kinds that are interrupt mechanisms, named by core's table.
std::optional<irqlens::Mechanism> coreMechanism(Mechanism m) {
    switch (m) {
    case Mechanism::HardIrq:
        return irqlens::Mechanism::HardIrq;
    case Mechanism::Softirq:
        return irqlens::Mechanism::Softirq;
    case Mechanism::Tasklet:
        return irqlens::Mechanism::Tasklet;
    case Mechanism::Workqueue:
        return irqlens::Mechanism::WorkItem;
    case Mechanism::IrqThread:
        return irqlens::Mechanism::IrqThread;
    default:
        return std::nullopt;
    }
}
} // namespace

QString mechanismLabel(Mechanism m) {
    if (const auto core = coreMechanism(m)) {
        return labelText(*core);
    }
    return QString::fromLatin1(kInfo[static_cast<int>(m)].label);
}
QString mechanismTooltip(Mechanism m) {
    if (const auto core = coreMechanism(m)) {
        return mechanismTooltip(*core);
    }
    return QStringLiteral("<p><b>%1</b><br>%2</p>")
        .arg(mechanismLabel(m), QString::fromLatin1(kInfo[static_cast<int>(m)].about));
}
QString mechanismSettingsKey(Mechanism m) {
    return QStringLiteral("colors/") + QString::fromLatin1(kInfo[static_cast<int>(m)].key);
}

MechanismColors::MechanismColors() {
    for (int i = 0; i < kMechanismCount; ++i) {
        colors_[i] = defaultColor(static_cast<Mechanism>(i));
    }
}

MechanismColors& MechanismColors::instance() {
    static MechanismColors colors;
    return colors;
}

QColor MechanismColors::defaultColor(Mechanism m) {
    return QColor(QString::fromLatin1(kInfo[static_cast<int>(m)].color));
}

void MechanismColors::setColor(Mechanism m, const QColor& c) {
    colors_[static_cast<int>(m)] = c;
    QSettings().setValue(mechanismSettingsKey(m), c.name());
}

void MechanismColors::load() {
    QSettings settings;
    for (int i = 0; i < kMechanismCount; ++i) {
        const auto m = static_cast<Mechanism>(i);
        const QColor c(settings.value(mechanismSettingsKey(m)).toString());
        colors_[i] = c.isValid() ? c : defaultColor(m);
    }
}

} // namespace irqlens::gui
