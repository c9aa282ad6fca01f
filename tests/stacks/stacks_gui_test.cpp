// The stacks view offscreen on irq_stack.dat: the stack of the selected
// event / span equals trace-cmd's `=>` lines for it; the aggregated class
// counts equal the stacks trace-cmd shows after those events; clicking a
// frame filters; the flame graph paints within its pixel budget.
#include "app/gui/capture_session.h"
#include "app/gui/stacks/stacks_view.h"
#include "app/gui/view_registry.h"
#include "parsers/capture_loader.h"
#include "tests/stacks/report_stacks.h"

#include <QApplication>
#include <QDir>
#include <QListWidget>
#include <QTest>
#include <QTreeView>
#include <gtest/gtest.h>

namespace irqlens {
namespace {

QApplication& app() {
    static int argc = 1;
    static char name[] = "stacks_gui_test";
    static char* argv[] = {name, nullptr};
    // Never destroyed: QTest's mouse device would otherwise be torn down after
    // Qt's own statics at exit.
    static auto* instance = new QApplication(argc, argv);
    return *instance;
}

class StacksViewTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        app();
        auto r = loadCapture(test::dataPath("irq_stack.dat"));
        ASSERT_TRUE(r.ok()) << r.error;
        auto capture = std::make_shared<gui::LoadedCapture>();
        capture->analysis = std::make_shared<const Analysis>(analyze(*r.store));
        capture->store = std::shared_ptr<const EventStore>(std::move(r.store));
        capture_ = new std::shared_ptr<const gui::LoadedCapture>(capture);
        report_ = new test::ReportStacks(
            test::readTraceCmdReport(test::dataPath("irq_stack.dat"), false));
    }
    static void TearDownTestSuite() {
        delete capture_;
        delete report_;
    }
    void SetUp() override {
        if (report_->perCpu.empty()) {
            GTEST_SKIP() << "trace-cmd not available";
        }
        session_ = std::make_unique<gui::CaptureSession>();
        view_ = std::make_unique<gui::StacksView>(session_.get());
        view_->resize(1200, 700);
        view_->show();
        session_->setCurrent(*capture_);
    }
    const EventStore& store() const { return *(*capture_)->store; }

    // First event named `name` with info containing `info` that trace-cmd
    // shows a stack for: its (cpu, index) and the report event of the stack.
    static std::pair<EventRef, const test::ReportEvent*> firstWithStack(const std::string& name,
                                                                        const std::string& info) {
        for (const auto& [cpu, events] : report_->perCpu) {
            for (std::size_t i = 0; i + 1 < events.size(); ++i) {
                if (events[i].name == name && events[i].info.find(info) != std::string::npos &&
                    events[i + 1].name == "kernel_stack") {
                    return {{static_cast<std::uint16_t>(cpu), static_cast<std::uint32_t>(i)},
                            &events[i + 1]};
                }
            }
        }
        return {{}, nullptr};
    }
    // Stacks after irq_handler_entry of `info` holding a frame named `function`
    // (any frame when empty).
    static std::uint64_t reportCount(const std::string& info, const std::string& function) {
        std::uint64_t n = 0;
        for (const auto& [cpu, events] : report_->perCpu) {
            for (std::size_t i = 0; i + 1 < events.size(); ++i) {
                if (events[i].name != "irq_handler_entry" ||
                    events[i].info.find(info) == std::string::npos ||
                    events[i + 1].name != "kernel_stack") {
                    continue;
                }
                const auto& frames = events[i + 1].frames;
                n += function.empty() || std::any_of(frames.begin(), frames.end(),
                                                     [&](auto& f) { return f.name == function; });
            }
        }
        return n;
    }

    static std::shared_ptr<const gui::LoadedCapture>* capture_;
    static test::ReportStacks* report_;
    std::unique_ptr<gui::CaptureSession> session_;
    std::unique_ptr<gui::StacksView> view_;
};
std::shared_ptr<const gui::LoadedCapture>* StacksViewTest::capture_ = nullptr;
test::ReportStacks* StacksViewTest::report_ = nullptr;

void expectFramesMatch(const QStringList& shown, const test::ReportEvent& stack) {
    ASSERT_EQ(static_cast<std::size_t>(shown.size()), stack.frames.size());
    for (std::size_t i = 0; i < stack.frames.size(); ++i) {
        const QString name = QString::fromStdString(stack.frames[i].name);
        const QString s = shown[static_cast<int>(i)];
        EXPECT_TRUE(s == name || s.startsWith(name + "+0x")) << s.toStdString();
    }
}

TEST_F(StacksViewTest, RegisteredAtOrder30) {
    const auto& views = gui::registeredViews();
    auto it = std::find_if(views.begin(), views.end(), [](auto& v) { return v.id == "stacks"; });
    ASSERT_NE(it, views.end());
    EXPECT_EQ(it->order, 30);
}

