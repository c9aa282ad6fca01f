#include "app/gui/latency/latency_view.h"

#include "app/gui/capture_session.h"
#include "app/gui/latency/axis_format.h"
#include "app/gui/latency/distribution_plots.h"
#include "app/gui/latency/group_tree.h"
#include "app/gui/latency/percentile_table.h"
#include "app/gui/latency/plot_export.h"
#include "app/gui/latency/span_list.h"
#include "app/gui/mechanism_text.h"
#include "app/gui/time_format.h"
#include "app/gui/view_registry.h"
#include "core/stats/group_compare.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <limits>

namespace irqlens::gui {

namespace {

const ViewRegistration registration{
    ViewFactory{QStringLiteral("latency"), QStringLiteral("Latency"), 10,
                [](CaptureSession* session, QWidget* parent) -> QWidget* {
                    return new LatencyView(session, parent);
                }}};

} // namespace

LatencyView::LatencyView(CaptureSession* session, QWidget* parent)
    : QWidget(parent), session_(session) {
    tree_ = new GroupTree;
    tree_->setMinimumWidth(230);
    auto* right = new QSplitter(Qt::Vertical);
    right->addWidget(buildPlots());
    right->addWidget(buildTables());
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(tree_);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setSizes({260, 1000});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    connect(tree_, &GroupTree::groupSelected, this, &LatencyView::showGroup);
    connect(table_, &PercentileTable::groupActivated, this, &LatencyView::showGroup);
    connect(histogram_, &HistogramPlot::binClicked, this, &LatencyView::listBin);
    connect(cdf_, &CdfPlot::tailClicked, this, &LatencyView::listTail);
    connect(spans_, &SpanList::spanActivated, this, &LatencyView::showSpan);
    if (session_) {
        connectCaptureReload(session_, this, [this] { reload(); });
        connect(session_, &CaptureSession::latencyGroupRequested, this, [this](const QString& id) {
            if (groups_ != latencyGroupsOf(session_->current())) {
                reload(); // a live picture came while this view was hidden
            }
            if (groups_) {
                if (const auto i = findGroup(groups_->groups(), id.toStdString()))
                    showGroup(static_cast<int>(*i));
            }
        });
    }
    reload();
}

QWidget* LatencyView::buildPlots() {
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    title_ = new QLabel(QStringLiteral("No capture loaded"));
    title_->setTextFormat(Qt::RichText);
    title_->setWordWrap(true);
    auto* controls = new QHBoxLayout;
    controls->addWidget(title_, 1);
    controls->addWidget(new QLabel(QStringLiteral("Bins per decade:")));
    bins_ = new QSpinBox;
    bins_->setRange(2, 50);
    bins_->setValue(10);
    controls->addWidget(bins_);
    logCounts_ = new QCheckBox(QStringLiteral("Log count axis"));
    tail_ = new QCheckBox(QStringLiteral("Tail view (1 − CDF)"));
    controls->addWidget(logCounts_);
    controls->addWidget(tail_);
    layout->addLayout(controls);

    histogram_ = new HistogramPlot;
    cdf_ = new CdfPlot;
    histogram_->setTitle(QStringLiteral("Histogram (logarithmic bins)"));
    cdf_->setTitle(QStringLiteral("Cumulative distribution"));
    auto* plots = new QSplitter(Qt::Horizontal);
    plots->addWidget(withExportButton(
        histogram_, addPlotExport(histogram_, QStringLiteral("latency-histogram"))));
    plots->addWidget(withExportButton(cdf_, addPlotExport(cdf_, QStringLiteral("latency-cdf"))));
    layout->addWidget(plots, 1);

    connect(bins_, &QSpinBox::valueChanged, histogram_, &HistogramPlot::setBinsPerDecade);
    connect(logCounts_, &QCheckBox::toggled, histogram_, &HistogramPlot::setLogCounts);
    connect(tail_, &QCheckBox::toggled, cdf_, &CdfPlot::setTailMode);
    return box;
}

QWidget* LatencyView::buildTables() {
    table_ = new PercentileTable;
    spans_ = new SpanList;
    auto* tabs = new QTabWidget;
    tabs->addTab(
        withExportButton(table_, addTableExport(table_, QStringLiteral("latency-percentiles"))),
        QStringLiteral("Percentiles"));
    auto* spanBox = new QWidget;
    auto* layout = new QVBoxLayout(spanBox);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    spansTitle_ = new QLabel;
    bar->addWidget(spansTitle_, 1);
    bar->addWidget(addTableExport(spans_, QStringLiteral("latency-spans")));
    layout->addLayout(bar);
    layout->addWidget(spans_, 1);
    tabs->addTab(spanBox, QStringLiteral("Spans"));
    tabs->setObjectName(QStringLiteral("latencyTables"));
    return tabs;
}

void LatencyView::reload() {
    // A live picture keeps the group the user looks at (by id: indices move
    // as groups appear).
    std::string kept;
    const bool live = session_ && session_->current() && session_->current()->live;
    if (live && groups_ && group_ >= 0 && static_cast<std::size_t>(group_) < groups_->size()) {
        kept = groupId(groups_->group(static_cast<std::size_t>(group_)));
    }
    groups_ = session_ ? latencyGroupsOf(session_->current()) : nullptr;
    group_ = -1;
    tree_->setGroups(groups_.get());
    table_->setGroups(groups_.get());
    spans_->clearSpans();
    if (!groups_ || groups_->size() == 0) {
        title_->setText(groups_
                            ? QStringLiteral("This capture has no latency groups (no IRQ, softirq, "
                                             "workqueue or irq-thread spans)")
                            : QStringLiteral("No capture loaded"));
        histogram_->setSeries({}, QString(), false);
        cdf_->setSeries({}, QString());
        return;
    }
    if (!kept.empty()) {
        if (const auto same = findGroup(groups_->groups(), kept)) {
            showGroup(static_cast<int>(*same));
            return;
        }
    }
    const auto first = largestGroup(groups_->groups(), Mechanism::Episode, Metric::EndToEnd);
    showGroup(first ? static_cast<int>(*first) : 0);
}

void LatencyView::showGroup(int index) {
    if (!groups_ || index < 0 || static_cast<std::size_t>(index) >= groups_->size())
        return;
    group_ = index;
    const auto i = static_cast<std::size_t>(index);
    const LatencyGroup& g = groups_->group(i);
    const Summary& s = groups_->summary(i);
    title_->setText(
        QStringLiteral("<b>%1 · %2 · %3</b> — %4 values<br><span style='color:#666'>%5 · %6</span>")
            .arg(labelText(g.mechanism).toHtmlEscaped(),
                 QString::fromStdString(g.key).toHtmlEscaped(), labelText(g.metric).toHtmlEscaped(),
                 QString::number(s.count), definitionText(g.metric).toHtmlEscaped(),
                 groups_->fileName().toHtmlEscaped()));
    title_->setToolTip(mechanismTooltip(g.mechanism));
    const QString axis = labelText(g.metric);
    std::vector<PlotSeries> series{
        {QString::fromStdString(g.key) + QStringLiteral(" (n = %1)").arg(s.count), kSeriesColorA,
         groups_->sorted(i)}};
    const auto p50 = static_cast<double>(s.p50), p99 = static_cast<double>(s.p99);
    histogram_->setMarkers({{QStringLiteral("p50"), p50}, {QStringLiteral("p99"), p99}});
    histogram_->setSeries(series, axis, false);
    cdf_->setMarkers({{QStringLiteral("p50"), p50},
                      {QStringLiteral("p90"), static_cast<double>(s.p90)},
                      {QStringLiteral("p99"), p99},
                      {QStringLiteral("p99.9"), static_cast<double>(s.p999)}});
    cdf_->setSeries(series, axis);
    tree_->selectGroup(index);
    table_->selectGroup(index);
    spans_->clearSpans();
    spansTitle_->setText(
        QStringLiteral("Click a histogram bar or a point of the CDF to list its spans."));
}

void LatencyView::listBin(double lowNs, double highNs, int bin) {
    if (!groups_ || group_ < 0)
        return;
    // logHistogram puts values below the first edge (0 ns, negative) in bin 0.
    const double low = bin == 0 ? -std::numeric_limits<double>::infinity() : lowNs;
    const std::size_t n = spans_->showRange(*groups_, group_, low, highNs, false);
    spansTitle_->setText(
        QStringLiteral(
            "%1 spans with %2 in [%3, %4)%5 — double-click one to show it on the timeline")
            .arg(n)
            .arg(labelText(groups_->group(static_cast<std::size_t>(group_)).metric).toLower(),
                 formatDuration(lowNs), formatDuration(highNs),
                 n > SpanList::kMaxRows
                     ? QStringLiteral(" (first %1 shown)").arg(SpanList::kMaxRows)
                     : QString()));
    if (auto* tabs = findChild<QTabWidget*>(QStringLiteral("latencyTables")))
        tabs->setCurrentIndex(1);
}

void LatencyView::listTail(double fromNs) {
    if (!groups_ || group_ < 0)
        return;
    const std::size_t n = spans_->showRange(*groups_, group_, fromNs, -1, true);
    spansTitle_->setText(
        QStringLiteral(
            "%1 spans with %2 ≥ %3, slowest first%4 — double-click one to show it on the timeline")
            .arg(n)
            .arg(labelText(groups_->group(static_cast<std::size_t>(group_)).metric).toLower(),
                 formatDuration(fromNs),
                 n > SpanList::kMaxRows
                     ? QStringLiteral(" (first %1 shown)").arg(SpanList::kMaxRows)
                     : QString()));
    if (auto* tabs = findChild<QTabWidget*>(QStringLiteral("latencyTables")))
        tabs->setCurrentIndex(1);
}

void LatencyView::showSpan(SpanId span, qint64 startNs, qint64 endNs) {
    if (!session_ || span == kNone)
        return;
    // Some context either side so the span is not glued to the view's edges.
    const qint64 pad = std::max<qint64>((endNs - startNs) / 2, 20'000);
    session_->selectSpan(span);
    session_->showRange(startNs - pad, endNs + pad);
    emit session_->viewRequested(QStringLiteral("timeline"));
}

} // namespace irqlens::gui
