// The event table on irq_wq.dat against `trace-cmd report`: order, columns,
// and filters by event name, CPU, task and field text.
#include "app/gui/time_format.h"
#include "app/gui/timeline/event_table_model.h"
#include "app/gui/timeline/timeline_view.h"
#include "gui_test_support.h"

#include <QSignalSpy>
#include <QTableView>
#include <gtest/gtest.h>

namespace irqlens::gui::test {
namespace {

struct TableFixture {
    std::vector<ReportLine> report = traceCmdReport(qDataPath("irq_wq.dat"));
    std::unique_ptr<MainWindow> window = loadedWindow(qDataPath("irq_wq.dat"));
    TimelineView* view = qobject_cast<TimelineView*>(window->view("timeline"));
    EventTableModel* model = view ? view->model() : nullptr;

    QString cell(int row, int col) const {
        return model->data(model->index(row, col), Qt::DisplayRole).toString();
    }
    void filter(const EventFilter& f) {
        QSignalSpy done(view, &TimelineView::filterFinished);
        view->setFilter(f);
        if (done.isEmpty()) {
            ASSERT_TRUE(done.wait(60000));
        }
    }
    template <typename Pred> int reportCount(Pred pred) const {
        return static_cast<int>(std::count_if(report.begin(), report.end(), pred));
    }
};

TEST(EventTable, ListsEveryEventInReportOrder) {
    TableFixture f;
    ASSERT_NE(f.model, nullptr);
    ASSERT_FALSE(f.report.empty());
    ASSERT_EQ(f.model->rowCount(), static_cast<int>(f.report.size()));
    const std::int64_t t0 = f.report.front().ts;
    for (std::size_t i = 0; i < f.report.size(); ++i) {
        const auto& l = f.report[i];
        const int row = static_cast<int>(i);
        ASSERT_EQ(f.cell(row, EventTableModel::Time), formatSeconds(l.ts - t0)) << "row " << i;
        // Equal timestamps on two CPUs may be listed in either order.
        const bool tie = (i > 0 && f.report[i - 1].ts == l.ts) ||
                         (i + 1 < f.report.size() && f.report[i + 1].ts == l.ts);
        if (!tie) {
            ASSERT_EQ(f.cell(row, EventTableModel::Cpu).toInt(), l.cpu) << "row " << i;
            ASSERT_EQ(f.cell(row, EventTableModel::Event).toStdString(), l.event) << "row " << i;
            // The pid must match; the name may differ after an exec, where
            // trace-cmd shows the last name of the pid and irqlens the name
            // the task had at that time (bash before it became rm).
            ASSERT_TRUE(
                f.cell(row, EventTableModel::Task).endsWith(QStringLiteral("-%1").arg(l.pid)))
                << "row " << i;
        }
    }
}

TEST(EventTable, InfoColumnIsTheReportInfo) {
    TableFixture f;
    ASSERT_NE(f.model, nullptr);
    for (std::size_t i = 0; i < f.report.size(); i += 97) {
        const auto& l = f.report[i];
        const bool tie = (i > 0 && f.report[i - 1].ts == l.ts) ||
                         (i + 1 < f.report.size() && f.report[i + 1].ts == l.ts);
        if (!tie) {
            EXPECT_EQ(f.cell(static_cast<int>(i), EventTableModel::Info).simplified().toStdString(),
                      QString::fromStdString(l.info).simplified().toStdString())
                << "row " << i;
        }
    }
}

TEST(EventTable, FilterByEventNameNarrowsToTheReportCount) {
    TableFixture f;
    ASSERT_NE(f.model, nullptr);
    const int expected =
        f.reportCount([](const ReportLine& l) { return l.event == "irq_handler_entry"; });
    ASSERT_GT(expected, 0);
    f.filter({std::nullopt, {}, QStringLiteral("irq_handler_entry"), {}});
    ASSERT_EQ(f.model->rowCount(), expected);
    for (int r = 0; r < f.model->rowCount(); ++r) {
        ASSERT_EQ(f.cell(r, EventTableModel::Event).toStdString(), "irq_handler_entry");
    }
}

TEST(EventTable, FilterByCpuAndTask) {
    TableFixture f;
    ASSERT_NE(f.model, nullptr);
    f.filter({1, {}, {}, {}});
    EXPECT_EQ(f.model->rowCount(), f.reportCount([](const ReportLine& l) { return l.cpu == 1; }));
    f.filter({std::nullopt, QStringLiteral("kworker"), {}, {}});
    const int kworker = f.reportCount(
        [](const ReportLine& l) { return l.comm.find("kworker") != std::string::npos; });
    ASSERT_GT(kworker, 0);
    EXPECT_EQ(f.model->rowCount(), kworker);
    // Clearing the filter shows everything again.
    f.filter({});
    EXPECT_EQ(f.model->rowCount(), static_cast<int>(f.report.size()));
}

TEST(EventTable, FilterByFieldText) {
    TableFixture f;
    ASSERT_NE(f.model, nullptr);
    const int expected = f.reportCount(
        [](const ReportLine& l) { return l.info.find("action=TIMER") != std::string::npos; });
    ASSERT_GT(expected, 0);
    f.filter({std::nullopt, {}, {}, QStringLiteral("action=TIMER")});
    EXPECT_EQ(f.model->rowCount(), expected);
}

} // namespace
} // namespace irqlens::gui::test
