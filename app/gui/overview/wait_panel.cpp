#include "app/gui/overview/wait_panel.h"

#include "app/gui/latency/plot_export.h"
#include "app/gui/latency/table_setup.h"
#include "app/gui/mechanism_colors.h"
#include "app/gui/mechanism_text.h"
#include "app/gui/overview/stacked_bar.h"
#include "app/gui/time_format.h"
#include "core/stats/mechanism.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QHelpEvent>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QTableWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>

namespace irqlens::gui {

namespace {

QString q(const std::string& text) {
    return QString::fromStdString(text);
}

// Seconds with µs resolution: the moments of one wait differ by µs.
QString seconds(std::int64_t ns) {
    return QString::number(static_cast<double>(ns) / 1e9, 'f', 6);
}

gui::Mechanism rowKindOfTask(const std::string& comm) {
    if (comm.rfind("kworker", 0) == 0) {
        return gui::Mechanism::Kworker;
    }
    return comm.rfind("ksoftirqd", 0) == 0 ? gui::Mechanism::Ksoftirqd : gui::Mechanism::OtherTask;
}

QColor occupantColor(const WaitShare& w) {
    const auto& colors = MechanismColors::instance();
    switch (w.occupant) {
    case Occupant::HardIrq:
        return colors.color(gui::Mechanism::HardIrq);
    case Occupant::Softirq:
        return colors.color(gui::Mechanism::Softirq);
    case Occupant::Tasklet:
        return colors.color(gui::Mechanism::Tasklet);
    case Occupant::WorkItem:
        return colors.color(gui::Mechanism::Workqueue);
    case Occupant::IrqThread:
        return colors.color(gui::Mechanism::IrqThread);
    case Occupant::Task:
        return colors.color(rowKindOfTask(w.name));
    case Occupant::Idle:
        return QColor(0xf2, 0xf2, 0xf2);
    default:
        return QColor(0xcc, 0xcc, 0xcc);
    }
}

// The kind column: a mechanism (with its definition as tooltip) or a task.
std::pair<QString, QString> kindOf(const WaitShare& w) {
    const auto mechanism = occupantMechanism(w.occupant);
    if (mechanism) {
        return {labelText(*mechanism), mechanismTooltip(*mechanism)};
    }
    switch (w.occupant) {
    case Occupant::Task:
        return {QObject::tr("Task"),
                QObject::tr("A process or kernel thread that had the CPU (sched_switch).")};
    case Occupant::Idle:
        return {QObject::tr("Idle"), QObject::tr("Nothing ran: the CPU was idle (pid 0).")};
    default:
        return {QObject::tr("Unknown"),
                QObject::tr("Task runs were not analysed, so the task is not known.")};
    }
}

} // namespace

// The shares as one bar, the first (largest) on the left; hover for names.
class ShareBar : public QWidget {
public:
    explicit ShareBar(QWidget* parent = nullptr) : QWidget(parent) {
        setMinimumHeight(22);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    }
    void setBreakdown(const std::optional<WaitBreakdown>& b) {
        breakdown_ = b;
        update();
    }

protected:
    void paintEvent(QPaintEvent*) override {
        if (!breakdown_ || breakdown_->waitNs() <= 0) {
            return;
        }
        QPainter p(this);
        std::vector<BarSegment> segments;
        for (const WaitShare& w : breakdown_->shares) {
            segments.push_back(
                {static_cast<double>(w.ns), occupantColor(w), w.occupant == Occupant::Idle});
        }
        paintStackedBar(p, barRect(), segments, static_cast<double>(breakdown_->waitNs()));
    }
    bool event(QEvent* e) override {
        if (e->type() == QEvent::ToolTip && breakdown_ && breakdown_->waitNs() > 0) {
            auto* help = static_cast<QHelpEvent*>(e);
            const double at = (help->pos().x() - barRect().left()) / barRect().width() *
                              static_cast<double>(breakdown_->waitNs());
            double sum = 0;
            for (const WaitShare& w : breakdown_->shares) {
                sum += static_cast<double>(w.ns);
                if (at < sum) {
                    QToolTip::showText(
                        help->globalPos(),
                        QStringLiteral("%1: %2").arg(q(occupantLabel(w)), formatDuration(w.ns)),
                        this);
                    return true;
                }
            }
            QToolTip::hideText();
            return true;
        }
        return QWidget::event(e);
    }

private:
    QRectF barRect() const { return QRectF(1, 3, width() - 2, height() - 6); }
    std::optional<WaitBreakdown> breakdown_;
};

WaitPanel::WaitPanel(CaptureSession* session, QWidget* parent)
    : QWidget(parent), session_(session) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    title_ = new QLabel;
    title_->setWordWrap(true);
    title_->setTextFormat(Qt::RichText);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(title_, 1);
    showWait_ = new QPushButton(tr("Show the wait on the timeline"));
    showWait_->setToolTip(
        tr("Select this episode and zoom the timeline to its bottom half's wait"));
    top->addWidget(showWait_, 0, Qt::AlignTop);
    layout->addLayout(top);
    bar_ = new ShareBar;
    layout->addWidget(bar_);
    table_ = new QTableWidget;
    table_->setObjectName(QStringLiteral("waitShares"));
    static constexpr TableColumn kColumns[] = {{"What ran", "what"},
                                               {"Kind", "kind"},
                                               {"Time", "ns"},
                                               {"Share of the wait", "share"},
                                               {"Stretches", "stretches"}};
    setUpExportableTable(*table_, kColumns);
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    layout->addWidget(withExportButton(table_, addTableExport(table_, QStringLiteral("why-slow"))),
                      1);
    connect(showWait_, &QPushButton::clicked, this, [this] {
        if (!breakdown_ || !session_) {
            return;
        }
        const qint64 pad = std::max<qint64>(breakdown_->waitNs() / 4, 20'000);
        session_->selectSpan(session_->current()->analysis->episodes[episode_].hardIrq);
        session_->showRange(breakdown_->from - pad, breakdown_->to + pad);
        emit session_->viewRequested(QStringLiteral("timeline"));
    });
    showEpisode(kNone, {});
}

void WaitPanel::showEpisode(EpisodeId episode, const QString& why) {
    const auto& capture = session_ ? session_->current() : nullptr;
    episode_ = capture && episode < capture->analysis->episodes.size() ? episode : kNone;
    breakdown_.reset();
    if (episode_ != kNone) {
        breakdown_ = explainWait(*capture->store, *capture->analysis, episode_);
    }
    QString text = tr("<b>Why was this one slow?</b> ");
    if (episode_ == kNone) {
        text += tr("Select an interrupt source above (or an episode on the timeline).");
    } else {
        const Analysis& a = *capture->analysis;
        const Stages st = episodeStages(a, episode_);
        text += tr("Episode %1 (%2): end to end %3 = top half %4 · wait %5 · run %6 · "
                   "preempted %7.")
                    .arg(episode_)
                    .arg(why, formatDuration(a.episodes[episode_].endToEnd(a.spans)),
                         formatDuration(st.topHalf), formatDuration(st.wait),
                         formatDuration(st.run), formatDuration(st.preempted));
        if (!breakdown_) {
            text += tr(" It caused no bottom half: nothing waited.");
        } else {
            const std::int64_t t0 = capture->store->firstTs();
            QString waited = q(describeWait(*capture->store, a, *breakdown_, 0));
            waited[0] = waited[0].toUpper(); // "Its work item ... waited ..."
            text += tr("<br>%1, from %2 s to %3 s after the capture start:")
                        .arg(waited.toHtmlEscaped(), seconds(breakdown_->from - t0),
                             seconds(breakdown_->to - t0));
        }
    }
    title_->setText(text);
    showWait_->setEnabled(breakdown_.has_value());
    bar_->setBreakdown(breakdown_);
    fillTable();
}

void WaitPanel::fillTable() {
    table_->setRowCount(0);
    if (!breakdown_) {
        return;
    }
    table_->setRowCount(static_cast<int>(breakdown_->shares.size()));
    const double wait = static_cast<double>(std::max<std::int64_t>(breakdown_->waitNs(), 1));
    for (int r = 0; r < table_->rowCount(); ++r) {
        const WaitShare& w = breakdown_->shares[static_cast<std::size_t>(r)];
        const auto [kind, tooltip] = kindOf(w);
        auto* what = tableCell(q(occupantLabel(w)));
        what->setData(Qt::DecorationRole, occupantColor(w));
        what->setToolTip(tooltip); // "softirq RCU" names a mechanism too
        table_->setItem(r, 0, what);
        auto* kindCell = tableCell(kind);
        kindCell->setToolTip(tooltip);
        table_->setItem(r, 1, kindCell);
        table_->setItem(r, 2, nsTableCell(w.ns));
        const double share = static_cast<double>(w.ns) / wait;
        auto* shareCell = tableCell(QStringLiteral("%1 %").arg(share * 100, 0, 'f', 1),
                                    QString::number(share, 'f', 6));
        shareCell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(r, 3, shareCell);
        auto* pieces = tableCell(QString::number(w.pieces));
        pieces->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(r, 4, pieces);
    }
}

QString WaitPanel::text() const {
    const auto& capture = session_ ? session_->current() : nullptr;
    if (!breakdown_ || !capture) {
        return {};
    }
    return q(
        describeWait(*capture->store, *capture->analysis, *breakdown_, breakdown_->shares.size()));
}

} // namespace irqlens::gui
