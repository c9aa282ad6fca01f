#include "app/gui/overview/overview_view.h"

#include "app/gui/latency/plot_export.h"
#include "app/gui/mechanism_text.h"
#include "app/gui/overview/stacked_bar.h"
#include "app/gui/overview/wait_panel.h"
#include "app/gui/time_format.h"
#include "app/gui/view_registry.h"
#include "core/overview/overview_table.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <set>

namespace irqlens::gui {

namespace {

const ViewRegistration registration{
    ViewFactory{QStringLiteral("overview"), QStringLiteral("Overview"), -10,
                [](CaptureSession* session, QWidget* parent) -> QWidget* {
                    return new OverviewView(session, parent);
                }}};

enum Column {
    SourceColumn,
    CountColumn,
    BottomHalfColumn,
    StagesColumn,
    EndToEndColumn,
    SentenceColumn,
    ColumnCount
};

QString q(const std::string& text) {
    return QString::fromStdString(text);
}

// "Work item irqlens_wq_bottom_half — kworker/0:1, kworker/1:2", one line per
// bottom half, the most used first.
QString bottomHalfLines(const InterruptSource& s, std::size_t maxLines) {
    QStringList lines;
    for (const BottomHalfUse& u : s.bottomHalves) {
        if (static_cast<std::size_t>(lines.size()) == maxLines) {
            lines << QObject::tr("+ %1 more").arg(s.bottomHalves.size() - maxLines);
            break;
        }
        QString line = labelText(u.mechanism) + QLatin1Char(' ') + q(u.key);
        if (!u.softirq.empty()) {
            line += QObject::tr(" (softirq %1)").arg(q(u.softirq));
        }
        QStringList runners;
        for (const Runner& r : u.runners) {
            runners << q(r.name);
        }
        // Who ran work items; softirqs and tasklets mostly run on IRQ exit
        // (the sentence says how many ran in ksoftirqd), irq threads run themselves.
        if (!runners.isEmpty() && u.mechanism == irqlens::Mechanism::WorkItem) {
            line += QStringLiteral(" — ") + runners.join(QStringLiteral(", "));
        }
        if (u.episodes < s.count) {
            line += QStringLiteral(" (%1×)").arg(u.episodes);
        }
        lines << line;
    }
    return lines.isEmpty() ? QObject::tr("none") : lines.join(QLatin1Char('\n'));
}

// The definitions of the mechanisms a row mentions: its tooltips.
QString definitionsOf(const InterruptSource& s) {
    std::set<irqlens::Mechanism> seen{irqlens::Mechanism::HardIrq};
    QString tip = mechanismTooltip(irqlens::Mechanism::HardIrq);
    for (const BottomHalfUse& u : s.bottomHalves) {
        if (seen.insert(u.mechanism).second) {
            tip += mechanismTooltip(u.mechanism);
        }
    }
    return tip;
}

QString stagesTooltip(const InterruptSource& s) {
    const Stages& st = s.medianStages;
    return QObject::tr("<p><b>Median stages</b> of its %1 complete episodes, one after the "
                       "other:<br>top half %2 · wait %3 · run %4 · preempted %5</p>"
                       "<p>Wait counts from the top half's return to the start of the bottom "
                       "half that ended last; run is its running time, preempted the time it "
                       "was switched out while runnable. All rows share one scale.</p>")
        .arg(s.endToEnd.count)
        .arg(formatDuration(st.topHalf), formatDuration(st.wait), formatDuration(st.run),
             formatDuration(st.preempted));
}

QTableWidgetItem* cell(const QString& text, const QString& tooltip = {}) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setToolTip(tooltip);
    item->setTextAlignment(Qt::AlignLeft | Qt::AlignTop);
    return item;
}

} // namespace

