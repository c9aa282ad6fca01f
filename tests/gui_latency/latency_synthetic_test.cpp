// Latency and compare views on hand-made analyses whose values are known:
// plotted bins against counts computed here, click-to-list against a filter
// computed here, navigation signals, exports parsed back, compare deltas.
#include "app/gui/capture_session.h"
#include "app/gui/latency/axis_format.h"
#include "app/gui/latency/compare_view.h"
#include "app/gui/latency/delta_table.h"
#include "app/gui/latency/distribution_plots.h"
#include "app/gui/latency/latency_view.h"
#include "app/gui/latency/percentile_table.h"
#include "app/gui/latency/plot_export.h"
#include "app/gui/latency/span_list.h"
#include "app/gui/latency/view_render.h"
#include "app/gui/view_registry.h"
#include "core/stats/group_compare.h"
#include "tests/gui_latency/gui_test_support.h"
#include "tests/gui_latency/synthetic_capture.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>
#include <random>
#include <set>

using namespace irqlens;
using namespace irqlens::gui;
using irqlens::test::countInBins;

namespace {

int largest(const std::vector<LatencyGroup>& groups, const char* mechanism, const char* metric);

class LatencyViewTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { irqlens::test::testApp(); }
    void SetUp() override {
        episodes_ = irqlens::test::spreadEpisodes(3000);
        session_.setCurrent(
            irqlens::test::makeCapture(episodes_, QStringLiteral("/tmp/synthetic-a.dat")));
    }
    // The group with this mechanism/metric in the view.
    int groupIndex(const LatencyView& view, const char* mechanism, const char* metric) {
        return largest(view.groups()->groups(), mechanism, metric);
    }
    std::vector<irqlens::test::SyntheticEpisode> episodes_;
    CaptureSession session_;
};

// The largest group of this mechanism and metric (ids), -1 when none.
int largest(const std::vector<LatencyGroup>& groups, const char* mechanism, const char* metric) {
    const auto i =
        largestGroup(groups, mechanismById(mechanism).value(), metricById(metric).value());
    return i ? static_cast<int>(*i) : -1;
}

std::vector<std::int64_t>
queueLatencies(const std::vector<irqlens::test::SyntheticEpisode>& episodes) {
    std::vector<std::int64_t> out;
    for (const auto& e : episodes)
        out.push_back(e.queueLatencyNs);
    return out;
}

} // namespace

TEST(ViewRegistry, LatencyAndCompareAreRegistered) {
    std::set<QString> ids;
    for (const ViewFactory& f : registeredViews()) {
        if (f.id == QLatin1String("latency")) {
            EXPECT_EQ(f.order, 10);
        }
        if (f.id == QLatin1String("compare")) {
            EXPECT_EQ(f.order, 20);
        }
        ids.insert(f.id);
    }
    EXPECT_TRUE(ids.count(QStringLiteral("latency")));
    EXPECT_TRUE(ids.count(QStringLiteral("compare")));
}

TEST_F(LatencyViewTest, HistogramBinsEqualCountsOfTheGroup) {
    LatencyView view(&session_);
    ASSERT_NE(view.groups(), nullptr);
    const int g = groupIndex(view, "workqueue", "queue_to_start");
    ASSERT_GE(g, 0);
    view.showGroup(g);
    const auto values = queueLatencies(episodes_);
    ASSERT_EQ(view.groups()->group(static_cast<std::size_t>(g)).values.size(), values.size());
    for (int bins : {10, 5, 20}) {
        view.histogram()->setBinsPerDecade(bins);
        const Histogram& h = view.histogram()->histograms().at(0);
        const auto expected = countInBins(values, h.edges);
        const auto plotted = view.histogram()->plottedHeights(0);
        ASSERT_EQ(plotted.size(), expected.size());
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            EXPECT_EQ(plotted[i], static_cast<double>(expected[i]))
                << "bin " << i << " at " << bins << "/decade";
            total += expected[i];
        }
        EXPECT_EQ(total, values.size());
        // Edges are logarithmic: a constant ratio of 10^(1/bins).
        EXPECT_NEAR(h.edges[5] / h.edges[4], std::pow(10.0, 1.0 / bins), 1e-9);
    }
}

