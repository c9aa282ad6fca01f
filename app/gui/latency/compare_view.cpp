#include "app/gui/latency/compare_view.h"

#include "app/gui/capture_session.h"
#include "app/gui/latency/axis_format.h"
#include "app/gui/latency/delta_table.h"
#include "app/gui/latency/distribution_plots.h"
#include "app/gui/latency/plot_export.h"
#include "app/gui/mechanism_text.h"
#include "app/gui/view_registry.h"
#include "core/stats/group_compare.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace irqlens::gui {

namespace {

const ViewRegistration registration{
    ViewFactory{QStringLiteral("compare"), QStringLiteral("Compare"), 20,
                [](CaptureSession* session, QWidget* parent) -> QWidget* {
                    return new CompareView(session, parent);
                }}};

constexpr int kResamples = 1000;

QString groupText(const LatencyGroup& g) {
    return QStringLiteral("%1 · %2 · %3 (%4)")
        .arg(labelText(g.mechanism), QString::fromStdString(g.key), labelText(g.metric))
        .arg(g.values.size());
}

DeltaPair bootstrap(const SortedSeries& a, const SortedSeries& b) {
    return {bootstrapPercentileDelta(a, b, 50, kResamples),
            bootstrapPercentileDelta(a, b, 99, kResamples)};
}

} // namespace

CompareView::CompareView(CaptureSession* session, QWidget* parent)
    : QWidget(parent), session_(session) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* pickers = new QHBoxLayout;
    pickers->addWidget(buildSide(sideA_, QStringLiteral("A"), kSeriesColorA), 1);
    pickers->addWidget(buildSide(sideB_, QStringLiteral("B"), kSeriesColorB), 1);
    auto* swap = new QPushButton(QStringLiteral("Swap A ↔ B"));
    pickers->addWidget(swap);
    layout->addLayout(pickers);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(buildPlots());
    table_ = new DeltaTable;
    auto* tableBox = new QWidget;
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    note_ = new QLabel;
    note_->setWordWrap(true);
    note_->setTextFormat(Qt::RichText);
    bar->addWidget(note_, 1);
    bar->addWidget(addTableExport(table_, QStringLiteral("compare-deltas")));
    tableLayout->addLayout(bar);
    tableLayout->addWidget(table_, 1);
    split->addWidget(tableBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    connect(swap, &QPushButton::clicked, this, [this] {
        const int a = groupA_, b = groupB_;
        const int sa = sideA_.source->currentIndex(), sb = sideB_.source->currentIndex();
        updating_ = true;
        sideA_.source->setCurrentIndex(sb);
        sideB_.source->setCurrentIndex(sa);
        std::swap(sideA_.groups, sideB_.groups);
        fillGroupCombo(sideA_);
        fillGroupCombo(sideB_);
        updating_ = false;
        setPair(b, a);
    });
    connect(&watcher_, &QFutureWatcher<DeltaPair>::finished, this, [this] {
        if (pendingGeneration_ != generation_)
            return; // the pair changed since this bootstrap started
        if (watcher_.future().resultCount() > 0 && groupA_ >= 0 && groupB_ >= 0) {
            const DeltaPair d = watcher_.result();
            table_->setStatistics(sideA_.groups->summary(static_cast<std::size_t>(groupA_)),
                                  sideB_.groups->summary(static_cast<std::size_t>(groupB_)), d.p50,
                                  d.p99);
        }
        emit statisticsUpdated();
    });
    if (session_) {
        connectCaptureReload(session_, this, [this] { reload(); });
        connect(session_, &CaptureSession::comparisonChanged, this, &CompareView::reload);
    }
    reload();
}

QWidget* CompareView::buildSide(Side& side, const QString& name, const QColor& color) {
    auto* box = new QWidget;
    auto* layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* tag =
        new QLabel(QStringLiteral("<span style='color:%1; font-size:15pt'>■</span> <b>%2</b>")
                       .arg(color.name(), name));
    tag->setToolTip(QStringLiteral("Series %1 is drawn in this colour").arg(name));
    side.source = new QComboBox;
    side.source->setToolTip(QStringLiteral("Capture of series %1").arg(name));
    side.group = new QComboBox;
    side.group->setToolTip(
        QStringLiteral("Latency group of series %1: mechanism · key · metric (count)").arg(name));
    side.group->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    side.group->setMinimumContentsLength(30);
    layout->addWidget(tag);
    layout->addWidget(side.source);
    layout->addWidget(side.group, 1);
    Side* s = &side;
    connect(side.source, &QComboBox::currentIndexChanged, this, [this, s] {
        if (!updating_)
            sourceChanged(*s);
    });
    connect(side.group, &QComboBox::currentIndexChanged, this, [this, s](int index) {
        if (updating_)
            return;
        if (s == &sideA_) {
            // Follow with B when B has the matching group (same IRQ, key or function).
            int b = groupB_;
            if (index >= 0 && sideB_.groups) {
                const auto m = matchingGroup(sideA_.groups->group(static_cast<std::size_t>(index)),
                                             sideB_.groups->groups());
                if (m && sideB_.groups != sideA_.groups)
                    b = static_cast<int>(*m);
            }
            setPair(index, b);
        } else {
            setPair(groupA_, index);
        }
    });
    return box;
}

