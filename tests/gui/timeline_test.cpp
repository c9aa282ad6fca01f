// The timeline on irq_wq.dat: groups, hit-testing, click -> table row, and
// the paint cost bound, against `trace-cmd report`.
#include "app/gui/time_format.h"
#include "app/gui/timeline/event_table_model.h"
#include "app/gui/timeline/timeline_canvas.h"
#include "app/gui/timeline/timeline_lod.h"
#include "app/gui/timeline/timeline_view.h"
#include "gui_test_support.h"

#include <QApplication>
#include <QPainter>
#include <QTableView>
#include <QTest>
#include <gtest/gtest.h>
#include <set>

namespace irqlens::gui::test {
namespace {

// The first irq_handler_entry of the report and its irq_handler_exit.
struct GoldenIrq {
    ReportLine entry;
    ReportLine exit;
};

GoldenIrq firstHardIrq(const std::vector<ReportLine>& report) {
    GoldenIrq g;
    for (std::size_t i = 0; i < report.size(); ++i) {
        if (report[i].event != "irq_handler_entry") {
            continue;
        }
        g.entry = report[i];
        for (std::size_t j = i + 1; j < report.size(); ++j) {
            if (report[j].cpu == g.entry.cpu && report[j].event == "irq_handler_exit") {
                g.exit = report[j];
                return g;
            }
        }
    }
    ADD_FAILURE() << "no hard IRQ in the report";
    return g;
}

SpanId findSpan(const Analysis& a, SpanKind kind, int cpu, std::int64_t start) {
    for (SpanId id = 0; id < a.spans.size(); ++id) {
        const Span& s = a.spans[id];
        if (s.kind == kind && s.cpu == cpu && s.start == start) {
            return id;
        }
    }
    return kNone;
}

struct Fixture {
    std::vector<ReportLine> report = traceCmdReport(qDataPath("irq_wq.dat"));
    std::unique_ptr<MainWindow> window = loadedWindow(qDataPath("irq_wq.dat"));
    TimelineView* view = qobject_cast<TimelineView*>(window->view("timeline"));
    TimelineCanvas* canvas = view ? view->canvas() : nullptr;
};

TEST(Timeline, OneGroupPerCpuOfTheCapture) {
    Fixture f;
    ASSERT_FALSE(f.report.empty()) << "trace-cmd report gave nothing";
    ASSERT_NE(f.canvas, nullptr);
    std::set<int> cpus;
    for (const auto& l : f.report) {
        cpus.insert(l.cpu);
    }
    ASSERT_EQ(f.canvas->groupCount(), static_cast<int>(cpus.size()));
    std::set<int> shown;
    for (const auto& g : f.canvas->data()->layout.groups()) {
        shown.insert(g.cpu);
    }
    EXPECT_EQ(shown, cpus);
}

TEST(Timeline, HitTestAtTheCentreOfAKnownSpanReturnsIt) {
    Fixture f;
    ASSERT_NE(f.canvas, nullptr);
    const GoldenIrq golden = firstHardIrq(f.report);
    const auto& capture = *f.window->session()->current();
    const SpanId id =
        findSpan(*capture.analysis, SpanKind::HardIrq, golden.entry.cpu, golden.entry.ts);
    ASSERT_NE(id, kNone) << "no hard IRQ span starting at " << golden.entry.ts;
    EXPECT_EQ(capture.analysis->spans[id].end, golden.exit.ts);
    // "irq=36 name=virtio1-req.0" -> the key names the handler.
    const std::string name = golden.entry.info.substr(golden.entry.info.find("name=") + 5);
    EXPECT_NE(spanKeyName(*capture.store, capture.analysis->spans[id]).find(name),
              std::string::npos);

    const std::int64_t d = golden.exit.ts - golden.entry.ts;
    f.canvas->setViewRange(golden.entry.ts - 2 * d, golden.exit.ts + 2 * d);
    const QRectF r = f.canvas->spanRect(id);
    ASSERT_GT(r.width(), 50); // a fifth of the view
    EXPECT_EQ(f.canvas->hitTest(r.center().toPoint()), id);
    // Left of the span (outside the tolerance) hits nothing on that track.
    EXPECT_NE(f.canvas->hitTest(
                  QPoint(static_cast<int>(r.left()) - 20, static_cast<int>(r.center().y()))),
              id);
}

TEST(Timeline, ClickingASpanSelectsItsBeginEventInTheTable) {
    Fixture f;
    ASSERT_NE(f.canvas, nullptr);
    const GoldenIrq golden = firstHardIrq(f.report);
    const auto& capture = *f.window->session()->current();
    const SpanId id =
        findSpan(*capture.analysis, SpanKind::HardIrq, golden.entry.cpu, golden.entry.ts);
    ASSERT_NE(id, kNone);
    const std::int64_t d = golden.exit.ts - golden.entry.ts;
    f.canvas->setViewRange(golden.entry.ts - 2 * d, golden.exit.ts + 2 * d);
    QTest::mouseClick(f.canvas, Qt::LeftButton, {}, f.canvas->spanRect(id).center().toPoint());
    EXPECT_EQ(f.window->session()->selectedSpan(), id);

    QTableView* table = f.view->table();
    const QModelIndex current = table->currentIndex();
    ASSERT_TRUE(current.isValid());
    auto* model = f.view->model();
    EXPECT_EQ(model->refAt(current.row()), capture.analysis->spans[id].begin);
    const auto cell = [&](int col) {
        return model->data(model->index(current.row(), col), Qt::DisplayRole).toString();
    };
    EXPECT_EQ(cell(EventTableModel::Event).toStdString(), "irq_handler_entry");
    EXPECT_EQ(cell(EventTableModel::Cpu).toInt(), golden.entry.cpu);
    EXPECT_EQ(cell(EventTableModel::Time), formatSeconds(golden.entry.ts - f.report.front().ts));
    // The row's position is the entry's position in the report (time order).
    std::size_t reportRow = 0;
    while (reportRow < f.report.size() && !(f.report[reportRow].ts == golden.entry.ts &&
                                            f.report[reportRow].event == "irq_handler_entry")) {
        ++reportRow;
    }
    EXPECT_EQ(static_cast<std::size_t>(current.row()), reportRow);
}

TEST(Timeline, SelectingATableRowMovesTheTimelineToTheEvent) {
    Fixture f;
    ASSERT_NE(f.canvas, nullptr);
    const auto& capture = *f.window->session()->current();
    f.canvas->setViewRange(capture.store->firstTs(), capture.store->firstTs() + 1000);
    const int row = static_cast<int>(f.report.size() / 2);
    f.view->table()->setCurrentIndex(f.view->model()->index(row, 0));
    const std::int64_t ts = f.report[static_cast<std::size_t>(row)].ts;
    EXPECT_LE(f.canvas->viewStart(), ts);
    EXPECT_GE(f.canvas->viewEnd(), ts);
}

TEST(Timeline, PaintCostIsBoundedByPixelsNotSpans) {
    Fixture f;
    ASSERT_NE(f.canvas, nullptr);
    f.canvas->resetView();
    QImage image(f.canvas->size(), QImage::Format_ARGB32_Premultiplied);
    f.canvas->invalidateLanes();
    f.canvas->render(&image);
    const LodStats whole = f.canvas->lastPaintStats();
    std::size_t tracks = 0;
    for (const auto& row : f.canvas->data()->layout.rows()) {
        tracks += std::max<std::size_t>(1, row.tracks.size());
    }
    const auto width = static_cast<std::size_t>(f.canvas->width());
    // At most one primitive per pixel column per track, plus axis and grid.
    EXPECT_LE(static_cast<std::size_t>(whole.primitives), tracks * width + 200);
    EXPECT_GT(whole.primitives, 0);
}

} // namespace
} // namespace irqlens::gui::test

