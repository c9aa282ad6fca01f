// Exporting what a view shows: plots as PNG, SVG or PDF (chosen by the file
// suffix) and tables as CSV, with a context menu and a button for each.
#pragma once

#include <QString>
#include <QStringList>

class QCustomPlot;
class QTableWidget;
class QToolButton;
class QWidget;

namespace irqlens::gui {

// Table cells may carry the exact value for CSV in this role (raw ns numbers,
// where the cell shows "12.3 µs").
inline constexpr int kCsvRole = 0x0100 + 7; // Qt::UserRole + 7

// Writes the plot at its current size (or 1000×600 when it has none).
// Returns false and sets `error` (one line) on failure.
bool exportPlot(QCustomPlot* plot, const QString& path, QString* error = nullptr);
// Fields joined by commas, each quoted (RFC 4180) only when it has to be.
QString csvLine(const QStringList& fields);
// Header row plus one line per table row, RFC 4180 quoting.
bool exportTableCsv(const QTableWidget* table, const QString& path, QString* error = nullptr);

// Right-click menu "Export plot as PNG/SVG/PDF…" on the plot, and a tool
// button with the same menu (returned, for the view's toolbar).
QToolButton* addPlotExport(QCustomPlot* plot, const QString& suggestedName);

// `content` with its export button right-aligned above it (plots and tables).
QWidget* withExportButton(QWidget* content, QToolButton* button);
QToolButton* addTableExport(QTableWidget* table, const QString& suggestedName);

} // namespace irqlens::gui