QWidget* CompareView::buildPlots() {
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* controls = new QHBoxLayout;
    controls->addStretch();
    controls->addWidget(new QLabel(QStringLiteral("Bins per decade:")));
    bins_ = new QSpinBox;
    bins_->setRange(2, 50);
    bins_->setValue(10);
    controls->addWidget(bins_);
    tail_ = new QCheckBox(QStringLiteral("Tail view (1 − CDF)"));
    controls->addWidget(tail_);
    layout->addLayout(controls);
    histogram_ = new HistogramPlot;
    histogram_->setTitle(QStringLiteral("Histogram, share of each series per bin"));
    cdf_ = new CdfPlot;
    cdf_->setTitle(QStringLiteral("Cumulative distribution"));
    auto* plots = new QSplitter(Qt::Horizontal);
    plots->addWidget(withExportButton(
        histogram_, addPlotExport(histogram_, QStringLiteral("compare-histogram"))));
    plots->addWidget(withExportButton(cdf_, addPlotExport(cdf_, QStringLiteral("compare-cdf"))));
    layout->addWidget(plots, 1);
    connect(bins_, &QSpinBox::valueChanged, histogram_, &HistogramPlot::setBinsPerDecade);
    connect(tail_, &QCheckBox::toggled, cdf_, &CdfPlot::setTailMode);
    return box;
}

void CompareView::fillSources() {
    const auto current = session_ ? session_->current() : nullptr;
    const auto comparison = session_ ? session_->comparison() : nullptr;
    for (Side* side : {&sideA_, &sideB_}) {
        side->source->clear();
        if (current)
            side->source->addItem(
                latencyGroupsOf(current) ? latencyGroupsOf(current)->fileName() : current->path, 0);
        if (comparison)
            side->source->addItem(latencyGroupsOf(comparison)
                                      ? latencyGroupsOf(comparison)->fileName()
                                      : comparison->path,
                                  1);
    }
    sideA_.groups = latencyGroupsOf(current);
    sideB_.groups = comparison ? latencyGroupsOf(comparison) : sideA_.groups;
    sideB_.source->setCurrentIndex(comparison && current ? 1 : 0);
    fillGroupCombo(sideA_);
    fillGroupCombo(sideB_);
}

void CompareView::fillGroupCombo(Side& side) {
    side.group->clear();
    if (!side.groups)
        return;
    for (const LatencyGroup& g : side.groups->groups()) {
        side.group->addItem(groupText(g));
        side.group->setItemData(side.group->count() - 1, mechanismTooltip(g.mechanism),
                                Qt::ToolTipRole);
    }
}

void CompareView::reload() {
    updating_ = true;
    fillSources();
    updating_ = false;
    if (!sideA_.groups || !sideB_.groups) {
        setPair(-1, -1);
        return;
    }
    // The pair `irqlens-cli compare` reports as default_pair (one rule, in core).
    const auto pair = session_->comparison()
                          ? defaultPair(sideA_.groups->groups(), sideB_.groups->groups())
                          : defaultPairWithin(sideA_.groups->groups()); // two groups of one
    setPair(pair ? static_cast<int>(pair->a) : -1, pair ? static_cast<int>(pair->b) : -1);
}

void CompareView::sourceChanged(Side& side) {
    const int which = side.source->currentData().toInt();
    side.groups = latencyGroupsOf(which == 1 ? session_->comparison() : session_->current());
    updating_ = true;
    fillGroupCombo(side);
    updating_ = false;
    if (!sideA_.groups || !sideB_.groups)
        return setPair(-1, -1);
    int a = groupA_, b = groupB_;
    if (&side == &sideA_)
        a = a >= 0 && static_cast<std::size_t>(a) < sideA_.groups->size() ? a : 0;
    else if (groupA_ >= 0 && static_cast<std::size_t>(groupA_) < sideA_.groups->size())
        b = static_cast<int>(matchingGroup(sideA_.groups->group(static_cast<std::size_t>(groupA_)),
                                           sideB_.groups->groups())
                                 .value_or(0));
    if (b < 0 || static_cast<std::size_t>(b) >= sideB_.groups->size())
        b = 0;
    setPair(a, b);
}

