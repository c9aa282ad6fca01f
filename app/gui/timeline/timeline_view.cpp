#include "app/gui/timeline/timeline_view.h"

#include "app/gui/time_format.h"
#include "app/gui/timeline/details_panel.h"
#include "app/gui/timeline/event_table_model.h"
#include "app/gui/timeline/legend_bar.h"
#include "app/gui/timeline/timeline_canvas.h"
#include "app/gui/timeline/timeline_data.h"
#include "app/gui/view_registry.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <set>
#include <shared_mutex>

namespace irqlens::gui {

namespace {
const ViewRegistration kRegistration({QStringLiteral("timeline"), QObject::tr("Timeline"), 0,
                                      [](CaptureSession* session, QWidget* parent) -> QWidget* {
                                          return new TimelineView(session, parent);
                                      }});
} // namespace

TimelineView::TimelineView(CaptureSession* session, QWidget* parent)
    : QWidget(parent), session_(session) {
    filterDelay_ = new QTimer(this);
    filterDelay_->setSingleShot(true);
    filterDelay_->setInterval(300);
    connect(filterDelay_, &QTimer::timeout, this, &TimelineView::startFilter);
    canvas_ = new TimelineCanvas(this);
    details_ = new DetailsPanel(this);
    model_ = new EventTableModel(this);
    table_ = new QTableView(this);
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->setVisible(false);
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->setColumnWidth(EventTableModel::Time, 130);
    table_->setColumnWidth(EventTableModel::Cpu, 44);
    table_->setColumnWidth(EventTableModel::Task, 170);
    table_->setColumnWidth(EventTableModel::Event, 190);

    auto* tableBox = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->setSpacing(2);
    tableLayout->addWidget(buildFilterBar());
    tableLayout->addWidget(table_);

    auto* top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(canvas_);
    top->addWidget(details_);
    top->setStretchFactor(0, 4);
    top->setStretchFactor(1, 1);
    top->setSizes({900, 280});
    auto* vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(top);
    vertical->addWidget(tableBox);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    vertical->setSizes({500, 260});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(buildToolBar());
    // A capture cut short loads what it holds; the banner says so above the timeline.
    truncationBanner_ = new QLabel(this);
    truncationBanner_->setObjectName(QStringLiteral("truncationBanner"));
    truncationBanner_->setWordWrap(true);
    truncationBanner_->setStyleSheet(
        QStringLiteral("QLabel { background: #fff3cd; color: #664d03; padding: 4px 8px; }"));
    truncationBanner_->hide();
    layout->addWidget(truncationBanner_);
    layout->addWidget(vertical, 1);

    connect(canvas_, &TimelineCanvas::spanClicked, session_, &CaptureSession::selectSpan);
    connect(canvas_, &TimelineCanvas::eventClicked, session_, &CaptureSession::selectEvent);
    connect(canvas_, &TimelineCanvas::markersChanged, this, &TimelineView::updateMarkerLabel);
    followDelay_ = new QTimer(this);
    followDelay_->setSingleShot(true);
    followDelay_->setInterval(120);
    connect(followDelay_, &QTimer::timeout, this, &TimelineView::followView);
    connect(canvas_, &TimelineCanvas::viewRangeChanged, followDelay_, qOverload<>(&QTimer::start));
    connect(canvas_, &TimelineCanvas::viewRangeChanged, session_, &CaptureSession::setVisibleRange);
    connect(session_, &CaptureSession::captureChanged, this, &TimelineView::onCaptureChanged);
    connect(session_, &CaptureSession::spanSelected, this, &TimelineView::onSpanSelected);
    connect(session_, &CaptureSession::eventSelected, this, &TimelineView::onEventSelected);
    connect(session_, &CaptureSession::rangeRequested, canvas_,
            [this](qint64 a, qint64 b) { canvas_->setViewRange(a, b); });
    connect(session_, &CaptureSession::colorsChanged, this, [this] {
        canvas_->invalidateLanes();
        legend_->update();
    });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TimelineView::onTableRowChanged);
    onCaptureChanged();
}

TimelineView::~TimelineView() {
    if (filterCancel_) {
        filterCancel_->store(true);
    }
}

