#include "app/gui/latency/table_setup.h"

#include "app/gui/latency/axis_format.h"
#include "app/gui/latency/plot_export.h"
#include "app/gui/time_format.h"

#include <QHeaderView>
#include <QTableWidget>

namespace irqlens::gui {

void setUpExportableTable(QTableWidget& table, std::span<const TableColumn> columns) {
    table.setColumnCount(static_cast<int>(columns.size()));
    for (std::size_t c = 0; c < columns.size(); ++c) {
        auto* header = new QTableWidgetItem(QString::fromUtf8(columns[c].title));
        header->setData(kCsvRole, QString::fromLatin1(columns[c].csv));
        table.setHorizontalHeaderItem(static_cast<int>(c), header);
    }
    table.setEditTriggers(QAbstractItemView::NoEditTriggers);
    table.setSelectionBehavior(QAbstractItemView::SelectRows);
    table.verticalHeader()->setVisible(false);
    table.verticalHeader()->setDefaultSectionSize(table.fontMetrics().height() + 6);
    table.horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table.setAlternatingRowColors(true);
}

QTableWidgetItem* tableCell(const QString& text, const QVariant& csv) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (csv.isValid())
        item->setData(kCsvRole, csv);
    return item;
}

QTableWidgetItem* nsTableCell(std::int64_t ns) {
    if (ns < 0)
        return tableCell(QStringLiteral("unknown"), QString());
    QTableWidgetItem* item =
        tableCell(formatDuration(static_cast<double>(ns)), QString::number(ns));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace irqlens::gui