void CompareView::setPair(int a, int b) {
    const bool validA =
        sideA_.groups && a >= 0 && static_cast<std::size_t>(a) < sideA_.groups->size();
    const bool validB =
        sideB_.groups && b >= 0 && static_cast<std::size_t>(b) < sideB_.groups->size();
    groupA_ = validA ? a : -1;
    groupB_ = validB ? b : -1;
    updating_ = true;
    sideA_.group->setCurrentIndex(groupA_);
    sideB_.group->setCurrentIndex(groupB_);
    updating_ = false;
    redraw();
}

QString CompareView::seriesName(const Side& side, int group, const QString& letter) const {
    const LatencyGroup& g = side.groups->group(static_cast<std::size_t>(group));
    return QStringLiteral("%1: %2 · %3 (n = %4)")
        .arg(letter, side.groups->fileName(), QString::fromStdString(g.key))
        .arg(g.values.size());
}

void CompareView::redraw() {
    ++generation_;
    if (groupA_ < 0 || groupB_ < 0) {
        histogram_->setSeries({}, QString(), true);
        cdf_->setSeries({}, QString());
        table_->clearStatistics();
        note_->setText(
            session_ && session_->current()
                ? QStringLiteral("Pick a group for A and for B.")
                : QStringLiteral("Open a capture (and optionally a second one to compare with)."));
        return;
    }
    const auto ia = static_cast<std::size_t>(groupA_), ib = static_cast<std::size_t>(groupB_);
    const LatencyGroup& ga = sideA_.groups->group(ia);
    const LatencyGroup& gb = sideB_.groups->group(ib);
    const QString axis =
        ga.metric == gb.metric ? labelText(ga.metric) : QStringLiteral("Latency / duration");
    std::vector<PlotSeries> series{{seriesName(sideA_, groupA_, QStringLiteral("A")), kSeriesColorA,
                                    sideA_.groups->sorted(ia)},
                                   {seriesName(sideB_, groupB_, QStringLiteral("B")), kSeriesColorB,
                                    sideB_.groups->sorted(ib)}};
    const Summary& sa = sideA_.groups->summary(ia);
    const Summary& sb = sideB_.groups->summary(ib);
    const std::vector<PlotMarker> markers{
        {QStringLiteral("A p50"), static_cast<double>(sa.p50), kSeriesColorA},
        {QStringLiteral("B p50"), static_cast<double>(sb.p50), kSeriesColorB},
        {QStringLiteral("A p99"), static_cast<double>(sa.p99), kSeriesColorA},
        {QStringLiteral("B p99"), static_cast<double>(sb.p99), kSeriesColorB}};
    histogram_->setMarkers(markers);
    histogram_->setSeries(series, axis, true);
    cdf_->setMarkers(markers);
    cdf_->setSeries(series, axis);
    note_->setText(
        QStringLiteral(
            "<b>A</b> = %1 · %2, <b>B</b> = %3 · %4. Δ = B − A. The 95 % confidence interval of "
            "the p50 and p99 differences comes from %5 bootstrap resamples; a highlighted row "
            "means the interval excludes 0: a real difference, not noise.")
            .arg(labelText(ga.mechanism).toHtmlEscaped(),
                 QString::fromStdString(ga.key).toHtmlEscaped(),
                 labelText(gb.mechanism).toHtmlEscaped(),
                 QString::fromStdString(gb.key).toHtmlEscaped())
            .arg(kResamples));
    startBootstrap();
}

void CompareView::startBootstrap() {
    const auto ia = static_cast<std::size_t>(groupA_), ib = static_cast<std::size_t>(groupB_);
    const Summary& sa = sideA_.groups->summary(ia);
    const Summary& sb = sideB_.groups->summary(ib);
    auto a = sideA_.groups->sorted(ia);
    auto b = sideB_.groups->sorted(ib);
    if (sa.count + sb.count <= kSyncBootstrapLimit) {
        const DeltaPair d = bootstrap(*a, *b);
        table_->setStatistics(sa, sb, d.p50, d.p99);
        emit statisticsUpdated();
        return;
    }
    table_->setStatistics(sa, sb, std::nullopt, std::nullopt);
    // The series are shared and immutable, so the worker may read them while
    // the user picks another pair; a stale result is dropped by the watcher.
    pendingGeneration_ = generation_;
    watcher_.setFuture(QtConcurrent::run([a, b] { return bootstrap(*a, *b); }));
}

void CompareView::waitUntilIdle() {
    if (!watcher_.isRunning() || pendingGeneration_ != generation_)
        return;
    watcher_.waitForFinished();
    const DeltaPair d = watcher_.result();
    table_->setStatistics(sideA_.groups->summary(static_cast<std::size_t>(groupA_)),
                          sideB_.groups->summary(static_cast<std::size_t>(groupB_)), d.p50, d.p99);
}

} // namespace irqlens::gui