OverviewView::OverviewView(CaptureSession* session, QWidget* parent)
    : QWidget(parent), session_(session) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(buildTop());
    split_ = new QSplitter(Qt::Vertical);
    table_ = new QTableWidget(0, ColumnCount);
    table_->setObjectName(QStringLiteral("overviewTable"));
    split_->addWidget(table_);
    split_->addWidget(buildDetails());
    split_->setStretchFactor(0, 3);
    split_->setStretchFactor(1, 2);
    layout->addWidget(split_, 1);

    table_->setHorizontalHeaderLabels({tr("Interrupt source"), tr("Count"), tr("Bottom halves"),
                                       tr("Median stages"), tr("End to end"), tr("Typical path")});
    table_->horizontalHeaderItem(StagesColumn)
        ->setToolTip(tr("top half · wait · run · preempted, medians, one scale for all rows"));
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setWordWrap(true);
    table_->verticalHeader()->setVisible(false);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table_->horizontalHeader()->setSectionResizeMode(SentenceColumn, QHeaderView::Stretch);
    table_->setColumnWidth(SourceColumn, 150);
    table_->setColumnWidth(CountColumn, 60);
    table_->setColumnWidth(BottomHalfColumn, 290);
    table_->setColumnWidth(StagesColumn, 190);
    table_->setColumnWidth(EndToEndColumn, 150);
    bars_ = new StageBarDelegate(table_);
    table_->setItemDelegateForColumn(StagesColumn, bars_);
    table_->setContextMenuPolicy(Qt::CustomContextMenu);

    connect(table_, &QTableWidget::itemSelectionChanged, this, &OverviewView::onCurrentRowChanged);
    connect(table_, &QTableWidget::cellActivated, this, [this] { showSlowestEpisode(); });
    connect(table_, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu* menu = buildMenu();
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(table_->viewport()->mapToGlobal(pos));
    });
    connect(table_->horizontalHeader(), &QHeaderView::sectionResized, table_,
            [this] { table_->resizeRowsToContents(); });
    // Ctrl+C copies whole rows (QAbstractItemView's own copy takes one cell).
    table_->installEventFilter(this);
    if (session_) {
        connectCaptureReload(session_, this, [this] { reload(); });
        connect(session_, &CaptureSession::spanSelected, this, &OverviewView::onSpanSelected);
    }
    reload();
}

bool OverviewView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == table_ && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent*>(event)->matches(QKeySequence::Copy)) {
        QApplication::clipboard()->setText(tsv());
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

QWidget* OverviewView::buildTop() {
    auto* box = new QWidget;
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    auto* text = new QVBoxLayout;
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    legend_ = new QLabel;
    legend_->setTextFormat(Qt::RichText);
    text->addWidget(summary_);
    text->addWidget(legend_);
    row->addLayout(text, 1);
    auto* copy = new QToolButton;
    copy->setText(tr("Copy sentences"));
    copy->setToolTip(tr("Copy the typical path of the selected rows (all rows when none is "
                        "selected) as text"));
    connect(copy, &QToolButton::clicked, this,
            [this] { QApplication::clipboard()->setText(sentences()); });
    auto* save = new QToolButton;
    save->setText(tr("Export CSV…"));
    save->setToolTip(tr("Save the table as CSV (times in ns), as irqlens-cli explain --csv"));
    connect(save, &QToolButton::clicked, this, &OverviewView::exportCsv);
    row->addWidget(copy, 0, Qt::AlignTop);
    row->addWidget(save, 0, Qt::AlignTop);
    return box;
}

QWidget* OverviewView::buildDetails() {
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 4, 0, 0);
    sentence_ = new QLabel;
    sentence_->setWordWrap(true);
    sentence_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(sentence_);
    auto* links = new QHBoxLayout;
    slowest_ = new QPushButton(tr("Slowest episode on the timeline"));
    slowest_->setToolTip(tr("Select the episode with the largest end-to-end time and zoom the "
                            "timeline to it (Enter in the table)"));
    endToEnd_ = new QPushButton(labelText(irqlens::Metric::EndToEnd));
    endToEnd_->setToolTip(tr("The distribution of this source's end-to-end times, %1 "
                             "(Latency tab)")
                              .arg(definitionText(irqlens::Metric::EndToEnd)));
    waitGroup_ = new QPushButton(tr("Bottom-half wait"));
    stacks_ = new QPushButton(tr("Stacks"));
    stacks_->setToolTip(tr("The kernel stacks of this source's hard IRQ, with the slowest "
                           "episode's own stack (Stacks tab)"));
    for (QPushButton* b : {slowest_, endToEnd_, waitGroup_, stacks_}) {
        links->addWidget(b);
    }
    links->addStretch();
    layout->addLayout(links);
    wait_ = new WaitPanel(session_);
    layout->addWidget(wait_, 1);
    connect(slowest_, &QPushButton::clicked, this, &OverviewView::showSlowestEpisode);
    connect(endToEnd_, &QPushButton::clicked, this, [this] { showLatencyGroup(false); });
    connect(waitGroup_, &QPushButton::clicked, this, [this] { showLatencyGroup(true); });
    connect(stacks_, &QPushButton::clicked, this, &OverviewView::showStacks);
    return box;
}