QToolBar* TimelineView::buildToolBar() {
    auto* bar = new QToolBar(this);
    bar->setIconSize(QSize(16, 16));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    const auto add = [&](const QString& text, const QString& tip, auto fn) {
        QAction* a = bar->addAction(text, this, fn);
        a->setToolTip(tip);
    };
    const auto mid = [this] {
        return TimelineCanvas::kLabelWidth + (canvas_->width() - TimelineCanvas::kLabelWidth) / 2.0;
    };
    add(tr("Zoom in"), tr("Zoom in (W, mouse wheel)"),
        [this, mid] { canvas_->zoomAt(1.5, mid()); });
    add(tr("Zoom out"), tr("Zoom out (S, mouse wheel)"),
        [this, mid] { canvas_->zoomAt(1 / 1.5, mid()); });
    add(tr("Zoom to selection"), tr("Shift+drag a range, set markers A/B or select a span, then Z"),
        [this] { canvas_->zoomToSelection(); });
    add(tr("Reset"), tr("Show the whole capture (0, Home)"), [this] { canvas_->resetView(); });
    bar->addSeparator();
    markerLabel_ = new QLabel(this);
    markerLabel_->setToolTip(
        tr("Click the time axis for marker A, Shift+click for B (or M / Shift+M)"));
    bar->addWidget(markerLabel_);
    bar->addSeparator();
    legend_ = new LegendBar(this);
    legend_->setObjectName(QStringLiteral("legend"));
    bar->addWidget(legend_);
    connect(legend_, &LegendBar::colorsChanged, session_, &CaptureSession::notifyColorsChanged);
    updateMarkerLabel();
    return bar;
}

QWidget* TimelineView::buildFilterBar() {
    auto* bar = new QWidget(this);
    auto* h = new QHBoxLayout(bar);
    h->setContentsMargins(4, 2, 4, 2);
    cpuFilter_ = new QComboBox(bar);
    taskFilter_ = new QLineEdit(bar);
    eventFilter_ = new QLineEdit(bar);
    fieldFilter_ = new QLineEdit(bar);
    search_ = new QLineEdit(bar);
    taskFilter_->setPlaceholderText(tr("task (comm-pid)"));
    eventFilter_->setPlaceholderText(tr("event name"));
    fieldFilter_->setPlaceholderText(tr("field text"));
    search_->setPlaceholderText(tr("find… (Enter: next)"));
    for (QLineEdit* e : {taskFilter_, eventFilter_, fieldFilter_, search_}) {
        e->setClearButtonEnabled(true);
    }
    countLabel_ = new QLabel(bar);
    filterProgress_ = new QProgressBar(bar);
    filterProgress_->setMaximumWidth(120);
    filterProgress_->setRange(0, 1000);
    filterProgress_->setTextVisible(false);
    filterProgress_->hide();
    h->addWidget(new QLabel(tr("Filter:"), bar));
    h->addWidget(cpuFilter_);
    h->addWidget(taskFilter_, 1);
    h->addWidget(eventFilter_, 1);
    h->addWidget(fieldFilter_, 1);
    h->addSpacing(12);
    h->addWidget(search_, 1);
    h->addWidget(filterProgress_);
    h->addWidget(countLabel_);
    for (QLineEdit* e : {taskFilter_, eventFilter_, fieldFilter_}) {
        connect(e, &QLineEdit::textChanged, this, [this] { filterDelay_->start(); });
        connect(e, &QLineEdit::returnPressed, this, &TimelineView::startFilter);
    }
    connect(cpuFilter_, &QComboBox::currentIndexChanged, this, [this] { filterDelay_->start(); });
    connect(search_, &QLineEdit::returnPressed, this, &TimelineView::findNext);
    return bar;
}

// A live picture of the capture shown, whose timeline data grew in place
// (LiveView): only what is new is announced, nothing is rebuilt.
bool TimelineView::growLive() {
    const auto& next = session_->current();
    if (!next || !next->live || !capture_ || !capture_->live || next->store != capture_->store ||
        !data_ || timelineDataFor(*next) != data_) {
        return false;
    }
    const std::size_t rows = data_->layout.rows().size();
    const bool newRows = canvas_->layoutRows() != static_cast<int>(rows);
    capture_ = next;
    canvas_->growCapture(capture_);
    // A picked row keeps the live table's window where it is.
    model_->grow(capture_, !table_->currentIndex().isValid());
    details_->setCapture(capture_);
    if (newRows) {
        std::set<Mechanism> shown;
        for (const auto& row : data_->layout.rows()) {
            if (row.mechanism != Mechanism::Events) {
                shown.insert(row.mechanism);
            }
        }
        legend_->setMechanisms({shown.begin(), shown.end()});
    }
    updateCountLabel();
    if (model_->isFiltered() || filterRunning()) {
        startFilter(); // the filter run again over the grown capture
    }
    return true;
}

