// trace_printk marks in the timeline (the ARM trappy capture of the field
// corpus, copied to tests/data: two bprint records on CPU 2), extra buffers
// as lanes and table labels (tests/data/multibuffer.dat, trace-cmd record
// -B irqs; its counts per buffer are checked against the report by
// irqlens_tracedat_tests), and the status bar's count of lines that were not
// trace lines.
// Expected values come from `trace-cmd report` of the same files.
#include "app/gui/timeline/event_filter.h"
#include "app/gui/timeline/event_table_model.h"
#include "app/gui/timeline/timeline_canvas.h"
#include "app/gui/timeline/timeline_view.h"
#include "gui_test_support.h"

#include <QApplication>
#include <QLabel>
#include <QPainter>
#include <QSignalSpy>
#include <QStatusBar>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <unistd.h>

namespace irqlens::gui::test {
namespace {

TEST(TimelinePrintk, EachPrintkIsAMarkOnItsCpuWithItsMessage) {
    const QString path = qDataPath("arm-software-trappy-juno-arm64-bprint-multiline.dat");
    std::map<int, std::vector<std::int64_t>> expected; // cpu -> bprint timestamps
    for (const auto& l : traceCmdReport(path)) {
        if (l.event == "bprint") {
            expected[l.cpu].push_back(l.ts);
        }
    }
    ASSERT_EQ(expected.size(), 1u) << "the report shows bprint records on one CPU";
    const auto window = loadedWindow(path);
    window->showView(QStringLiteral("timeline")); // the Overview is the first tab
    QApplication::processEvents();
    auto* view = qobject_cast<TimelineView*>(window->view("timeline"));
    ASSERT_NE(view, nullptr);
    TimelineCanvas* canvas = view->canvas();
    const TimelineData* data = canvas->data();
    std::map<int, std::vector<std::int64_t>> marks;
    for (std::size_t cpu = 0; cpu < data->printsByCpu.size(); ++cpu) {
        for (const PrintMark& m : data->printsByCpu[cpu]) {
            marks[static_cast<int>(cpu)].push_back(m.ts);
        }
    }
    EXPECT_EQ(marks, expected);
    int printkRows = 0;
    int printkRowIndex = -1;
    for (std::size_t r = 0; r < data->layout.rows().size(); ++r) {
        const auto& row = data->layout.rows()[r];
        if (row.mechanism == Mechanism::Printk) {
            ++printkRows;
            printkRowIndex = static_cast<int>(r);
            EXPECT_EQ(row.cpu, expected.begin()->first);
            EXPECT_EQ(row.label, QStringLiteral("trace_printk"));
        }
    }
    ASSERT_EQ(printkRows, 1) << "one marks row, on the CPU that printed";

    // Zoom around the first mark and point at it: the mark is that event.
    const std::int64_t ts = expected.begin()->second.front();
    canvas->setViewRange(ts - 5000, ts + 5000);
    const double x = canvas->timeMap().x(ts);
    std::optional<EventRef> hit;
    for (int y = TimelineCanvas::kAxisHeight; y < canvas->height() && !hit; ++y) {
        hit = canvas->printMarkAt(QPoint(static_cast<int>(x), y));
    }
    ASSERT_TRUE(hit.has_value());
    const EventStore& store = *window->session()->current()->store;
    EXPECT_EQ(store.ts(*hit), ts);
    EXPECT_EQ(store.type(store.event(*hit).type).name, "bprint");
    EXPECT_FALSE(canvas->printMarkAt(QPoint(static_cast<int>(x) + 40, 0)).has_value());
    EXPECT_GE(printkRowIndex, 0);

    // Searchable in the event table by its message (the report prints
    // "select_task_rq_fair: fig: cpu=0" then " gid=4" for the first one).
    EventFilter filter;
    filter.fieldText = QStringLiteral("fig: cpu=0");
    QSignalSpy done(view, &TimelineView::filterFinished);
    view->setFilter(filter);
    if (done.isEmpty()) {
        ASSERT_TRUE(done.wait(60000));
    }
    ASSERT_EQ(view->model()->rowCount(), 1);
    EXPECT_EQ(view->model()
                  ->data(view->model()->index(0, EventTableModel::Event), Qt::DisplayRole)
                  .toString(),
              QStringLiteral("bprint"));
}

// Text trace_printk lines (the Raspberry Pi excerpt in tests/data, sym-addr
// form): marks on the CPU that printed, at the times of their lines (read
// off the file: 181.354061 and 181.354067 on CPU 0), and found in the table
// by their message.
TEST(TimelinePrintk, TextPrintkLinesAreMarksFoundByTheirMessage) {
    const auto window = loadedWindow(qDataPath("wikibook-rpi-workqueue-symaddr-excerpt.txt"));
    auto* view = qobject_cast<TimelineView*>(window->view("timeline"));
    ASSERT_NE(view, nullptr);
    const TimelineData* data = view->canvas()->data();
    std::map<int, std::vector<std::int64_t>> marks;
    for (std::size_t cpu = 0; cpu < data->printsByCpu.size(); ++cpu) {
        for (const PrintMark& m : data->printsByCpu[cpu]) {
            marks[static_cast<int>(cpu)].push_back(m.ts);
        }
    }
    const std::map<int, std::vector<std::int64_t>> expected{{0, {181354061000, 181354067000}}};
    EXPECT_EQ(marks, expected);

    EventFilter filter;
    filter.fieldText = QStringLiteral("in_interrupt:0x00000000");
    QSignalSpy done(view, &TimelineView::filterFinished);
    view->setFilter(filter);
    if (done.isEmpty()) {
        ASSERT_TRUE(done.wait(60000));
    }
    ASSERT_EQ(view->model()->rowCount(), 1);
    EXPECT_EQ(view->model()
                  ->data(view->model()->index(0, EventTableModel::Event), Qt::DisplayRole)
                  .toString(),
              QStringLiteral("bprint"));
}

TEST(TimelineLod, InstantMarksCostAtMostOnePerGap) {
    ensureApp();
    std::vector<PrintMark> marks;
    for (std::uint32_t i = 0; i < 1'000'000; ++i) {
        marks.push_back({std::int64_t(i) * 100, i});
    }
    QImage image(1000, 14, QImage::Format_ARGB32_Premultiplied);
    QPainter p(&image);
    LodStats stats;
    const TimeMap map{0, 100'000'000.0 / 1000, 0}; // a million marks in 1000 px
    paintInstantMarks(p, marks, map, 1000, 0, 14, Qt::blue, stats);
    EXPECT_LE(stats.primitives, 2 * static_cast<std::int64_t>(1000 / kMinMarkGapPx + 2));
    EXPECT_GT(stats.primitives, 100);
    const PrintMark* m = markAt(marks, 12'345, 60);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->index, 123u);
}

TEST(TimelineBuffers, ExtraBufferCpusAreLanesAndTableLabels) {
    const QString path = qDataPath("multibuffer.dat");
    const auto window = loadedWindow(path);
    auto* view = qobject_cast<TimelineView*>(window->view("timeline"));
    ASSERT_NE(view, nullptr);
    const EventStore& store = *window->session()->current()->store;
    ASSERT_EQ(store.cpuCount(), 4) << "2 CPUs of the top buffer, 2 of irqs";
    std::vector<int> groups;
    for (const auto& g : view->canvas()->data()->layout.groups()) {
        groups.push_back(g.cpu);
    }
    EXPECT_EQ(groups, (std::vector<int>{0, 1, 2, 3}));
    EXPECT_EQ(cpuLabel(store, 2), QStringLiteral("irqs · CPU 0"));
    EXPECT_EQ(cpuLabel(store, 1), QStringLiteral("CPU 1"));
    // The table's CPU column names the buffer: count the rows of each label.
    EventTableModel* model = view->model();
    std::map<QString, int> rows;
    for (int r = 0; r < model->rowCount(); ++r) {
        ++rows[model->data(model->index(r, EventTableModel::Cpu), Qt::DisplayRole).toString()];
    }
    for (int column = 0; column < store.cpuCount(); ++column) {
        EXPECT_EQ(rows[QString::fromStdString(store.columnLabel(column))],
                  static_cast<int>(store.cpu(column).size()))
            << store.columnLabel(column);
    }
    EXPECT_GT(rows[QStringLiteral("irqs:0")] + rows[QStringLiteral("irqs:1")], 0);
}

TEST(StatusBar, SaysHowManyLinesWereNotTraceLines) {
    const std::string path = "/tmp/irqlens-gui-unparsed-" + std::to_string(getpid()) + ".txt";
    std::ofstream(path) << "# tracer: nop\n"
                           "  <idle>-0  [000] d.h. 100.000001: irq_handler_entry: irq=1 name=a\n"
                           "a line pasted from somewhere else\n"
                           "  <idle>-0  [000] d.h. 100.000002: irq_handler_exit: irq=1 "
                           "ret=handled\n";
    const auto window = loadedWindow(QString::fromStdString(path));
    bool found = false;
    for (auto* label : window->statusBar()->findChildren<QLabel*>()) {
        found = found || label->text().contains(QStringLiteral("1 lines were not trace lines"));
    }
    std::remove(path.c_str());
    EXPECT_TRUE(found);
}

} // namespace
} // namespace irqlens::gui::test
