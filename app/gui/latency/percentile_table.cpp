#include "app/gui/latency/percentile_table.h"

#include "app/gui/latency/axis_format.h"
#include "app/gui/latency/group_cache.h"
#include "app/gui/latency/plot_export.h"

#include <QHeaderView>

namespace irqlens::gui {

namespace {
struct Column {
    const char* title;
    const char* csv;
};
constexpr Column kColumns[] = {{"Mechanism", "mechanism"}, {"Key", "key"},    {"Metric", "metric"},
                               {"Count", "count"},         {"Min", "min_ns"}, {"p50", "p50_ns"},
                               {"p90", "p90_ns"},          {"p99", "p99_ns"}, {"p99.9", "p999_ns"},
                               {"Max", "max_ns"}};

QTableWidgetItem* textItem(const QString& text) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

QTableWidgetItem* nsItem(std::int64_t ns) {
    QTableWidgetItem* item = textItem(formatNs(static_cast<double>(ns)));
    item->setData(kCsvRole, QString::number(ns));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}
} // namespace

PercentileTable::PercentileTable(QWidget* parent) : QTableWidget(parent) {
    setColumnCount(static_cast<int>(std::size(kColumns)));
    for (int c = 0; c < columnCount(); ++c) {
        auto* header = new QTableWidgetItem(QString::fromUtf8(kColumns[c].title));
        header->setData(kCsvRole, QString::fromLatin1(kColumns[c].csv));
        setHorizontalHeaderItem(c, header);
    }
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->setVisible(false);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    setAlternatingRowColors(true);
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
        QTableWidgetItem* mechanism = textItem(mechanismLabel(g.mechanism));
        mechanism->setData(kCsvRole, QString::fromStdString(g.mechanism));
        setItem(r, 0, mechanism);
        setItem(r, 1, textItem(QString::fromStdString(g.key)));
        QTableWidgetItem* metric = textItem(metricLabel(g.metric));
        metric->setData(kCsvRole, QString::fromStdString(g.metric));
        metric->setToolTip(metricDefinition(g.metric));
        setItem(r, 2, metric);
        QTableWidgetItem* count = textItem(QString::number(s.count));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        setItem(r, 3, count);
        const std::int64_t values[] = {s.min, s.p50, s.p90, s.p99, s.p999, s.max};
        for (int v = 0; v < 6; ++v)
            setItem(r, 4 + v, nsItem(values[v]));
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
