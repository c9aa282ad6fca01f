// The set-up the latency and compare tables share: headers that carry their
// CSV names (for exportTableCsv), read-only whole-row selection, compact rows,
// and cells that show a formatted value while exporting the exact one.
#pragma once

#include <QString>
#include <QVariant>
#include <cstdint>
#include <span>

class QTableWidget;
class QTableWidgetItem;

namespace irqlens::gui {

struct TableColumn {
    const char* title; // UTF-8, shown
    const char* csv;   // Latin-1, the CSV header
};

void setUpExportableTable(QTableWidget& table, std::span<const TableColumn> columns);

// A read-only cell; a valid `csv` is what CSV export writes instead of the text.
QTableWidgetItem* tableCell(const QString& text, const QVariant& csv = {});
// A right-aligned duration ("12.3 µs"), exported in ns; negative: "unknown".
QTableWidgetItem* nsTableCell(std::int64_t ns);

} // namespace irqlens::gui