TEST_F(LatencyViewTest, ClickingABinListsItsSpansAndDoubleClickNavigates) {
    LatencyView view(&session_);
    view.resize(1400, 900);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    const int g = groupIndex(view, "workqueue", "queue_to_start");
    view.showGroup(g);
    const Histogram& h = view.histogram()->histograms().at(0);
    const std::size_t bin = static_cast<std::size_t>(
        std::max_element(h.counts.begin(), h.counts.end()) - h.counts.begin());
    QTest::mouseClick(view.histogram(), Qt::LeftButton, {}, view.histogram()->binCenter(bin));

    // The spans whose queue latency falls in that bin, found here from the input.
    std::set<SpanId> expected;
    for (std::size_t i = 0; i < episodes_.size(); ++i) {
        const auto v = static_cast<double>(episodes_[i].queueLatencyNs);
        if (v >= h.edges[bin] && v < h.edges[bin + 1])
            expected.insert(static_cast<SpanId>(2 * i + 1)); // the work span of episode i
    }
    ASSERT_GT(expected.size(), 10u);
    SpanList* list = view.spanList();
    ASSERT_EQ(static_cast<std::size_t>(list->rowCount()), expected.size());
    std::set<SpanId> listed;
    for (int r = 0; r < list->rowCount(); ++r)
        listed.insert(list->spanAt(r));
    EXPECT_EQ(listed, expected);

    QSignalSpy selected(&session_, &CaptureSession::spanSelected);
    QSignalSpy range(&session_, &CaptureSession::rangeRequested);
    QSignalSpy requested(&session_, &CaptureSession::viewRequested);
    list->scrollToTop();
    const QRect cell = list->visualItemRect(list->item(0, 0));
    // An item view takes a double click only on the item it was pressed on.
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, cell.center());
    ASSERT_EQ(selected.count(), 1);
    const SpanId id = selected.at(0).at(0).value<SpanId>();
    EXPECT_EQ(id, list->spanAt(0));
    EXPECT_EQ(session_.selectedSpan(), id);
    ASSERT_EQ(range.count(), 1);
    const Span& span = session_.current()->analysis->spans[id];
    EXPECT_LE(range.at(0).at(0).toLongLong(), span.start);
    EXPECT_GE(range.at(0).at(1).toLongLong(), span.end);
    ASSERT_EQ(requested.count(), 1);
    EXPECT_EQ(requested.at(0).at(0).toString(), QStringLiteral("timeline"));
}

TEST_F(LatencyViewTest, ClickingTheCdfTailListsTheSlowestSpans) {
    LatencyView view(&session_);
    view.resize(1400, 900);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.showGroup(groupIndex(view, "workqueue", "queue_to_start"));
    view.cdf()->setTailMode(true);
    const auto& points = view.cdf()->points(0);
    ASSERT_GT(points.size(), 20u);
    const std::size_t pick = points.size() - 8;
    QTest::mouseClick(view.cdf(), Qt::LeftButton, {}, view.cdf()->pointPosition(0, pick));
    const auto values = queueLatencies(episodes_);
    const auto expected = std::count_if(values.begin(), values.end(),
                                        [&](std::int64_t v) { return v >= points[pick].x; });
    ASSERT_GT(expected, 0);
    ASSERT_EQ(view.spanList()->rowCount(), expected);
    // Slowest first.
    const auto slowest = *std::max_element(values.begin(), values.end());
    EXPECT_EQ(view.spanList()->item(0, 1)->data(kCsvRole).toLongLong(), slowest);
}