namespace irqlens::gui::test {
namespace {

// One million 10 ns spans, one every 100 ns (100 ms in all).
TimelineTrack denseTrack() {
    TimelineTrack t;
    for (std::uint32_t i = 0; i < 1'000'000; ++i) {
        t.ids.push_back(i);
        t.starts.push_back(std::int64_t(i) * 100);
        t.ends.push_back(std::int64_t(i) * 100 + 10);
        t.busyPrefix.push_back(std::int64_t(i) * 10);
    }
    t.busyPrefix.push_back(1'000'000 * 10);
    return t;
}

TEST(TimelineLod, AMillionSpansCostAtMostOnePrimitivePerPixel) {
    ensureApp();
    const TimelineTrack track = denseTrack();
    QImage image(1000, 20, QImage::Format_ARGB32_Premultiplied);
    QPainter p(&image);
    LodStats stats;
    const TimeMap map{0, 100'000'000.0 / 1000, 0}; // the whole track in 1000 px
    paintTrackLod(
        p, track, map, 1000, 0, 18, Qt::red, [](SpanId) { return QColor(Qt::red); }, {}, stats);
    EXPECT_LE(stats.primitives, 1000);
    EXPECT_GE(stats.primitives, 1); // same busy fraction everywhere: merged runs
    EXPECT_LE(stats.spansVisited, 1001);
    // Every column is 10 % busy: the bar is 30 % (the minimum) of 18 px high,
    // so the pixel just above the bottom is painted and the top one is not.
    p.end();
    EXPECT_NE(image.pixelColor(500, 17), QColor(Qt::transparent));
}

TEST(TimelineLod, ZoomedInDrawsEachVisibleSpan) {
    ensureApp();
    const TimelineTrack track = denseTrack();
    QImage image(1000, 20, QImage::Format_ARGB32_Premultiplied);
    QPainter p(&image);
    LodStats stats;
    // 1 ns per pixel over [50'000, 50'990]: spans 500..509 are visible, each 10 px wide.
    const TimeMap map{50'000, 1.0, 0};
    paintTrackLod(
        p, track, map, 990, 0, 18, Qt::red, [](SpanId) { return QColor(Qt::red); }, {}, stats);
    EXPECT_EQ(stats.primitives, 10);
}

TEST(TimelineLod, TrackSpanAtFindsTheCoveringSpan) {
    const TimelineTrack track = denseTrack();
    EXPECT_EQ(trackSpanAt(track, 12'305, 0), 123);
    EXPECT_EQ(trackSpanAt(track, 12'350, 0), -1);
    EXPECT_EQ(trackSpanAt(track, 12'350, 60), 123); // 40 ns after 123's end, 50 before 124's start
}

} // namespace
} // namespace irqlens::gui::test

namespace irqlens::gui::test {
namespace {

TEST(Timeline, KeyboardZoomsAndPans) {
    Fixture f;
    ASSERT_NE(f.canvas, nullptr);
    const auto& store = *f.window->session()->current()->store;
    const std::int64_t a = store.firstTs() + (store.lastTs() - store.firstTs()) / 4;
    const std::int64_t b = a + 1'000'000;
    f.canvas->setViewRange(a, b);
    const double len0 = static_cast<double>(f.canvas->viewEnd() - f.canvas->viewStart());
    QTest::keyClick(f.canvas, Qt::Key_W);
    const double len1 = static_cast<double>(f.canvas->viewEnd() - f.canvas->viewStart());
    EXPECT_NEAR(len1, len0 / 1.5, len0 * 0.01);
    QTest::keyClick(f.canvas, Qt::Key_S);
    EXPECT_NEAR(static_cast<double>(f.canvas->viewEnd() - f.canvas->viewStart()), len0,
                len0 * 0.01);
    const std::int64_t start = f.canvas->viewStart();
    QTest::keyClick(f.canvas, Qt::Key_D); // later in time
    EXPECT_GT(f.canvas->viewStart(), start);
    QTest::keyClick(f.canvas, Qt::Key_A);
    EXPECT_NEAR(static_cast<double>(f.canvas->viewStart()), static_cast<double>(start),
                len0 * 0.01);
}

TEST(Timeline, MarkersFromTheAxisShowTheirDelta) {
    Fixture f;
    ASSERT_NE(f.canvas, nullptr);
    f.canvas->resetView();
    const int y = TimelineCanvas::kAxisHeight / 2;
    const int x0 = TimelineCanvas::kLabelWidth + 100;
    const int x1 = TimelineCanvas::kLabelWidth + 400;
    QTest::mouseClick(f.canvas, Qt::LeftButton, {}, QPoint(x0, y));
    QTest::mouseClick(f.canvas, Qt::LeftButton, Qt::ShiftModifier, QPoint(x1, y));
    ASSERT_TRUE(f.canvas->marker(0) && f.canvas->marker(1));
    const TimeMap m = f.canvas->timeMap();
    EXPECT_NEAR(static_cast<double>(*f.canvas->marker(0)), static_cast<double>(m.t(x0)), m.nsPerPx);
    EXPECT_NEAR(static_cast<double>(*f.canvas->marker(1) - *f.canvas->marker(0)), 300 * m.nsPerPx,
                2 * m.nsPerPx);
    // Zoom to selection uses the markers.
    f.canvas->zoomToSelection();
    EXPECT_EQ(f.canvas->viewStart(), *f.canvas->marker(0));
}

} // namespace
} // namespace irqlens::gui::test
