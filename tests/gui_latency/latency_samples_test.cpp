// Latency and compare views on the shared real captures (irq_wq.dat,
// net_v6.dat): every plotted histogram bin against counts computed here from
// the group, group totals against `trace-cmd report`, click-to-list, a
// capture compared with itself, exports, and the README screenshots.
#include "app/gui/capture_session.h"
#include "app/gui/latency/compare_view.h"
#include "app/gui/latency/delta_table.h"
#include "app/gui/latency/distribution_plots.h"
#include "app/gui/latency/latency_view.h"
#include "app/gui/latency/percentile_table.h"
#include "app/gui/latency/plot_export.h"
#include "app/gui/latency/span_list.h"
#include "app/gui/latency/view_render.h"
#include "parsers/capture_loader.h"
#include "tests/gui_latency/gui_test_support.h"

#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>
#include <map>

using namespace irqlens;
using namespace irqlens::gui;
using irqlens::test::countInBins;
using irqlens::test::qDataPath;

namespace {

std::shared_ptr<const LoadedCapture> load(const QString& path) {
    LoadResult result = loadCapture(path.toStdString());
    if (!result.ok())
        return nullptr;
    auto capture = std::make_shared<LoadedCapture>();
    auto analysis = std::make_shared<Analysis>(analyze(*result.store));
    capture->store = std::shared_ptr<const EventStore>(std::move(result.store));
    capture->analysis = analysis;
    capture->path = path;
    capture->loadSeconds = result.seconds;
    return capture;
}

// Per event name, how many events `trace-cmd report` prints (independent of our reader).
std::map<QString, long> reportCounts(const QString& path) {
    QProcess report;
    report.start(QStringLiteral("trace-cmd"),
                 {QStringLiteral("report"), QStringLiteral("-i"), path});
    std::map<QString, long> counts;
    if (!report.waitForFinished(120000))
        return counts;
    for (const QByteArray& line : report.readAllStandardOutput().split('\n')) {
        for (const char* name : {"irq_handler_entry:", "irq_handler_exit:"}) {
            if (line.contains(name))
                ++counts[QString::fromLatin1(name)];
        }
    }
    return counts;
}

class LatencySamplesTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        irqlens::test::testApp();
        wq_ = load(qDataPath("irq_wq.dat"));
        net_ = load(qDataPath("net_v6.dat"));
    }
    static void TearDownTestSuite() {
        wq_.reset();
        net_.reset();
    }
    void SetUp() override { ASSERT_TRUE(wq_ && net_) << "irq_wq.dat / net_v6.dat did not load"; }
    static std::shared_ptr<const LoadedCapture> wq_, net_;
};
std::shared_ptr<const LoadedCapture> LatencySamplesTest::wq_, LatencySamplesTest::net_;

} // namespace

TEST_F(LatencySamplesTest, EveryPlottedBinEqualsTheGroupsCounts) {
    for (const auto& capture : {wq_, net_}) {
        CaptureSession session;
        session.setCurrent(capture);
        LatencyView view(&session);
        ASSERT_NE(view.groups(), nullptr);
        ASSERT_GT(view.groups()->size(), 3u) << capture->path.toStdString();
        for (std::size_t g = 0; g < view.groups()->size(); ++g) {
            view.showGroup(static_cast<int>(g));
            const LatencyGroup& group = view.groups()->group(g);
            const auto expected =
                countInBins(group.values, view.histogram()->histograms().at(0).edges);
            const auto plotted = view.histogram()->plottedHeights(0);
            ASSERT_EQ(plotted.size(), expected.size()) << groupId(group);
            for (std::size_t i = 0; i < expected.size(); ++i)
                ASSERT_EQ(plotted[i], static_cast<double>(expected[i]))
                    << groupId(group) << " bin " << i;
            EXPECT_EQ(view.percentileTable()->item(static_cast<int>(g), 3)->text().toULongLong(),
                      group.values.size());
        }
    }
}

TEST_F(LatencySamplesTest, HardIrqGroupsAddUpToTraceCmdReport) {
    const auto report = reportCounts(qDataPath("irq_wq.dat"));
    if (report.empty())
        GTEST_SKIP() << "trace-cmd not available";
    CaptureSession session;
    session.setCurrent(wq_);
    LatencyView view(&session);
    std::size_t durations = 0;
    for (const LatencyGroup& g : view.groups()->groups()) {
        if (g.mechanism == "hardirq" && g.metric == "duration")
            durations += g.values.size();
    }
    // A duration needs an entry and its exit; at most one per CPU is cut by
    // each edge of the capture.
    const long entries = report.at(QStringLiteral("irq_handler_entry:"));
    const long exits = report.at(QStringLiteral("irq_handler_exit:"));
    const long cpus = wq_->store->cpuCount();
    EXPECT_LE(static_cast<long>(durations), std::min(entries, exits));
    EXPECT_GE(static_cast<long>(durations), std::min(entries, exits) - 2 * cpus);
}