QMenu* OverviewView::buildMenu() {
    auto* menu = new QMenu(table_);
    for (QPushButton* b : {slowest_, endToEnd_, waitGroup_, stacks_}) {
        QAction* a = menu->addAction(b->text(), b, &QPushButton::click);
        a->setEnabled(b->isEnabled());
    }
    menu->addSeparator();
    menu->addAction(tr("Copy rows"), QKeySequence::Copy, this,
                    [this] { QApplication::clipboard()->setText(tsv()); });
    menu->addAction(tr("Copy sentences"), this,
                    [this] { QApplication::clipboard()->setText(sentences()); });
    menu->addAction(tr("Export CSV…"), this, &OverviewView::exportCsv);
    return menu;
}

void OverviewView::reload() {
    capture_ = session_ ? session_->current() : nullptr;
    overview_.reset();
    if (capture_ && capture_->store && capture_->analysis) {
        overview_ =
            std::make_unique<Overview>(buildOverview(*capture_->store, *capture_->analysis));
    }
    fillTable();
    updateLegend();
    fitTable();
    int first = -1;
    for (std::size_t r = 0; r < rowSource_.size() && first < 0; ++r) {
        first = rowSource_[r] >= 0 ? static_cast<int>(r) : -1;
    }
    if (first >= 0) {
        table_->selectRow(first);
        table_->setCurrentCell(first, SourceColumn);
    } else {
        onCurrentRowChanged();
    }
}

void OverviewView::fillTable() {
    table_->clearContents();
    table_->clearSpans();
    rowSource_.clear();
    if (!overview_) {
        table_->setRowCount(0);
        return;
    }
    const auto& sources = overview_->sources;
    double scale = 1;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        if (i == 0 || sources[i].isDevice() != sources[i - 1].isDevice()) {
            rowSource_.push_back(-1);
        }
        rowSource_.push_back(static_cast<int>(i));
        scale = std::max(scale, static_cast<double>(sources[i].medianStages.total()));
    }
    bars_->setScale(scale * 1.05);
    table_->setRowCount(static_cast<int>(rowSource_.size()));
    for (int row = 0; row < table_->rowCount(); ++row) {
        const int source = rowSource_[static_cast<std::size_t>(row)];
        if (source >= 0) {
            addSourceRow(row, source);
            continue;
        }
        const bool device = sources[static_cast<std::size_t>(rowSource_[row + 1])].isDevice();
        addHeaderRow(row, device ? tr("Device interrupts") : tr("CPU vectors and IPIs"),
                     device ? tr("Interrupt handlers of devices (irq_handler_entry/exit)")
                            : tr("Interrupts of the CPU itself: the local timer, IPIs from "
                                 "other CPUs (reschedule, function calls), irq_work"));
    }
    table_->resizeRowsToContents();
}

// The table as tall as its rows (up to 60 % of the tab), the rest for the
// selected source's details.
void OverviewView::fitTable() {
    const int total = split_->height();
    if (total <= 0) {
        return;
    }
    int needed = table_->horizontalHeader()->height() + 2 * table_->frameWidth() + 2;
    for (int r = 0; r < table_->rowCount(); ++r) {
        needed += table_->rowHeight(r);
    }
    needed = std::min(needed, total * 3 / 5);
    split_->setSizes({needed, total - needed});
}

void OverviewView::addHeaderRow(int row, const QString& title, const QString& tooltip) {
    auto* item = new QTableWidgetItem(title);
    item->setFlags(Qt::NoItemFlags); // not a source: the keyboard skips it
    QFont bold = table_->font();
    bold.setBold(true);
    item->setFont(bold);
    item->setForeground(palette().color(QPalette::WindowText));
    item->setBackground(palette().color(QPalette::Window));
    item->setToolTip(tooltip);
    table_->setItem(row, 0, item);
    table_->setSpan(row, 0, 1, ColumnCount);
}