TEST_F(StacksViewTest, SelectedEventShowsItsStack) {
    const auto [ref, stack] = firstWithStack("workqueue_queue_work", "");
    ASSERT_NE(stack, nullptr);
    session_->selectEvent(ref);
    expectFramesMatch(view_->selectedFrames(), *stack);
    EXPECT_TRUE(view_->selectedTitle().contains("workqueue_queue_work"));
    // Selecting the kernel_stack record shows the same stack (its owner's).
    session_->selectEvent({ref.cpu, ref.index + 1});
    expectFramesMatch(view_->selectedFrames(), *stack);
}

TEST_F(StacksViewTest, SelectedSpanAggregatesItsClassAndFramesFilter) {
    const auto [ref, stack] = firstWithStack("irq_handler_entry", "irq=36 name=virtio1-req.0");
    ASSERT_NE(stack, nullptr);
    const Analysis& a = *(*capture_)->analysis;
    SpanId span = kNone;
    for (SpanId id = 0; id < a.spans.size(); ++id) {
        if (a.spans[id].kind == SpanKind::HardIrq && a.spans[id].begin == ref &&
            !(a.spans[id].flags & SpanFlag::OpenStart)) {
            span = id;
        }
    }
    ASSERT_NE(span, kNone);
    session_->selectSpan(span);
    expectFramesMatch(view_->selectedFrames(), *stack);
    const auto all = reportCount("irq=36 name=virtio1-req.0", "");
    EXPECT_EQ(view_->aggregatedStacks(), all);
    EXPECT_EQ(view_->callTreeModel()->data(view_->callTreeModel()->index(0, 2)).toString(),
              "100.0%");
    // Click the frame "ksys_write": only stacks through it remain.
    QListWidget* list = view_->frameList();
    QListWidgetItem* item = nullptr;
    for (int i = 0; i < list->count(); ++i) {
        if (list->item(i)->data(Qt::UserRole).toString() == "ksys_write") {
            item = list->item(i);
        }
    }
    ASSERT_NE(item, nullptr);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(item).center());
    const auto through = reportCount("irq=36 name=virtio1-req.0", "ksys_write");
    EXPECT_EQ(view_->aggregatedStacks(), through);
    EXPECT_LT(through, all);
    // Bottom-up: the root's only child is the innermost (tracing) frame.
    view_->setDirection(TreeDirection::BottomUp);
    const auto* tree = view_->callTreeModel()->tree();
    ASSERT_EQ(tree->node(CallTree::kRoot).children.size(), 1u);
    EXPECT_EQ(tree->label(tree->node(CallTree::kRoot).children[0]),
              "trace_event_raw_event_irq_handler_entry");
}

TEST_F(StacksViewTest, FlameGraphPaintsWithinPixelsAndSearches) {
    view_->setSpanClass(std::nullopt);
    std::uint64_t allStacks = 0;
    for (const auto& [cpu, events] : report_->perCpu) {
        for (const auto& ev : events) {
            allStacks += ev.name == "kernel_stack";
        }
    }
    EXPECT_EQ(view_->aggregatedStacks(), allStacks);
    gui::FlameGraph* flame = view_->flameGraph();
    ASSERT_GT(flame->width(), 100);
    const auto& boxes = flame->boxes();
    ASSERT_FALSE(boxes.empty());
    std::uint32_t depth = 0;
    for (const auto& b : boxes) {
        depth = std::max(depth, b.depth);
        EXPECT_GE(b.width, 1.0 - 1e-9);
    }
    EXPECT_LE(boxes.size(), static_cast<std::size_t>(flame->width()) * (depth + 1));
    EXPECT_LE(static_cast<int>(depth + 1) * flame->rowHeight(), flame->height()); // all rows fit
    flame->setSearch("handle_softirqs");
    EXPECT_GT(flame->matchedCount(), 0u);
    EXPECT_LE(flame->matchedCount(), allStacks);
    // Click the widest frame of row 1: the view zooms to it.
    const auto* wide = &boxes[1];
    const QPoint at(static_cast<int>(wide->left + wide->width / 2),
                    flame->height() - static_cast<int>(wide->depth) * flame->rowHeight() -
                        flame->rowHeight() / 2);
    QTest::mouseClick(flame, Qt::LeftButton, {}, at);
    EXPECT_LT(flame->range().end - flame->range().begin, 1.0);
    QDir().mkpath(IRQLENS_STACKS_SCREENSHOT_DIR);
    EXPECT_TRUE(view_->grab().save(IRQLENS_STACKS_SCREENSHOT_DIR "/stacks_view.png"));
}

} // namespace
} // namespace irqlens
