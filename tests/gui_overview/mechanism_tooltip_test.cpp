// Every mechanism name the GUI shows carries its two-line definition from
// the one core table (core/stats/mechanism.h) as tooltip: every cell of every
// item view (tables, trees, combo-box lists) of the main window whose text is
// or starts with a mechanism's label ("Work item", "softirq RCU"), the
// timeline's lane names and its legend chips.  The definitions are checked
// against the core strings, so a view that writes its own words fails here.
#include "app/gui/latency/latency_view.h"
#include "app/gui/mechanism_text.h"
#include "app/gui/overview/overview_view.h"
#include "app/gui/timeline/details_panel.h"
#include "app/gui/timeline/legend_bar.h"
#include "app/gui/timeline/timeline_canvas.h"
#include "app/gui/timeline/timeline_view.h"
#include "tests/gui/gui_test_support.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QTabWidget>
#include <QTreeWidget>
#include <gtest/gtest.h>
#include <optional>
#include <set>

namespace irqlens::gui::test {
namespace {

using CoreMechanism = irqlens::Mechanism;

// Line 1 of the definition, as a tooltip holds it (HTML-escaped).
QString contextOf(CoreMechanism m) {
    return QString::fromStdString(std::string(irqlens::mechanismContext(m))).toHtmlEscaped();
}

// The mechanism a cell's text names: its label or its in-text word, alone or
// followed by a name ("Work item irqlens_wq_bottom_half", "softirq RCU").
std::optional<CoreMechanism> namedMechanism(const QString& text) {
    for (int i = 0; i < irqlens::kMechanismCount; ++i) {
        const auto m = static_cast<CoreMechanism>(i);
        for (const QString& word : {labelText(m), inText(m)}) {
            if (text == word ||
                (m != CoreMechanism::Episode && text.startsWith(word + QLatin1Char(' ')))) {
                return m;
            }
        }
    }
    return std::nullopt;
}

struct Checked {
    int cells = 0;
    std::set<CoreMechanism> mechanisms;
    QStringList missing; // "view: text"
};

void checkModel(const QAbstractItemModel& model, const QModelIndex& parent, const QString& where,
                Checked& out) {
    const int rows = std::min(model.rowCount(parent), 500); // event tables are long
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < model.columnCount(parent); ++c) {
            const QModelIndex index = model.index(r, c, parent);
            const QString text = model.data(index, Qt::DisplayRole).toString();
            if (const auto m = namedMechanism(text)) {
                ++out.cells;
                out.mechanisms.insert(*m);
                if (!model.data(index, Qt::ToolTipRole).toString().contains(contextOf(*m))) {
                    out.missing << where + QStringLiteral(": ") + text;
                }
            }
            // The details panel's event sections list the tracepoint's own
            // fields (tasklet_entry has a field "tasklet"): the kernel's words.
            const bool eventFields = text == QStringLiteral("Event") || text.endsWith(" event");
            if (c == 0 && model.hasChildren(index) && !eventFields) {
                checkModel(model, index, where, out);
            }
        }
    }
}

// Every item model the window shows: its item views' and its combo boxes'
// (a combo's list view may not exist before it first pops up).
Checked checkItemViews(MainWindow& w) {
    Checked out;
    std::set<const QAbstractItemModel*> seen;
    const auto check = [&](const QAbstractItemModel* model, const QWidget* widget) {
        if (!model || !seen.insert(model).second) {
            return;
        }
        QString where = widget->objectName();
        for (const QObject* o = widget->parent(); where.isEmpty() && o; o = o->parent()) {
            where = QString::fromLatin1(o->metaObject()->className());
        }
        checkModel(*model, {}, where, out);
    };
    for (const QAbstractItemView* view : w.findChildren<QAbstractItemView*>()) {
        check(view->model(), view);
    }
    for (const QComboBox* combo : w.findChildren<QComboBox*>()) {
        check(combo->model(), combo);
    }
    return out;
}

// Opens every tab once (views fill lazily) and selects a bottom half's span
// so that the details panel and the stacks view name its mechanism too.
void visitEveryView(MainWindow& w, SpanKind bottomHalf) {
    const Analysis& a = *w.session()->current()->analysis;
    for (SpanId id = 0; id < a.spans.size(); ++id) {
        if (a.spans[id].kind == bottomHalf) {
            w.session()->selectSpan(id);
            break;
        }
    }
    for (int t = 0; t < w.tabs()->count(); ++t) {
        w.tabs()->setCurrentIndex(t);
        QApplication::processEvents();
    }
}

