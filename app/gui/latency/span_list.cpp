#include "app/gui/latency/span_list.h"

#include "app/gui/latency/axis_format.h"
#include "app/gui/latency/group_cache.h"
#include "app/gui/latency/plot_export.h"
#include "app/gui/latency/table_setup.h"
#include "app/gui/mechanism_text.h"

#include <QHeaderView>
#include <algorithm>

namespace irqlens::gui {

namespace {
constexpr int kSpanRole = Qt::UserRole + 2;

struct Row {
    std::size_t valueIndex;
    std::int64_t value;
};
} // namespace

SpanList::SpanList(QWidget* parent) : QTableWidget(parent) {
    static constexpr TableColumn kColumns[] = {
        {"Start (s)", "start_s"},  {"Value", "value_ns"}, {"Duration", "duration_ns"},
        {"Latency", "latency_ns"}, {"CPU", "cpu"},        {"Key", "key"}};
    setUpExportableTable(*this, kColumns);
    setSelectionMode(QAbstractItemView::SingleSelection);
    horizontalHeader()->setStretchLastSection(true);
    setToolTip(QStringLiteral("Double-click a span to show it on the timeline"));
    connect(this, &QTableWidget::cellDoubleClicked, this, [this](int row) {
        const QTableWidgetItem* first = item(row, 0);
        if (!first)
            return;
        const QVariantList v = first->data(kSpanRole).toList();
        emit spanActivated(v.value(0).toUInt(), v.value(1).toLongLong(), v.value(2).toLongLong());
    });
}

void SpanList::clearSpans() {
    clearContents();
    setRowCount(0);
}

SpanId SpanList::spanAt(int row) const {
    const QTableWidgetItem* first = item(row, 0);
    return first ? first->data(kSpanRole).toList().value(0).toUInt() : kNone;
}

std::size_t SpanList::showRange(const CaptureGroups& groups, int g, double lowNs, double highNs,
                                bool slowestFirst) {
    clearSpans();
    const LatencyGroup& group = groups.group(static_cast<std::size_t>(g));
    std::vector<Row> rows;
    for (std::size_t i = 0; i < group.values.size(); ++i) {
        const auto v = static_cast<double>(group.values[i]);
        if (v >= lowNs && (highNs < 0 || v < highNs))
            rows.push_back({i, group.values[i]});
    }
    if (slowestFirst)
        std::stable_sort(rows.begin(), rows.end(),
                         [](const Row& a, const Row& b) { return a.value > b.value; });
    const Analysis& analysis = *groups.capture().analysis;
    const bool episode = group.mechanism == Mechanism::Episode;
    const auto shown = std::min<std::size_t>(rows.size(), kMaxRows);
    setRowCount(static_cast<int>(shown));
    horizontalHeaderItem(1)->setText(labelText(group.metric));
    horizontalHeaderItem(1)->setToolTip(definitionText(group.metric));
    for (std::size_t r = 0; r < shown; ++r) {
        const SpanId id = groups.spanOf(static_cast<std::size_t>(g), rows[r].valueIndex);
        if (id >= analysis.spans.size())
            continue;
        const Span& span = analysis.spans[id];
        std::int64_t end = span.end;
        if (episode)
            end = analysis.episodes[group.ids[rows[r].valueIndex]].end;
        const double startS = static_cast<double>(span.start - groups.origin()) / 1e9;
        const int row = static_cast<int>(r);
        QTableWidgetItem* start =
            tableCell(QString::number(startS, 'f', 6), QString::number(startS, 'f', 9));
        start->setData(kSpanRole,
                       QVariantList{id, static_cast<qint64>(span.start), static_cast<qint64>(end)});
        start->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        setItem(row, 0, start);
        setItem(row, 1, nsTableCell(rows[r].value));
        setItem(row, 2, nsTableCell(span.duration()));
        setItem(row, 3, nsTableCell(span.latency()));
        setItem(row, 4, tableCell(QString::number(span.cpu)));
        setItem(row, 5, tableCell(QString::fromStdString(group.key)));
    }
    return rows.size();
}

} // namespace irqlens::gui