TEST_F(LatencySamplesTest, ClickingTheFullestBinListsExactlyItsSpans) {
    CaptureSession session;
    session.setCurrent(net_);
    LatencyView view(&session);
    view.resize(1400, 900);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    const Histogram& h = view.histogram()->histograms().at(0);
    const auto bin = static_cast<std::size_t>(std::max_element(h.counts.begin(), h.counts.end()) -
                                              h.counts.begin());
    QTest::mouseClick(view.histogram(), Qt::LeftButton, {}, view.histogram()->binCenter(bin));
    const LatencyGroup& group = view.groups()->group(static_cast<std::size_t>(view.currentGroup()));
    const auto expected = countInBins(group.values, h.edges)[bin];
    ASSERT_GT(expected, 0u);
    EXPECT_EQ(static_cast<std::size_t>(view.spanList()->rowCount()),
              std::min<std::size_t>(expected, SpanList::kMaxRows));
    const Analysis& analysis = *net_->analysis;
    for (int r = 0; r < std::min(view.spanList()->rowCount(), 200); ++r) {
        const SpanId id = view.spanList()->spanAt(r);
        ASSERT_LT(id, analysis.spans.size());
        const double v = view.spanList()->item(r, 1)->data(kCsvRole).toDouble();
        EXPECT_LT(v, h.edges[bin + 1]);
        if (bin > 0) {
            EXPECT_GE(v, h.edges[bin]);
        }
    }
}

TEST_F(LatencySamplesTest, ACaptureComparedWithItselfHasZeroDeltas) {
    CaptureSession session;
    session.setCurrent(wq_);
    session.setComparison(wq_);
    CompareView view(&session);
    view.waitUntilIdle();
    const auto [a, b] = view.pair();
    ASSERT_GE(a, 0);
    EXPECT_EQ(a, b);
    EXPECT_EQ(view.groupsA()->group(static_cast<std::size_t>(a)).mechanism, "episode");
    for (const char* stat : {"p50", "p99"}) {
        const int r = view.deltaTable()->rowOf(QString::fromLatin1(stat));
        ASSERT_GE(r, 0);
        EXPECT_EQ(view.deltaTable()->item(r, 3)->data(kCsvRole).toDouble(), 0.0);
        const QStringList ci =
            view.deltaTable()->item(r, 5)->data(kCsvRole).toString().split(QLatin1Char(';'));
        ASSERT_EQ(ci.size(), 2);
        EXPECT_LE(ci[0].toDouble(), 0.0);
        EXPECT_GE(ci[1].toDouble(), 0.0);
    }
}

TEST_F(LatencySamplesTest, ScreenshotsAndExports) {
    CaptureSession session;
    session.setCurrent(wq_);
    session.setComparison(net_);
    const QString dir = irqlens::test::screenshotDir();
    LatencyView latency(&session);
    QImage image = renderWidget(&latency, QSize(1400, 900));
    ASSERT_FALSE(image.isNull());
    ASSERT_TRUE(image.save(dir + QStringLiteral("/latency-irq_wq.png")));

    CompareView compare(&session);
    image = renderWidget(&compare, QSize(1400, 900));
    ASSERT_FALSE(image.isNull());
    ASSERT_TRUE(image.save(dir + QStringLiteral("/compare-irq_wq-vs-net_v6.png")));
    EXPECT_TRUE(compare.statisticsReady());
    EXPECT_EQ(compare.deltaTable()->rowCount(), 8);

    // Two groups of one capture: workqueue queue latency against softirq raise latency.
    session.setComparison(nullptr);
    image = renderWidget(&compare, QSize(1400, 900));
    ASSERT_TRUE(image.save(dir + QStringLiteral("/compare-groups-irq_wq.png")));

    QTemporaryDir tmp;
    QString error;
    ASSERT_TRUE(exportPlot(compare.cdf(), tmp.filePath("cdf.pdf"), &error)) << error.toStdString();
    EXPECT_TRUE(irqlens::test::readAll(tmp.filePath("cdf.pdf")).startsWith("%PDF"));
    ASSERT_TRUE(exportPlot(compare.histogram(), tmp.filePath("h.svg"), &error));
    EXPECT_EQ(irqlens::test::xmlRoot(tmp.filePath("h.svg")), QStringLiteral("svg"));
    ASSERT_TRUE(exportPlot(latency.histogram(), tmp.filePath("h.png"), &error));
    EXPECT_FALSE(QImage(tmp.filePath("h.png")).isNull());
    ASSERT_TRUE(exportTableCsv(compare.deltaTable(), tmp.filePath("d.csv"), &error));
    EXPECT_EQ(irqlens::test::readCsv(tmp.filePath("d.csv")).size(), 9u);
    ASSERT_TRUE(exportTableCsv(latency.percentileTable(), tmp.filePath("p.csv"), &error));
    EXPECT_EQ(irqlens::test::readCsv(tmp.filePath("p.csv")).size(),
              static_cast<std::size_t>(latency.percentileTable()->rowCount()) + 1);
}