TEST_F(LatencyViewTest, PercentileTableMatchesNearestRank) {
    LatencyView view(&session_);
    const int g = groupIndex(view, "workqueue", "queue_to_start");
    auto values = queueLatencies(episodes_);
    std::sort(values.begin(), values.end());
    // Nearest rank ceil(p/100 * n) in integers (per mille), free of rounding.
    auto rank = [&](std::size_t perMille) {
        return values[(perMille * values.size() + 999) / 1000 - 1];
    };
    PercentileTable* table = view.percentileTable();
    ASSERT_EQ(table->rowCount(), static_cast<int>(view.groups()->size()));
    EXPECT_EQ(table->item(g, 3)->text().toULongLong(), values.size());
    EXPECT_EQ(table->item(g, 4)->data(kCsvRole).toLongLong(), values.front());
    EXPECT_EQ(table->item(g, 5)->data(kCsvRole).toLongLong(), rank(500));
    EXPECT_EQ(table->item(g, 6)->data(kCsvRole).toLongLong(), rank(900));
    EXPECT_EQ(table->item(g, 7)->data(kCsvRole).toLongLong(), rank(990));
    EXPECT_EQ(table->item(g, 8)->data(kCsvRole).toLongLong(), rank(999));
    EXPECT_EQ(table->item(g, 9)->data(kCsvRole).toLongLong(), values.back());
    // Selecting a row plots that group.
    table->setCurrentCell(g, 0);
    EXPECT_EQ(view.currentGroup(), g);
}

TEST_F(LatencyViewTest, ExportsArePngSvgPdfAndCsv) {
    LatencyView view(&session_);
    view.resize(1400, 900);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    QTemporaryDir dir;
    QString error;
    for (QCustomPlot* plot :
         {static_cast<QCustomPlot*>(view.histogram()), static_cast<QCustomPlot*>(view.cdf())}) {
        ASSERT_TRUE(exportPlot(plot, dir.filePath("p.png"), &error)) << error.toStdString();
        const QImage png(dir.filePath("p.png"));
        ASSERT_FALSE(png.isNull());
        EXPECT_EQ(png.width(), plot->width() * 2); // exported at 2x for print
        ASSERT_TRUE(exportPlot(plot, dir.filePath("p.svg"), &error)) << error.toStdString();
        EXPECT_EQ(irqlens::test::xmlRoot(dir.filePath("p.svg")), QStringLiteral("svg"));
        // Vector output: the curves are SVG paths or polylines, not an embedded image.
        const QByteArray svg = irqlens::test::readAll(dir.filePath("p.svg"));
        EXPECT_TRUE(svg.contains("<polyline") || svg.contains("<path"));
        EXPECT_FALSE(svg.contains("<image"));
        ASSERT_TRUE(exportPlot(plot, dir.filePath("p.pdf"), &error)) << error.toStdString();
        const QByteArray pdf = irqlens::test::readAll(dir.filePath("p.pdf"));
        EXPECT_TRUE(pdf.startsWith("%PDF"));
        EXPECT_TRUE(pdf.trimmed().endsWith("%%EOF"));
    }
    EXPECT_FALSE(exportPlot(view.histogram(), dir.filePath("p.bmpx"), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("unknown plot format")));

    ASSERT_TRUE(exportTableCsv(view.percentileTable(), dir.filePath("t.csv"), &error));
    const auto rows = irqlens::test::readCsv(dir.filePath("t.csv"));
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(view.percentileTable()->rowCount()) + 1);
    EXPECT_EQ(rows[0].value(5), QStringLiteral("p50_ns"));
    const int g = view.currentGroup();
    EXPECT_EQ(rows[static_cast<std::size_t>(g) + 1].value(5).toLongLong(),
              view.groups()->summary(static_cast<std::size_t>(g)).p50);

    view.showGroup(groupIndex(view, "workqueue", "queue_to_start"));
    QTest::mouseClick(view.histogram(), Qt::LeftButton, {}, view.histogram()->binCenter(35));
    ASSERT_GT(view.spanList()->rowCount(), 0);
    ASSERT_TRUE(exportTableCsv(view.spanList(), dir.filePath("s.csv"), &error));
    EXPECT_EQ(irqlens::test::readCsv(dir.filePath("s.csv")).size(),
              static_cast<std::size_t>(view.spanList()->rowCount()) + 1);
    EXPECT_FALSE(exportTableCsv(view.spanList(), QStringLiteral("/nonexistent-dir/x.csv"), &error));
}

