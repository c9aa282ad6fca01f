#include "app/gui/latency/delta_table.h"

#include "app/gui/latency/axis_format.h"
#include "app/gui/latency/plot_export.h"
#include "app/gui/latency/table_setup.h"
#include "app/gui/time_format.h"

#include <QHeaderView>

namespace irqlens::gui {

namespace {

const char* const kRows[] = {"count", "min", "p50", "p90", "p99", "p99.9", "max", "mean"};

QTableWidgetItem* cell(const QString& text, const QString& csv, bool right = true) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setData(kCsvRole, csv);
    if (right)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString signedNs(double ns) {
    return (ns > 0 ? QStringLiteral("+") : QString()) + formatDuration(ns);
}

double statistic(const Summary& s, int row) {
    switch (row) {
    case 0:
        return static_cast<double>(s.count);
    case 1:
        return static_cast<double>(s.min);
    case 2:
        return static_cast<double>(s.p50);
    case 3:
        return static_cast<double>(s.p90);
    case 4:
        return static_cast<double>(s.p99);
    case 5:
        return static_cast<double>(s.p999);
    case 6:
        return static_cast<double>(s.max);
    default:
        return s.mean;
    }
}

} // namespace

DeltaTable::DeltaTable(QWidget* parent) : QTableWidget(parent) {
    static constexpr TableColumn headers[] = {{"Statistic", "statistic"},
                                              {"A", "a_ns"},
                                              {"B", "b_ns"},
                                              {"Δ = B − A", "delta_ns"},
                                              {"Ratio B / A", "ratio"},
                                              {"95 % CI of Δ (bootstrap)", "ci95_ns"},
                                              {"CI excludes 0?", "ci_excludes_0"}};
    setUpExportableTable(*this, headers);
    horizontalHeader()->setStretchLastSection(true);
}

void DeltaTable::clearStatistics() {
    clearContents();
    setRowCount(0);
}

int DeltaTable::rowOf(const QString& name) const {
    for (int r = 0; r < rowCount(); ++r) {
        if (item(r, 0) && item(r, 0)->data(kCsvRole).toString() == name)
            return r;
    }
    return -1;
}

void DeltaTable::setStatistics(const Summary& a, const Summary& b,
                               const std::optional<DeltaCi>& p50,
                               const std::optional<DeltaCi>& p99) {
    clearStatistics();
    setRowCount(static_cast<int>(std::size(kRows)));
    for (int r = 0; r < rowCount(); ++r) {
        const QString name = QString::fromLatin1(kRows[r]);
        const QString shown =
            name.startsWith(QLatin1Char('p')) ? name : name.left(1).toUpper() + name.mid(1);
        setItem(r, 0, cell(shown, name, false));
        const double va = statistic(a, r), vb = statistic(b, r);
        const bool isCount = r == 0;
        auto show = [&](double v) {
            return isCount ? QString::number(v, 'f', 0) : formatDuration(v);
        };
        setItem(r, 1, cell(show(va), QString::number(va, 'f', isCount ? 0 : 1)));
        setItem(r, 2, cell(show(vb), QString::number(vb, 'f', isCount ? 0 : 1)));
        const double delta = vb - va;
        setItem(r, 3,
                cell(isCount ? QString::number(delta, 'f', 0) : signedNs(delta),
                     QString::number(delta, 'f', 1)));
        const QString ratio = va != 0 ? QString::number(vb / va, 'f', 3) : QString();
        setItem(r, 4,
                cell(ratio.isEmpty() ? QStringLiteral("—") : QStringLiteral("×") + ratio, ratio));
        const std::optional<DeltaCi>* ci = name == QLatin1String("p50")   ? &p50
                                           : name == QLatin1String("p99") ? &p99
                                                                          : nullptr;
        if (!ci) {
            setItem(r, 5, cell(QStringLiteral("—"), QString()));
            setItem(r, 6, cell(QString(), QString(), false));
            continue;
        }
        if (!ci->has_value()) {
            setItem(r, 5, cell(QStringLiteral("computing…"), QString()));
            setItem(r, 6, cell(QString(), QString(), false));
            continue;
        }
        const DeltaCi& d = **ci;
        setItem(r, 5,
                cell(QStringLiteral("[%1, %2]").arg(signedNs(d.low), signedNs(d.high)),
                     QStringLiteral("%1;%2").arg(d.low, 0, 'f', 1).arg(d.high, 0, 'f', 1)));
        const bool real = ciExcludesZero(d);
        QTableWidgetItem* verdict = cell(
            real ? QStringLiteral("yes — a real difference") : QStringLiteral("no — within noise"),
            real ? QStringLiteral("yes") : QStringLiteral("no"), false);
        if (real) {
            QFont bold = verdict->font();
            bold.setBold(true);
            for (int c = 0; c < 7; ++c) {
                QTableWidgetItem* it = c == 6 ? verdict : item(r, c);
                it->setFont(bold);
                it->setBackground(QColor(0xFF, 0xEB, 0xC2));
            }
        }
        setItem(r, 6, verdict);
    }
}

} // namespace irqlens::gui
