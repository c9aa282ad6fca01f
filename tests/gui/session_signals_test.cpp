// Views talk through CaptureSession only: the visible range and colour
// changes are session signals (no view looks another up), and the Help menu
// is built once with the window.
#include "app/gui/help_menu.h"
#include "app/gui/mechanism_colors.h"
#include "app/gui/timeline/legend_bar.h"
#include "app/gui/timeline/timeline_canvas.h"
#include "app/gui/timeline/timeline_view.h"
#include "gui_test_support.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <gtest/gtest.h>

namespace irqlens::gui::test {
namespace {

// The Timeline tab shown (the Overview is the first one a capture opens on),
// then its canvas.
TimelineCanvas* canvasOf(MainWindow& window) {
    window.showView(QStringLiteral("timeline"));
    QApplication::processEvents();
    auto* view = qobject_cast<TimelineView*>(window.view(QStringLiteral("timeline")));
    return view ? view->canvas() : nullptr;
}

TEST(SessionSignals, VisibleRangeIsWhatTheTimelineShows) {
    auto window = loadedWindow(qDataPath("irq_wq.dat"));
    CaptureSession* session = window->session();
    TimelineCanvas* canvas = canvasOf(*window);
    ASSERT_NE(canvas, nullptr);
    const auto& store = *session->current()->store;
    // After loading the timeline shows the whole capture.
    EXPECT_LE(session->visibleRange().start, store.firstTs());
    EXPECT_GE(session->visibleRange().end, store.lastTs());

    QSignalSpy changed(session, &CaptureSession::visibleRangeChanged);
    const std::int64_t a = store.firstTs() + (store.lastTs() - store.firstTs()) / 4;
    const std::int64_t b = a + (store.lastTs() - store.firstTs()) / 10;
    canvas->setViewRange(a, b); // the user zooms
    ASSERT_GE(changed.count(), 1);
    EXPECT_EQ(session->visibleRange().start, canvas->viewStart());
    EXPECT_EQ(session->visibleRange().end, canvas->viewEnd());
    EXPECT_EQ(changed.last().at(0).toLongLong(), canvas->viewStart());
    EXPECT_NEAR(static_cast<double>(canvas->viewStart()), static_cast<double>(a), 2.0);
    EXPECT_NEAR(static_cast<double>(canvas->viewEnd()), static_cast<double>(b), 2.0);

    session->showRange(b, b + (b - a)); // another view asks for a range
    EXPECT_NEAR(static_cast<double>(session->visibleRange().start), static_cast<double>(b), 2.0);
    EXPECT_EQ(session->visibleRange().end, canvas->viewEnd());
}

TEST(SessionSignals, NewCaptureResetsTheVisibleRange) {
    auto window = loadedWindow(qDataPath("irq_wq.dat"));
    CaptureSession* session = window->session();
    const auto& first = *session->current()->store;
    session->showRange(first.firstTs(), first.firstTs() + 1000);
    window->openFile(qDataPath("threaded.dat"));
    window->waitForLoad();
    QApplication::processEvents();
    const auto& second = *session->current()->store;
    ASSERT_NE(&first, &second);
    EXPECT_LE(session->visibleRange().start, second.firstTs());
    EXPECT_GE(session->visibleRange().end, second.lastTs());
}

// Colour of the timeline's pixels a quarter into the first wide hard IRQ.
QColor hardIrqPixel(TimelineCanvas& canvas, const Analysis& analysis, CaptureSession& session) {
    for (SpanId id = 0; id < analysis.spans.size(); ++id) {
        const Span& s = analysis.spans[id];
        if (s.kind != SpanKind::HardIrq || s.end - s.start < 2000) {
            continue;
        }
        session.showRange(s.start - (s.end - s.start) / 2, s.end + (s.end - s.start) / 2);
        const QRectF r = canvas.spanRect(id);
        const QImage image = canvas.grab().toImage();
        return image.pixelColor(
            QPoint(static_cast<int>(r.left() + r.width() / 4), static_cast<int>(r.top() + 3)));
    }
    ADD_FAILURE() << "no hard IRQ of 2 us or more";
    return {};
}

TEST(SessionSignals, ColourChangeReachesTheTimelineThroughTheSession) {
    auto window = loadedWindow(qDataPath("irq_wq.dat"));
    CaptureSession* session = window->session();
    TimelineCanvas* canvas = canvasOf(*window);
    ASSERT_NE(canvas, nullptr);
    const Analysis& analysis = *session->current()->analysis;
    const QColor before = hardIrqPixel(*canvas, analysis, *session);
    EXPECT_GT(before.red(), 2 * before.green()) << "default hard IRQ colour is red";

    MechanismColors::instance().setColor(Mechanism::HardIrq, QColor(0, 170, 0));
    const QColor cached = hardIrqPixel(*canvas, analysis, *session);
    EXPECT_EQ(cached, before) << "the lanes are cached until the session says colours changed";
    QSignalSpy changed(session, &CaptureSession::colorsChanged);
    session->notifyColorsChanged();
    EXPECT_EQ(changed.count(), 1);
    const QColor after = hardIrqPixel(*canvas, analysis, *session);
    EXPECT_GT(after.green(), 2 * after.red()) << after.name().toStdString();

    // View > Reset colours goes through the session too.
    QAction* reset = nullptr;
    for (QAction* a : window->menuBar()->findChildren<QAction*>()) {
        if (a->text() == QStringLiteral("Reset colours")) {
            reset = a;
        }
    }
    ASSERT_NE(reset, nullptr);
    reset->trigger();
    EXPECT_EQ(changed.count(), 2);
    EXPECT_EQ(MechanismColors::instance().color(Mechanism::HardIrq),
              MechanismColors::defaultColor(Mechanism::HardIrq));
    EXPECT_EQ(hardIrqPixel(*canvas, analysis, *session), before);
}

TEST(SessionSignals, LegendColourPickGoesThroughTheSession) {
    auto window = loadedWindow(qDataPath("irq_wq.dat"));
    auto* legend = window->findChild<LegendBar*>(QStringLiteral("legend"));
    ASSERT_NE(legend, nullptr);
    QSignalSpy changed(window->session(), &CaptureSession::colorsChanged);
    emit legend->colorsChanged(); // what a colour picked in the legend's dialog emits
    EXPECT_EQ(changed.count(), 1);
}

TEST(HelpMenuOnce, TheWindowHasOneHelpMenuWithGuideShortcutsAbout) {
    ensureApp();
    MainWindow window;
    int helpMenus = 0;
    QMenu* help = nullptr;
    for (QAction* a : window.menuBar()->actions()) {
        if (a->menu() && a->menu()->objectName() == QStringLiteral("helpMenu")) {
            help = a->menu();
            ++helpMenus;
        }
    }
    ASSERT_EQ(helpMenus, 1);
    const auto actions = help->actions();
    ASSERT_EQ(actions.size(), 3);
    EXPECT_EQ(actions[0]->shortcut(), QKeySequence(QKeySequence::HelpContents));
    EXPECT_EQ(actions[1]->text(), QStringLiteral("&Keyboard shortcuts"));
    EXPECT_EQ(actions[2]->text(), QStringLiteral("&About irqlens"));
    // The user guide (F1) is in no other menu.
    int guides = 0;
    for (QAction* a : window.findChildren<QAction*>()) {
        guides += a->shortcut() == QKeySequence(QKeySequence::HelpContents) ? 1 : 0;
    }
    EXPECT_EQ(guides, 1);
}

} // namespace
} // namespace irqlens::gui::test
