#include "app/gui/mechanism_colors.h"

#include <QSettings>

namespace irqlens::gui {

namespace {
struct MechanismInfo {
    const char* label;
    const char* key;
    const char* color; // Tableau-10 based: distinct hues, readable on white
};
constexpr MechanismInfo kInfo[kMechanismCount] = {
    {"Hard IRQ", "hardirq", "#e15759"},      {"Softirq", "softirq", "#f28e2b"},
    {"Tasklet", "tasklet", "#b07aa1"},       {"Work item", "workqueue", "#4e79a7"},
    {"IRQ thread", "irq_thread", "#edc948"}, {"kworker", "kworker", "#76b7b2"},
    {"ksoftirqd", "ksoftirqd", "#ff9da7"},   {"Other task", "task", "#bab0ac"},
    {"Function", "function", "#59a14f"},     {"Custom", "custom", "#9c755f"},
    {"Events", "events", "#8c8c8c"},         {"trace_printk", "printk", "#9d4edd"},
};
} // namespace

QString mechanismLabel(Mechanism m) {
    return QString::fromLatin1(kInfo[static_cast<int>(m)].label);
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
