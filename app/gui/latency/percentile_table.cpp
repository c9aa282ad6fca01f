#include "app/gui/latency/percentile_table.h"

#include "app/gui/latency/axis_format.h"
#include "app/gui/latency/group_cache.h"
#include "app/gui/latency/plot_export.h"
#include "app/gui/latency/table_setup.h"
#include "app/gui/mechanism_text.h"

#include <QHeaderView>

namespace irqlens::gui {

namespace {
constexpr TableColumn kColumns[] = {
    {"Mechanism", "mechanism"}, {"Key", "key"},    {"Metric", "metric"}, {"Count", "count"},
    {"Min", "min_ns"},          {"p50", "p50_ns"}, {"p90", "p90_ns"},    {"p99", "p99_ns"},
    {"p99.9", "p999_ns"},       {"Max", "max_ns"}};

} // namespace

PercentileTable::PercentileTable(QWidget* parent) : QTableWidget(parent) {
    setUpExportableTable(*this, kColumns);
    setSelectionMode(QAbstractItemView::SingleSelection);
    horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    setToolTip(QStringLiteral("Percentiles by nearest rank; click a row to plot that group"));
    connect(this, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (!updating_ && row >= 0)
            emit groupActivated(row);
    });
}

void PercentileTable::setGroups(const CaptureGroups* groups) {
    updating_ = true;
    clearContents();
    setRowCount(groups ? static_cast<int>(groups->size()) : 0);
    for (int r = 0; r < rowCount(); ++r) {
        const auto i = static_cast<std::size_t>(r);
        const LatencyGroup& g = groups->group(i);
        const Summary& s = groups->summary(i);
        QTableWidgetItem* mechanism = tableCell(labelText(g.mechanism), idText(g.mechanism));
        mechanism->setToolTip(mechanismTooltip(g.mechanism));
        setItem(r, 0, mechanism);
        setItem(r, 1, tableCell(QString::fromStdString(g.key)));
        QTableWidgetItem* metric = tableCell(labelText(g.metric));
        metric->setData(kCsvRole, idText(g.metric));
        metric->setToolTip(definitionText(g.metric));
        setItem(r, 2, metric);
        QTableWidgetItem* count = tableCell(QString::number(s.count));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        setItem(r, 3, count);
        const std::int64_t values[] = {s.min, s.p50, s.p90, s.p99, s.p999, s.max};
        for (int v = 0; v < 6; ++v)
            setItem(r, 4 + v, nsTableCell(values[v]));
    }
    updating_ = false;
}

void PercentileTable::selectGroup(int index) {
    updating_ = true;
    if (index >= 0 && index < rowCount()) {
        setCurrentCell(index, 0);
        scrollToItem(item(index, 0));
    }
    updating_ = false;
}

} // namespace irqlens::gui