void TimelineView::onCaptureChanged() {
    if (growLive()) {
        return;
    }
    if (filterCancel_) {
        filterCancel_->store(true);
    }
    capture_ = session_->current();
    data_ = capture_ ? timelineDataFor(*capture_) : nullptr;
    canvas_->setCapture(capture_, data_);
    model_->setCapture(capture_, data_);
    details_->setCapture(capture_);
    const QSignalBlocker block(cpuFilter_);
    const QVariant chosenCpu = cpuFilter_->currentData();
    cpuFilter_->clear();
    cpuFilter_->addItem(tr("all CPUs"));
    std::set<Mechanism> shown;
    if (capture_ && data_) {
        for (int c = 0; c < capture_->store->cpuCount(); ++c) {
            cpuFilter_->addItem(cpuLabel(*capture_->store, c), c);
        }
        for (const auto& row : data_->layout.rows()) {
            if (row.mechanism != Mechanism::Events) { // trace_printk marks are in the legend
                shown.insert(row.mechanism);
            }
        }
    }
    legend_->setMechanisms({shown.begin(), shown.end()});
    const std::string cut = capture_ ? truncationWarning(*capture_->store) : std::string();
    truncationBanner_->setText(
        tr("⚠ This capture is cut short (%1): the events after the cut are missing.")
            .arg(QString::fromStdString(cut)));
    truncationBanner_->setVisible(!cut.empty());
    updateCountLabel();
    updateMarkerLabel();
    if (capture_ && capture_->live) {
        // A live picture keeps the user's filter: the same CPU, and the
        // filter run again over the grown capture.
        cpuFilter_->setCurrentIndex(std::max(0, cpuFilter_->findData(chosenCpu)));
        startFilter();
    }
}

void TimelineView::onSpanSelected(SpanId id) {
    canvas_->setSelectedSpan(id);
    details_->showSpan(id);
    if (id == kNone || !capture_ || !capture_->analysis->hasSpan(id)) {
        return;
    }
    const Span s = capture_->analysis->spanAt(id);
    selectTableRow(s.flags & SpanFlag::OpenStart ? s.finish : s.begin);
}

void TimelineView::onEventSelected(EventRef ref) {
    if (!capture_) {
        return;
    }
    canvas_->setSelectedEvent(ref);
    details_->showEvent(ref);
    selectTableRow(ref);
}

void TimelineView::selectTableRow(EventRef ref) {
    int row = model_->rowOf(ref);
    if (row < 0 && model_->showRef(ref)) {
        row = model_->rowOf(ref); // a live table's window moved to the event
    }
    syncing_ = true;
    if (row >= 0) {
        const QModelIndex index = model_->index(row, 0);
        table_->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                             QItemSelectionModel::Rows);
        table_->scrollTo(index, QAbstractItemView::PositionAtCenter);
    } else {
        table_->clearSelection();
    }
    syncing_ = false;
}

void TimelineView::onTableRowChanged() {
    const QModelIndex current = table_->currentIndex();
    if (syncing_ || !current.isValid()) {
        return;
    }
    session_->selectEvent(model_->refAt(current.row()));
}

void TimelineView::setFilter(const EventFilter& filter) {
    const QSignalBlocker b1(cpuFilter_), b2(taskFilter_), b3(eventFilter_), b4(fieldFilter_);
    cpuFilter_->setCurrentIndex(filter.cpu ? *filter.cpu + 1 : 0);
    taskFilter_->setText(filter.task);
    eventFilter_->setText(filter.eventName);
    fieldFilter_->setText(filter.fieldText);
    startFilter();
}

bool TimelineView::filterRunning() const {
    return filterProgress_->isVisible();
}

