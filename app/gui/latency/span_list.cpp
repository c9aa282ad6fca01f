#include "app/gui/latency/span_list.h"

#include "app/gui/latency/axis_format.h"
#include "app/gui/latency/group_cache.h"
#include "app/gui/latency/plot_export.h"

#include <QHeaderView>
#include <algorithm>

namespace irqlens::gui {

namespace {
constexpr int kSpanRole = Qt::UserRole + 2;

QTableWidgetItem* cell(const QString& text, const QVariant& csv = {}) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (csv.isValid())
        item->setData(kCsvRole, csv);
    return item;
}

QTableWidgetItem* nsCell(std::int64_t ns) {
    if (ns < 0)
        return cell(QStringLiteral("unknown"), QString());
    QTableWidgetItem* item = cell(formatNs(static_cast<double>(ns)), QString::number(ns));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

struct Row {
    std::size_t valueIndex;
    std::int64_t value;
};
} // namespace

SpanList::SpanList(QWidget* parent) : QTableWidget(parent) {
    const char* headers[][2] = {
        {"Start (s)", "start_s"},  {"Value", "value_ns"}, {"Duration", "duration_ns"},
        {"Latency", "latency_ns"}, {"CPU", "cpu"},        {"Key", "key"}};
    setColumnCount(6);
    for (int c = 0; c < 6; ++c) {
        auto* header = new QTableWidgetItem(QString::fromUtf8(headers[c][0]));
        header->setData(kCsvRole, QString::fromLatin1(headers[c][1]));
        setHorizontalHeaderItem(c, header);
    }
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->setVisible(false);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
    setAlternatingRowColors(true);
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
    const bool episode = group.mechanism == "episode";
    const auto shown = std::min<std::size_t>(rows.size(), kMaxRows);
    setRowCount(static_cast<int>(shown));
    horizontalHeaderItem(1)->setText(metricLabel(group.metric));
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
            cell(QString::number(startS, 'f', 6), QString::number(startS, 'f', 9));
        start->setData(kSpanRole,
                       QVariantList{id, static_cast<qint64>(span.start), static_cast<qint64>(end)});
        start->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        setItem(row, 0, start);
        setItem(row, 1, nsCell(rows[r].value));
        setItem(row, 2, nsCell(span.duration()));
        setItem(row, 3, nsCell(span.latency()));
        setItem(row, 4, cell(QString::number(span.cpu)));
        setItem(row, 5, cell(QString::fromStdString(group.key)));
    }
    return rows.size();
}

} // namespace irqlens::gui
