#include "app/gui/latency/plot_export.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTableWidget>
#include <QTextStream>
#include <QToolButton>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace irqlens::gui {

namespace {

void setError(QString* error, const QString& text) {
    if (error)
        *error = text;
}

bool exportSvg(QCustomPlot* plot, const QString& path, int width, int height) {
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(QSize(width, height));
    generator.setViewBox(QRect(0, 0, width, height));
    generator.setTitle(QStringLiteral("irqlens plot"));
    QCPPainter painter;
    if (!painter.begin(&generator))
        return false;
    plot->toPainter(&painter, width, height);
    return painter.end();
}

QString csvField(QString text) {
    if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) ||
        text.contains(QLatin1Char('\n'))) {
        text.replace(QLatin1String("\""), QLatin1String("\"\""));
        return QLatin1Char('"') + text + QLatin1Char('"');
    }
    return text;
}

} // namespace

QString csvLine(const QStringList& fields) {
    QStringList quoted;
    for (const QString& f : fields)
        quoted << csvField(f);
    return quoted.join(QLatin1Char(','));
}

namespace {

QString cellText(const QTableWidget* table, int row, int column) {
    const QTableWidgetItem* item = table->item(row, column);
    if (!item)
        return {};
    const QVariant raw = item->data(kCsvRole);
    return raw.isValid() ? raw.toString() : item->text();
}

QString headerText(const QTableWidget* table, int column) {
    const QTableWidgetItem* item = table->horizontalHeaderItem(column);
    if (!item)
        return QString::number(column + 1);
    const QVariant raw = item->data(kCsvRole);
    return raw.isValid() ? raw.toString() : item->text();
}

void askAndExportPlot(QCustomPlot* plot, const QString& name, const QString& suffix) {
    const QString path = QFileDialog::getSaveFileName(
        plot, QStringLiteral("Export plot"), name + QLatin1Char('.') + suffix,
        suffix.toUpper() + QStringLiteral(" (*.") + suffix + QLatin1Char(')'));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportPlot(plot, path, &error))
        QMessageBox::warning(plot, QStringLiteral("Export failed"), error);
}

QMenu* plotExportMenu(QCustomPlot* plot, const QString& name, QWidget* parent) {
    auto* menu = new QMenu(parent);
    for (const char* suffix : {"png", "svg", "pdf"}) {
        const QString s = QString::fromLatin1(suffix);
        menu->addAction(QStringLiteral("Export plot as %1…").arg(s.toUpper()), plot,
                        [plot, name, s] { askAndExportPlot(plot, name, s); });
    }
    return menu;
}

void askAndExportTable(QTableWidget* table, const QString& name) {
    const QString path =
        QFileDialog::getSaveFileName(table, QStringLiteral("Export table"),
                                     name + QStringLiteral(".csv"), QStringLiteral("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTableCsv(table, path, &error))
        QMessageBox::warning(table, QStringLiteral("Export failed"), error);
}

} // namespace

bool exportPlot(QCustomPlot* plot, const QString& path, QString* error) {
    const int width = plot->width() > 50 ? plot->width() : 1000;
    const int height = plot->height() > 50 ? plot->height() : 600;
    const QString suffix = QFileInfo(path).suffix().toLower();
    bool ok = false;
    if (suffix == QLatin1String("png"))
        ok = plot->savePng(path, width, height, 2.0);
    else if (suffix == QLatin1String("svg"))
        ok = exportSvg(plot, path, width, height);
    else if (suffix == QLatin1String("pdf"))
        ok = plot->savePdf(path, width, height, QCP::epNoCosmetic, QStringLiteral("irqlens"));
    else {
        setError(error, QStringLiteral("%1: unknown plot format \"%2\" (use .png, .svg or .pdf)")
                            .arg(path, suffix));
        return false;
    }
    if (!ok)
        setError(error,
                 QStringLiteral("%1: could not write the %2 file").arg(path, suffix.toUpper()));
    return ok;
}

bool exportTableCsv(const QTableWidget* table, const QString& path, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        setError(error, QStringLiteral("%1: %2").arg(path, file.errorString()));
        return false;
    }
    QTextStream out(&file);
    QStringList fields;
    for (int c = 0; c < table->columnCount(); ++c)
        fields << csvField(headerText(table, c));
    out << fields.join(QLatin1Char(',')) << '\n';
    for (int r = 0; r < table->rowCount(); ++r) {
        fields.clear();
        for (int c = 0; c < table->columnCount(); ++c)
            fields << csvField(cellText(table, r, c));
        out << fields.join(QLatin1Char(',')) << '\n';
    }
    out.flush();
    if (!file.commit()) {
        setError(error, QStringLiteral("%1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

QToolButton* addPlotExport(QCustomPlot* plot, const QString& suggestedName) {
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot,
                     [plot, suggestedName](const QPoint& pos) {
                         QMenu* menu = plotExportMenu(plot, suggestedName, plot);
                         menu->setAttribute(Qt::WA_DeleteOnClose);
                         menu->popup(plot->mapToGlobal(pos));
                     });
    auto* button = new QToolButton;
    button->setText(QStringLiteral("Export…"));
    button->setToolTip(QStringLiteral("Save this plot as PNG, SVG or PDF"));
    button->setPopupMode(QToolButton::InstantPopup);
    button->setMenu(plotExportMenu(plot, suggestedName, button));
    return button;
}

QToolButton* addTableExport(QTableWidget* table, const QString& suggestedName) {
    table->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(table, &QWidget::customContextMenuRequested, table,
                     [table, suggestedName](const QPoint& pos) {
                         auto* menu = new QMenu(table);
                         menu->setAttribute(Qt::WA_DeleteOnClose);
                         menu->addAction(
                             QStringLiteral("Export table as CSV…"), table,
                             [table, suggestedName] { askAndExportTable(table, suggestedName); });
                         menu->popup(table->viewport()->mapToGlobal(pos));
                     });
    auto* button = new QToolButton;
    button->setText(QStringLiteral("Export CSV…"));
    button->setToolTip(QStringLiteral("Save this table as CSV (times in ns)"));
    QObject::connect(button, &QToolButton::clicked, table,
                     [table, suggestedName] { askAndExportTable(table, suggestedName); });
    return button;
}

QWidget* withExportButton(QWidget* content, QToolButton* button) {
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto* bar = new QHBoxLayout;
    bar->addStretch();
    bar->addWidget(button);
    layout->addLayout(bar);
    layout->addWidget(content, 1);
    return box;
}

} // namespace irqlens::gui