TEST_F(LatencyViewTest, CompareShowsDeltasWithConfidenceIntervals) {
    // B: the same episodes with queue latencies 3x slower.
    const auto slow = irqlens::test::spreadEpisodes(3000, 3.0);
    session_.setComparison(
        irqlens::test::makeCapture(slow, QStringLiteral("/tmp/synthetic-b.dat")));
    CompareView view(&session_);
    view.waitUntilIdle();
    ASSERT_NE(view.groupsA(), nullptr);
    ASSERT_NE(view.groupsB(), nullptr);
    EXPECT_NE(view.groupsA(), view.groupsB());
    const auto [a, b] = view.pair();
    ASSERT_GE(a, 0);
    ASSERT_GE(b, 0);
    // The natural default: episode end-to-end of IRQ 36 in both.
    EXPECT_EQ(view.groupsA()->group(static_cast<std::size_t>(a)).mechanism, Mechanism::Episode);
    EXPECT_EQ(view.groupsB()->group(static_cast<std::size_t>(b)).key,
              view.groupsA()->group(static_cast<std::size_t>(a)).key);

    const int qa = largest(view.groupsA()->groups(), "workqueue", "queue_to_start");
    const int qb = largest(view.groupsB()->groups(), "workqueue", "queue_to_start");
    view.setPair(qa, qb);
    view.waitUntilIdle();
    DeltaTable* table = view.deltaTable();
    const int p50 = table->rowOf(QStringLiteral("p50"));
    ASSERT_GE(p50, 0);
    auto va = queueLatencies(episodes_), vb = queueLatencies(slow);
    std::sort(va.begin(), va.end());
    std::sort(vb.begin(), vb.end());
    const auto median = [](const std::vector<std::int64_t>& v) {
        return v[(v.size() + 1) / 2 - 1];
    };
    EXPECT_EQ(table->item(p50, 1)->data(kCsvRole).toDouble(), static_cast<double>(median(va)));
    EXPECT_EQ(table->item(p50, 3)->data(kCsvRole).toDouble(),
              static_cast<double>(median(vb) - median(va)));
    EXPECT_EQ(table->item(p50, 6)->data(kCsvRole).toString(), QStringLiteral("yes"));
    // Overlay: both series drawn, each normalised to its own count.
    ASSERT_EQ(view.histogram()->graphCount(), 2);
    const auto heightsB = view.histogram()->plottedHeights(1);
    const auto countsB = countInBins(vb, view.histogram()->histograms().at(1).edges);
    for (std::size_t i = 0; i < countsB.size(); ++i)
        EXPECT_NEAR(heightsB[i] * static_cast<double>(vb.size()), static_cast<double>(countsB[i]),
                    1e-6);
}

TEST_F(LatencyViewTest, CompareOfACaptureWithItselfHasZeroDeltas) {
    session_.setComparison(session_.current());
    CompareView view(&session_);
    view.waitUntilIdle();
    const auto [a, b] = view.pair();
    ASSERT_GE(a, 0);
    EXPECT_EQ(a, b);
    DeltaTable* table = view.deltaTable();
    for (const char* stat : {"p50", "p99"}) {
        const int r = table->rowOf(QString::fromLatin1(stat));
        ASSERT_GE(r, 0);
        EXPECT_EQ(table->item(r, 3)->data(kCsvRole).toDouble(), 0.0) << stat;
        const QStringList ci = table->item(r, 5)->data(kCsvRole).toString().split(QLatin1Char(';'));
        ASSERT_EQ(ci.size(), 2);
        EXPECT_LE(ci[0].toDouble(), 0.0);
        EXPECT_GE(ci[1].toDouble(), 0.0);
        EXPECT_EQ(table->item(r, 6)->data(kCsvRole).toString(), QStringLiteral("no"));
    }
}

