// The Overview tab: the first tab, one row per interrupt source with the
// numbers and words of `irqlens-cli explain` (its CSV export is the CLI's CSV
// byte for byte), keyboard navigation, links to the timeline / latency /
// stacks views through the CaptureSession, "why slow" adding up, and the
// screenshots of the user guide.
#include "app/gui/latency/latency_view.h"
#include "app/gui/overview/overview_view.h"
#include "app/gui/overview/stacked_bar.h"
#include "app/gui/overview/wait_panel.h"
#include "app/gui/stacks/stacks_view.h"
#include "app/gui/timeline/timeline_canvas.h"
#include "app/gui/timeline/timeline_view.h"
#include "tests/cli/cli_runner.h"
#include "tests/gui/gui_test_support.h"

#include <QApplication>
#include <QClipboard>
#include <QImage>
#include <QProcess>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>
#include <map>

namespace irqlens::gui::test {
namespace {

using Json = nlohmann::json;

OverviewView* overviewOf(MainWindow& w) {
    return qobject_cast<OverviewView*>(w.view(QStringLiteral("overview")));
}

TEST(OverviewView, IsTheFirstTabAndShowsEachSourceAsTheCliDoes) {
    for (const char* name : {"wq.dat", "threaded.dat", "tasklet.dat"}) {
        auto w = loadedWindow(qDataPath(QString::fromLatin1(name)));
        EXPECT_EQ(w->tabs()->currentWidget()->objectName(), QStringLiteral("overview"));
        OverviewView* view = overviewOf(*w);
        ASSERT_NE(view, nullptr);
        ASSERT_NE(view->overview(), nullptr);
        const Json j =
            irqlens::test::runCliJson({"explain", irqlens::test::dataPath(name), "--json"});
        ASSERT_EQ(view->overview()->sources.size(), j["sources"].size()) << name;
        for (std::size_t i = 0; i < j["sources"].size(); ++i) {
            const int row = view->rowOfSource(static_cast<int>(i));
            ASSERT_GE(row, 0);
            EXPECT_EQ(view->table()->item(row, 5)->text().toStdString(),
                      j["sources"][i]["sentence"].get<std::string>())
                << name;
        }
        // The export is `irqlens-cli explain --csv`, byte for byte.
        const auto csv = irqlens::test::runCli({"explain", irqlens::test::dataPath(name), "--csv"});
        EXPECT_EQ(view->csv().toStdString(), csv.out) << name;
    }
}

TEST(OverviewView, KeyboardSkipsGroupHeadersAndEnterShowsTheSlowestEpisode) {
    auto w = loadedWindow(qDataPath(QStringLiteral("wq.dat")));
    OverviewView* view = overviewOf(*w);
    ASSERT_NE(view, nullptr);
    QTableWidget* table = view->table();
    EXPECT_EQ(view->currentSource(), 0); // IRQ 26, below the "Device interrupts" header
    table->setFocus();
    QTest::keyClick(table, Qt::Key_Down); // over the "CPU vectors and IPIs" header
    EXPECT_EQ(view->currentSource(), 1);
    EXPECT_FALSE(view->overview()->sources[1].isDevice());
    QTest::keyClick(table, Qt::Key_Up);
    EXPECT_EQ(view->currentSource(), 0);

    QSignalSpy views(w->session(), &CaptureSession::viewRequested);
    QSignalSpy ranges(w->session(), &CaptureSession::rangeRequested);
    QTest::keyClick(table, Qt::Key_Return);
    const EpisodeId slowest = view->overview()->sources[0].slowest;
    const Analysis& a = *w->session()->current()->analysis;
    EXPECT_EQ(w->session()->selectedSpan(), a.episodes[slowest].hardIrq);
    ASSERT_EQ(ranges.count(), 1);
    EXPECT_LE(ranges[0][0].toLongLong(), a.spans[a.episodes[slowest].hardIrq].start);
    EXPECT_GE(ranges[0][1].toLongLong(), a.episodes[slowest].end);
    ASSERT_GE(views.count(), 1);
    EXPECT_EQ(views.last()[0].toString(), QStringLiteral("timeline"));
    EXPECT_EQ(w->tabs()->currentWidget()->objectName(), QStringLiteral("timeline"));
    // The timeline itself: the episode's hard IRQ selected, zoomed onto the
    // whole episode (well under a hundredth of the 4.5 s capture).
    auto* timeline = qobject_cast<TimelineView*>(w->view(QStringLiteral("timeline")));
    ASSERT_NE(timeline, nullptr);
    const TimelineCanvas* canvas = timeline->canvas();
    EXPECT_EQ(canvas->selectedSpan(), a.episodes[slowest].hardIrq);
    EXPECT_LE(canvas->viewStart(), a.spans[a.episodes[slowest].hardIrq].start);
    EXPECT_GE(canvas->viewEnd(), a.episodes[slowest].end);
    const std::int64_t captureNs =
        w->session()->current()->store->lastTs() - w->session()->current()->store->firstTs();
    EXPECT_LT(canvas->viewEnd() - canvas->viewStart(), captureNs / 100);
}

// How many IRQ 26 entries have a kernel stack, as `trace-cmd report` shows
// them: an irq_handler_entry irq=26 whose next event on its CPU is kernel_stack.
int irq26EntriesWithStack(const QString& path) {
    std::map<int, std::string> lastOnCpu; // "entry26" or other
    int count = 0;
    for (const ReportLine& l : traceCmdReport(path)) {
        if (l.event == "kernel_stack" && lastOnCpu[l.cpu] == "entry26") {
            ++count;
        }
        lastOnCpu[l.cpu] =
            l.event == "irq_handler_entry" && l.info.rfind("irq=26 ", 0) == 0 ? "entry26" : l.event;
    }
    return count;
}

TEST(OverviewView, LinksOpenTheLatencyGroupAndTheStacks) {
    auto w = loadedWindow(qDataPath(QStringLiteral("threaded.dat")));
    OverviewView* view = overviewOf(*w);
    ASSERT_NE(view, nullptr);
    view->selectSource(0);
    view->showLatencyGroup(true);
    auto* latency = qobject_cast<LatencyView*>(w->view(QStringLiteral("latency")));
    ASSERT_NE(latency, nullptr);
    EXPECT_EQ(w->tabs()->currentWidget(), latency);
    ASSERT_GE(latency->currentGroup(), 0);
    EXPECT_EQ(groupId(latency->groups()->group(static_cast<std::size_t>(latency->currentGroup()))),
              "irq_thread/irq/26-irqlens-/wake_to_run");
    view->showLatencyGroup(false);
    EXPECT_EQ(groupId(latency->groups()->group(static_cast<std::size_t>(latency->currentGroup()))),
              "episode/26 irqlens-gpio/end_to_end");
    view->showStacks();
    EXPECT_EQ(w->tabs()->currentWidget()->objectName(), QStringLiteral("stacks"));
    // Its stacks: the slowest episode's hard IRQ entry, and the stacks of
    // every IRQ 26 entry aggregated.
    auto* stacks = qobject_cast<StacksView*>(w->view(QStringLiteral("stacks")));
    ASSERT_NE(stacks, nullptr);
    const Analysis& a = *w->session()->current()->analysis;
    const EpisodeId slowest = view->overview()->sources[0].slowest;
    EXPECT_EQ(w->session()->selectedSpan(), a.episodes[slowest].hardIrq);
    EXPECT_TRUE(stacks->selectedTitle().contains(QStringLiteral("irq_handler_entry")))
        << stacks->selectedTitle().toStdString();
    EXPECT_FALSE(stacks->selectedFrames().isEmpty());
    const int expected = irq26EntriesWithStack(qDataPath(QStringLiteral("threaded.dat")));
    EXPECT_GT(expected, 0);
    EXPECT_EQ(stacks->aggregatedStacks(), static_cast<std::uint64_t>(expected));
}

// Selecting an episode elsewhere (here: its hard IRQ span) explains it.
TEST(OverviewView, WhySlowFollowsTheSelectedEpisodeAndAddsUp) {
    auto w = loadedWindow(qDataPath(QStringLiteral("wq.dat")));
    OverviewView* view = overviewOf(*w);
    ASSERT_NE(view, nullptr);
    const Analysis& a = *w->session()->current()->analysis;
    EXPECT_EQ(view->waitPanel()->episode(), view->overview()->sources[0].slowest);
    w->session()->selectSpan(a.episodes[2140].hardIrq); // the hand-checked one
    EXPECT_EQ(view->waitPanel()->episode(), 2140u);
    const QTableWidget* shares = view->waitPanel()->table();
    ASSERT_EQ(shares->rowCount(), 7);
    qint64 sum = 0;
    for (int r = 0; r < shares->rowCount(); ++r) {
        sum += shares->item(r, 2)->data(Qt::UserRole + 7).toLongLong(); // kCsvRole: ns
    }
    EXPECT_EQ(sum, 2'242'158);
    EXPECT_EQ(shares->item(0, 0)->text(), QStringLiteral("sh (pid 119)"));
    EXPECT_FALSE(shares->item(0, 1)->toolTip().isEmpty());
}

TEST(OverviewView, CopyAndTooltips) {
    auto w = loadedWindow(qDataPath(QStringLiteral("tasklet.dat")));
    OverviewView* view = overviewOf(*w);
    ASSERT_NE(view, nullptr);
    view->selectSource(0);
    QTest::keySequence(view->table(), QKeySequence::Copy);
    const QStringList lines =
        QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 2) << QApplication::clipboard()->text().toStdString()
                               << view->tsv().toStdString(); // header + the selected row
    EXPECT_TRUE(lines[1].startsWith(QStringLiteral("26 irqlens-gpio\t26\t200\t")));
    const int row = view->rowOfSource(0);
    const QString tip = view->table()->item(row, 2)->toolTip();
    EXPECT_TRUE(tip.contains(QStringLiteral("<b>Tasklet</b>"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(
        QString::fromStdString(std::string(irqlens::mechanismContext(irqlens::Mechanism::Tasklet)))
            .toHtmlEscaped()));
    EXPECT_TRUE(view->sentences().startsWith(QStringLiteral("200 × IRQ 26 irqlens-gpio")));
}

// One scale for every row: the longest median-stage bar sets it.
TEST(OverviewView, StageBarsShareOneScale) {
    auto w = loadedWindow(qDataPath(QStringLiteral("wq.dat")));
    OverviewView* view = overviewOf(*w);
    ASSERT_NE(view, nullptr);
    double longest = 0;
    for (const InterruptSource& s : view->overview()->sources) {
        longest = std::max(longest, static_cast<double>(s.medianStages.total()));
    }
    EXPECT_DOUBLE_EQ(view->stageBars()->scale(), longest * 1.05);
}

// The user guide's pictures: `irqlens --screenshot --view overview`.
TEST(OverviewView, ScreenshotOfTheTab) {
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("overview.png"));
    QProcess p;
    p.start(binPath(QStringLiteral("irqlens")),
            {QStringLiteral("--screenshot"), out, QStringLiteral("--view"),
             QStringLiteral("overview"), QStringLiteral("--size"), QStringLiteral("1200x700"),
             qDataPath(QStringLiteral("threaded.dat"))});
    ASSERT_TRUE(p.waitForFinished(120'000));
    EXPECT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
    const QImage image(out);
    ASSERT_FALSE(image.isNull());
    EXPECT_EQ(image.size(), QSize(1200, 700));
}

} // namespace
} // namespace irqlens::gui::test