void TimelineView::startFilter() {
    filterDelay_->stop();
    if (filterCancel_) {
        filterCancel_->store(true);
    }
    if (!capture_ || !data_) {
        return;
    }
    EventFilter filter;
    if (cpuFilter_->currentIndex() > 0) {
        filter.cpu = cpuFilter_->currentData().toInt();
    }
    filter.task = taskFilter_->text().trimmed();
    filter.eventName = eventFilter_->text().trimmed();
    filter.fieldText = fieldFilter_->text().trimmed();
    const int generation = ++filterGeneration_;
    if (filter.isEmpty()) {
        model_->setFilteredRows(std::nullopt);
        filterProgress_->hide();
        updateCountLabel();
        emit filterFinished();
        return;
    }
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    filterCancel_ = cancel;
    filterProgress_->setValue(0);
    filterProgress_->show();
    QPointer<QProgressBar> bar = filterProgress_;
    auto* watcher = new QFutureWatcher<std::optional<std::vector<std::uint32_t>>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        auto rows = watcher->result();
        if (generation != filterGeneration_ || !rows) {
            return; // superseded or cancelled
        }
        model_->setFilteredRows(std::move(rows));
        filterProgress_->hide();
        updateCountLabel();
        emit filterFinished();
    });
    const auto capture = capture_;
    const auto timeline = data_;
    watcher->setFuture(QtConcurrent::run([capture, timeline, filter, cancel, bar] {
        // A live store does not grow while this reads it (see LoadedCapture).
        std::shared_lock<std::shared_mutex> reading;
        if (capture->storeLock) {
            reading = std::shared_lock(*capture->storeLock);
        }
        return filterEvents(*capture->store, timeline->order, filter, *cancel, [bar](double f) {
            QMetaObject::invokeMethod(bar, [bar, f] {
                if (bar) {
                    bar->setValue(static_cast<int>(f * 1000));
                }
            });
        });
    }));
}

void TimelineView::findNext() {
    const QString text = search_->text().trimmed();
    if (text.isEmpty() || !capture_) {
        return;
    }
    // Task and event columns first (cheap), the info text for a bounded stretch.
    const int start = table_->currentIndex().isValid() ? table_->currentIndex().row() + 1 : 0;
    const int n = model_->rowCount();
    for (int i = 0, row = start; i < std::min(n, 200000); ++i, ++row) {
        if (row >= n) {
            row = 0;
        }
        for (int col : {EventTableModel::Task, EventTableModel::Event, EventTableModel::Info}) {
            if (col == EventTableModel::Info && i > 20000) {
                continue;
            }
            if (model_->data(model_->index(row, col), Qt::DisplayRole)
                    .toString()
                    .contains(text, Qt::CaseInsensitive)) {
                table_->setCurrentIndex(model_->index(row, 0));
                return;
            }
        }
    }
    countLabel_->setText(tr("“%1” not found nearby").arg(text));
}

void TimelineView::followView() {
    if (!capture_ || table_->currentIndex().isValid()) {
        return; // a selected row stays where the user put it
    }
    const int row = model_->rowAtTime(std::max(canvas_->viewStart(), capture_->store->firstTs()));
    if (row < model_->rowCount()) {
        table_->scrollTo(model_->index(row, 0), QAbstractItemView::PositionAtTop);
    }
}

void TimelineView::updateMarkerLabel() {
    const auto a = canvas_->marker(0);
    const auto b = canvas_->marker(1);
    const std::int64_t t0 = capture_ ? capture_->store->firstTs() : 0;
    QString text = tr("A: %1   B: %2")
                       .arg(a ? formatDuration(*a - t0) : QStringLiteral("—"),
                            b ? formatDuration(*b - t0) : QStringLiteral("—"));
    if (a && b) {
        text += tr("   Δ %1").arg(formatDuration(*b - *a));
    }
    markerLabel_->setText(text);
}

void TimelineView::updateCountLabel() {
    const std::size_t total = data_ ? data_->order.size() : 0;
    if (model_->isFiltered()) {
        countLabel_->setText(tr("%L1 of %L2 events").arg(model_->rowCount()).arg(total));
    } else {
        const std::size_t shown = model_->windowEnd() - model_->windowFirst();
        countLabel_->setText(shown < total ? tr("%L1 events (the table shows %L2 of them while "
                                                "recording; all once it stops)")
                                                 .arg(total)
                                                 .arg(shown)
                                           : tr("%L1 events").arg(total));
    }
}

} // namespace irqlens::gui