TEST(MechanismTooltips, EveryCellNamingAMechanismHasItsDefinition) {
    const std::pair<const char*, SpanKind> samples[] = {{"wq.dat", SpanKind::Workqueue},
                                                        {"threaded.dat", SpanKind::IrqThread},
                                                        {"tasklet.dat", SpanKind::Tasklet}};
    std::set<CoreMechanism> seen;
    for (const auto& [name, kind] : samples) {
        auto w = loadedWindow(qDataPath(QString::fromLatin1(name)));
        visitEveryView(*w, kind);
        const Checked checked = checkItemViews(*w);
        EXPECT_TRUE(checked.missing.isEmpty())
            << name << ": no definition as tooltip on\n  "
            << checked.missing.join(QStringLiteral("\n  ")).toStdString();
        EXPECT_GT(checked.cells, 10) << name;
        seen.insert(checked.mechanisms.begin(), checked.mechanisms.end());
    }
    // The sweep did meet every mechanism somewhere (else it proves nothing).
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(irqlens::kMechanismCount));
}

// The details panel names the selected span's mechanism by its label.
TEST(MechanismTooltips, DetailsPanelNamesTheSpansMechanism) {
    auto w = loadedWindow(qDataPath(QStringLiteral("wq.dat")));
    auto* timeline = qobject_cast<TimelineView*>(w->view(QStringLiteral("timeline")));
    ASSERT_NE(timeline, nullptr);
    const Analysis& a = *w->session()->current()->analysis;
    SpanId work = kNone;
    for (SpanId id = 0; id < a.spans.size() && work == kNone; ++id) {
        work = a.spans[id].kind == SpanKind::Workqueue ? id : kNone;
    }
    ASSERT_NE(work, kNone);
    w->session()->selectSpan(work);
    const auto rows = timeline->details()->findItems(QStringLiteral("mechanism"),
                                                     Qt::MatchExactly | Qt::MatchRecursive, 0);
    ASSERT_EQ(rows.size(), 1);
    EXPECT_EQ(rows[0]->text(1), QStringLiteral("Work item"));
    EXPECT_TRUE(rows[0]->toolTip(1).contains(contextOf(CoreMechanism::WorkItem)));
}

// The lanes' names and the legend chips are painted: their tooltips come
// from tooltipAt(), which the QEvent::ToolTip handlers show.
TEST(MechanismTooltips, TimelineLanesAndLegendChips) {
    auto w = loadedWindow(qDataPath(QStringLiteral("threaded.dat")));
    auto* timeline = qobject_cast<TimelineView*>(w->view(QStringLiteral("timeline")));
    ASSERT_NE(timeline, nullptr);
    const TimelineCanvas* canvas = timeline->canvas();
    ASSERT_NE(canvas->data(), nullptr);
    const auto& rows = canvas->data()->layout.rows();
    std::set<Mechanism> lanes;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const QString tip = canvas->tooltipAt(canvas->rowLabelRect(static_cast<int>(r)).center());
        EXPECT_EQ(tip, mechanismTooltip(rows[r].mechanism)) << rows[r].label.toStdString();
        lanes.insert(rows[r].mechanism);
    }
    // threaded.dat: its IRQ thread lane, named and defined by the core table.
    ASSERT_TRUE(lanes.count(Mechanism::IrqThread));
    for (const auto& row : rows) {
        if (row.mechanism == Mechanism::IrqThread) {
            EXPECT_EQ(row.label, inText(CoreMechanism::IrqThread) + QLatin1Char('s'));
        }
    }
    EXPECT_TRUE(
        mechanismTooltip(Mechanism::IrqThread).contains(contextOf(CoreMechanism::IrqThread)));

    const auto* legend = timeline->findChild<LegendBar*>();
    ASSERT_NE(legend, nullptr);
    const auto chips = legend->layoutChips();
    ASSERT_FALSE(chips.empty());
    for (const auto& [m, rect] : chips) {
        EXPECT_TRUE(legend->tooltipAt(rect.center()).startsWith(mechanismTooltip(m)))
            << mechanismLabel(m).toStdString();
    }
}

} // namespace
} // namespace irqlens::gui::test