void OverviewView::addSourceRow(int row, int index) {
    const InterruptSource& s = overview_->sources[static_cast<std::size_t>(index)];
    QString cpus;
    for (auto cpu : s.cpus) {
        cpus += (cpus.isEmpty() ? QString() : QStringLiteral(", ")) + QString::number(cpu);
    }
    table_->setItem(
        row, SourceColumn,
        cell(q(sourceTitle(s)), tr("<p>%1, on CPU %2</p>%3")
                                    .arg(q(sourceTitle(s)).toHtmlEscaped(), cpus,
                                         mechanismTooltip(irqlens::Mechanism::HardIrq))));
    auto* count = cell(QString::number(s.count), tr("Episodes: hard IRQs whose entry was seen"));
    count->setTextAlignment(Qt::AlignRight | Qt::AlignTop);
    table_->setItem(row, CountColumn, count);
    table_->setItem(
        row, BottomHalfColumn,
        cell(bottomHalfLines(s, 3), QStringLiteral("<p>%1</p>")
                                            .arg(bottomHalfLines(s, 100).toHtmlEscaped().replace(
                                                QLatin1Char('\n'), QStringLiteral("<br>"))) +
                                        definitionsOf(s)));
    auto* bar = cell(QString(), stagesTooltip(s));
    const auto main =
        s.bottomHalves.empty() ? irqlens::Mechanism::HardIrq : s.bottomHalves.front().mechanism;
    const Stages& st = s.medianStages;
    bar->setData(kStagesRole, QVariantList{qint64(st.topHalf), qint64(st.wait), qint64(st.run),
                                           qint64(st.preempted), static_cast<int>(main)});
    table_->setItem(row, StagesColumn, bar);
    const QString e2e =
        s.endToEnd.count > 0
            ? tr("%1 · p99 %2").arg(formatDuration(s.endToEnd.p50), formatDuration(s.endToEnd.p99))
            : tr("—");
    table_->setItem(row, EndToEndColumn, cell(e2e, mechanismTooltip(irqlens::Mechanism::Episode)));
    table_->setItem(row, SentenceColumn, cell(q(s.sentence), definitionsOf(s)));
}

void OverviewView::updateLegend() {
    const auto wait = stageColor(1, irqlens::Mechanism::WorkItem).name();
    const auto top = stageColor(0, irqlens::Mechanism::WorkItem).name();
    legend_->setText(
        tr("<span style='color:%1'>■</span> top half &nbsp; <span style='color:%2'>▨</span> "
           "wait &nbsp; ■ run (in the colour of its bottom half) &nbsp; ▨ preempted — medians, "
           "one scale for all rows: a full bar is %3")
            .arg(top, wait, formatDuration(bars_->scale())));
    legend_->setToolTip(tr("The stages follow each other: for one episode they add up to its "
                           "end-to-end time. Wait counts from the top half's return."));
    if (!overview_ || !capture_) {
        summary_->setText(tr("No capture loaded: File → Open (Ctrl+O)."));
        return;
    }
    const EventStore& store = *capture_->store;
    summary_->setText(tr("<b>%1</b>: %2 interrupts from %3 sources in %4 on %5 CPUs. One row per "
                         "source; select one for its slowest episode and why it was slow.")
                          .arg(QFileInfo(capture_->path).fileName().toHtmlEscaped())
                          .arg(overview_->episodes)
                          .arg(overview_->sources.size())
                          .arg(formatDuration(store.lastTs() - store.firstTs()))
                          .arg(store.cpuCount()));
}

int OverviewView::currentSource() const {
    const int row = table_->currentRow();
    return row >= 0 && static_cast<std::size_t>(row) < rowSource_.size()
               ? rowSource_[static_cast<std::size_t>(row)]
               : -1;
}

int OverviewView::rowOfSource(int source) const {
    for (std::size_t r = 0; r < rowSource_.size(); ++r) {
        if (rowSource_[r] == source) {
            return static_cast<int>(r);
        }
    }
    return -1;
}

void OverviewView::selectSource(int source) {
    const int row = rowOfSource(source);
    if (row >= 0) {
        table_->selectRow(row);
        table_->setCurrentCell(row, SourceColumn);
    }
}

void OverviewView::onCurrentRowChanged() {
    const int index = currentSource();
    for (QPushButton* b : {slowest_, endToEnd_, waitGroup_, stacks_}) {
        b->setEnabled(index >= 0);
    }
    if (index < 0) {
        sentence_->setText(overview_ ? tr("Select an interrupt source.") : QString());
        wait_->showEpisode(kNone, {});
        return;
    }
    const InterruptSource& s = overview_->sources[static_cast<std::size_t>(index)];
    sentence_->setText(q(s.sentence));
    sentence_->setToolTip(definitionsOf(s));
    const bool slowest = s.slowest != kNone;
    slowest_->setEnabled(slowest);
    slowest_->setText(
        slowest ? tr("Slowest episode on the timeline (%1)").arg(formatDuration(s.endToEnd.max))
                : tr("Slowest episode on the timeline"));
    endToEnd_->setEnabled(s.endToEnd.count > 0);
    waitGroup_->setEnabled(!s.bottomHalves.empty() && s.bottomHalves.front().wait.count > 0);
    if (!s.bottomHalves.empty()) {
        const BottomHalfUse& u = s.bottomHalves.front();
        waitGroup_->setText(tr("Wait of %1 %2").arg(inText(u.mechanism), q(u.key)));
        waitGroup_->setToolTip(mechanismTooltip(u.mechanism));
    } else {
        waitGroup_->setText(tr("Bottom-half wait"));
        waitGroup_->setToolTip(tr("This source caused no bottom half"));
    }
    stacks_->setEnabled(slowest);
    wait_->showEpisode(s.slowest, tr("the slowest of %1, end to end %2")
                                      .arg(q(sourceTitle(s)), formatDuration(s.endToEnd.max)));
}