TEST_F(LatencyViewTest, RendersBeforeShowForScreenshots) {
    session_.setComparison(irqlens::test::makeCapture(irqlens::test::spreadEpisodes(3000, 3.0),
                                                      QStringLiteral("/tmp/synthetic-b.dat")));
    const QString dir = irqlens::test::screenshotDir();
    for (const char* id : {"latency", "compare"}) {
        QWidget* view = nullptr;
        for (const ViewFactory& f : registeredViews()) {
            if (f.id == QLatin1String(id))
                view = f.create(&session_, nullptr);
        }
        ASSERT_NE(view, nullptr);
        const QImage image = renderWidget(view, QSize(1400, 900));
        ASSERT_EQ(image.size(), QSize(1400, 900) * image.devicePixelRatio());
        // Not blank: the plots drew the series colour somewhere.
        bool blue = false;
        for (int y = 0; y < image.height() && !blue; y += 2)
            for (int x = 0; x < image.width() && !blue; x += 2)
                blue = image.pixelColor(x, y) == kSeriesColorA;
        EXPECT_TRUE(blue) << id;
        image.save(dir + QStringLiteral("/synthetic-%1.png").arg(QLatin1String(id)));
        delete view;
    }
}

TEST(LatencyRebin, OneMillionValuesRebinAndRedrawQuickly) {
    irqlens::test::testApp();
    std::mt19937_64 rng(7);
    std::lognormal_distribution<double> dist(std::log(20'000.0), 1.2);
    std::vector<std::int64_t> values(1'000'000);
    for (auto& v : values)
        v = static_cast<std::int64_t>(dist(rng));
    auto sorted = std::make_shared<const SortedSeries>(values);
    HistogramPlot plot;
    plot.resize(800, 500);
    plot.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&plot));
    QElapsedTimer timer;
    timer.start();
    plot.setSeries({{QStringLiteral("1M"), kSeriesColorA, sorted}}, QStringLiteral("Latency"),
                   false);
    const qint64 firstMs = timer.elapsed();
    timer.restart();
    constexpr int kRebins = 10;
    for (int i = 0; i < kRebins; ++i)
        plot.setBinsPerDecade(5 + i * 3); // each call rebins and replots at once
    const double rebinMs = static_cast<double>(timer.elapsed()) / kRebins;
    std::uint64_t total = 0;
    for (auto c : plot.histograms().at(0).counts)
        total += c;
    EXPECT_EQ(total, values.size());
    std::printf("[ rebin ] 1M values: first bin+draw %lld ms, rebin+redraw %.1f ms each\n",
                static_cast<long long>(firstMs), rebinMs);
    RecordProperty("rebin_ms_1M", static_cast<int>(rebinMs));
    // The issue asks for <= 50 ms in an optimised build; a debug build gets slack.
    EXPECT_LT(rebinMs, 500.0);
}

// Switching groups in the view with 1 M values per group: the first visit
// sorts the group once; later visits only rebin and redraw.
TEST(LatencyRebin, GroupSwitchWithOneMillionSpans) {
    irqlens::test::testApp();
    CaptureSession session;
    session.setCurrent(irqlens::test::makeCapture(irqlens::test::spreadEpisodes(1'000'000),
                                                  QStringLiteral("/tmp/big.dat")));
    QElapsedTimer timer;
    timer.start();
    LatencyView view(&session); // builds groups and every group's percentiles
    const qint64 openMs = timer.elapsed();
    view.resize(1400, 900);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    const int wq = largest(view.groups()->groups(), "workqueue", "queue_to_start");
    const int episode = largest(view.groups()->groups(), "episode", "end_to_end");
    ASSERT_EQ(view.groups()->group(static_cast<std::size_t>(wq)).values.size(), 1'000'000u);
    timer.restart();
    constexpr int kSwitches = 10;
    for (int i = 0; i < kSwitches; ++i) {
        view.showGroup(i % 2 ? wq : episode);
        QApplication::processEvents(); // paint
    }
    const double switchMs = static_cast<double>(timer.elapsed()) / kSwitches;
    std::printf("[ switch ] 1M spans per group: open view %lld ms (groups + sorting), group switch "
                "%.1f ms\n",
                static_cast<long long>(openMs), switchMs);
    RecordProperty("group_switch_ms_1M", static_cast<int>(switchMs));
    EXPECT_LT(switchMs, 1000.0);
}