void OverviewView::onSpanSelected(SpanId span) {
    if (!overview_ || !capture_ || span >= capture_->analysis->spans.size()) {
        return;
    }
    const auto episodes = capture_->analysis->episodesOf(span);
    if (episodes.empty()) {
        return;
    }
    const EpisodeId episode = episodes.front();
    const Span& hard = capture_->analysis->spans[capture_->analysis->episodes[episode].hardIrq];
    const std::string key = spanKeyName(*capture_->store, hard);
    for (std::size_t i = 0; i < overview_->sources.size(); ++i) {
        const InterruptSource& s = overview_->sources[i];
        if (s.key != key) {
            continue;
        }
        if (currentSource() != static_cast<int>(i)) {
            const QSignalBlocker block(table_);
            selectSource(static_cast<int>(i));
            onCurrentRowChanged();
        }
        if (episode != s.slowest) {
            wait_->showEpisode(episode, tr("selected, %1").arg(q(sourceTitle(s))));
        }
        return;
    }
}

void OverviewView::showSlowestEpisode() {
    const int index = currentSource();
    if (index >= 0 && session_) {
        const EpisodeId e = overview_->sources[static_cast<std::size_t>(index)].slowest;
        if (e != kNone) {
            session_->showEpisode(e);
        }
    }
}

void OverviewView::showLatencyGroup(bool bottomHalfWait) {
    const int index = currentSource();
    if (index < 0 || !session_) {
        return;
    }
    const InterruptSource& s = overview_->sources[static_cast<std::size_t>(index)];
    if (bottomHalfWait && s.bottomHalves.empty()) {
        return;
    }
    session_->showLatencyGroup(
        q(bottomHalfWait ? waitGroupId(s.bottomHalves.front()) : endToEndGroupId(s)));
}

void OverviewView::showStacks() {
    const int index = currentSource();
    if (index < 0 || !session_ || !capture_) {
        return;
    }
    const EpisodeId e = overview_->sources[static_cast<std::size_t>(index)].slowest;
    if (e != kNone) {
        session_->selectSpan(capture_->analysis->episodes[e].hardIrq);
        emit session_->viewRequested(QStringLiteral("stacks"));
    }
}

QString OverviewView::rows(bool selectedOnly, bool tabs) const {
    if (!overview_) {
        return {};
    }
    const auto line = [tabs](const std::vector<std::string>& fields) {
        QStringList row;
        for (const std::string& f : fields) {
            row << (tabs ? q(f).replace(QLatin1Char('\t'), QLatin1Char(' ')) : q(f));
        }
        return (tabs ? row.join(QLatin1Char('\t')) : csvLine(row)) + QLatin1Char('\n');
    };
    QString text = line(overviewCsvHeader());
    for (std::size_t r = 0; r < rowSource_.size(); ++r) {
        const int source = rowSource_[r];
        const bool wanted = !selectedOnly || table_->selectionModel()->isRowSelected(
                                                 static_cast<int>(r), QModelIndex());
        if (source >= 0 && wanted) {
            text += line(overviewCsvRow(overview_->sources[static_cast<std::size_t>(source)]));
        }
    }
    return text;
}

QString OverviewView::csv() const {
    return rows(false, false);
}

QString OverviewView::tsv() const {
    return rows(true, true);
}

QString OverviewView::sentences() const {
    if (!overview_) {
        return {};
    }
    QStringList lines;
    const bool any = !table_->selectionModel()->selectedRows().isEmpty();
    for (std::size_t r = 0; r < rowSource_.size(); ++r) {
        const int source = rowSource_[r];
        if (source >= 0 &&
            (!any || table_->selectionModel()->isRowSelected(static_cast<int>(r), QModelIndex()))) {
            lines << q(overview_->sources[static_cast<std::size_t>(source)].sentence);
        }
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void OverviewView::exportCsv() {
    if (!overview_) {
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the overview"),
                                                      QFileInfo(capture_->path).completeBaseName() +
                                                          QStringLiteral("-overview.csv"),
                                                      tr("CSV (*.csv)"));
    if (path.isEmpty()) {
        return;
    }
    const QString text = csv();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit()) {
        QMessageBox::warning(this, tr("Export the overview"),
                             tr("%1: %2").arg(path, file.errorString()));
    }
}

} // namespace irqlens::gui
