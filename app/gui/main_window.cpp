#include "app/gui/main_window.h"

#include "app/gui/capture_load_job.h"
#include "app/gui/help_menu.h"
#include "app/gui/mechanism_colors.h"
#include "app/gui/record/record_actions.h"
#include "app/gui/time_format.h"
#include "app/gui/view_registry.h"

#include <QAction>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>
#include <algorithm>

namespace irqlens::gui {

namespace {
constexpr int kMaxRecent = 10;
}

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    session_ = new CaptureSession(this);
    MechanismColors::instance().load();
    setWindowTitle(QStringLiteral("irqlens"));
    setAcceptDrops(true);
    buildTabs();
    buildMenus();
    buildStatusBar();
    connect(session_, &CaptureSession::viewRequested, this, &MainWindow::showView);
    // A recording's live reloads set the capture directly: keep the status current.
    connect(session_, &CaptureSession::captureChanged, this, [this] {
        updateStatus();
        updateTitle();
    });
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        resize(1400, 900);
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildTabs() {
    tabs_ = new QTabWidget(this);
    tabs_->setDocumentMode(true);
    std::vector<ViewFactory> views = registeredViews();
    std::stable_sort(views.begin(), views.end(),
                     [](const ViewFactory& a, const ViewFactory& b) { return a.order < b.order; });
    for (const auto& f : views) {
        QWidget* w = f.create(session_, tabs_);
        w->setObjectName(f.id);
        tabs_->addTab(w, f.title);
    }
    setCentralWidget(tabs_);
}

QWidget* MainWindow::view(const QString& id) const {
    for (int i = 0; i < tabs_->count(); ++i) {
        if (tabs_->widget(i)->objectName() == id) {
            return tabs_->widget(i);
        }
    }
    return nullptr;
}

bool MainWindow::showView(const QString& id) {
    if (QWidget* w = view(id)) {
        tabs_->setCurrentWidget(w);
        return true;
    }
    return false;
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] {
        const QString path = askForFile(tr("Open capture"));
        if (!path.isEmpty()) {
            openFile(path);
        }
    });
    file->addAction(tr("&Compare with…"), QKeySequence(tr("Ctrl+Shift+O")), this, [this] {
        const QString path = askForFile(tr("Open a second capture to compare with"));
        if (!path.isEmpty()) {
            openComparison(path);
        }
    });
    recentMenu_ = file->addMenu(tr("Open &recent"));
    rebuildRecentMenu();
    file->addAction(tr("Re&load"), QKeySequence::Refresh, this, [this] {
        if (session_->current()) {
            openFile(session_->current()->path);
        }
    });
    file->addSeparator();
    addRecordActions(this, file);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < tabs_->count(); ++i) {
        QAction* a = viewMenu->addAction(tabs_->tabText(i));
        a->setShortcut(QKeySequence(Qt::ALT | static_cast<Qt::Key>(Qt::Key_1 + i)));
        connect(a, &QAction::triggered, this, [this, i] { tabs_->setCurrentIndex(i); });
    }
    viewMenu->addSeparator();
    viewMenu->addAction(tr("Reset colours"), this, [this] {
        for (int m = 0; m < kMechanismCount; ++m) {
            MechanismColors::instance().setColor(
                static_cast<Mechanism>(m),
                MechanismColors::defaultColor(static_cast<Mechanism>(m)));
        }
        session_->notifyColorsChanged();
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    fillHelpMenu(help, this);
}

void MainWindow::buildStatusBar() {
    statusLabel_ = new QLabel(this);
    statusLabel_->setObjectName(QStringLiteral("captureStatus"));
    loadLabel_ = new QLabel(this);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setMaximumWidth(220);
    progress_->setTextVisible(false);
    cancelButton_ = new QToolButton(this);
    cancelButton_->setText(tr("Cancel"));
    cancelButton_->setObjectName(QStringLiteral("cancelLoad"));
    connect(cancelButton_, &QToolButton::clicked, this, [this] {
        if (job_) {
            job_->cancel();
        }
    });
    statusBar()->addWidget(statusLabel_, 1);
    statusBar()->addPermanentWidget(loadLabel_);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancelButton_);
    progress_->hide();
    cancelButton_->hide();
    loadLabel_->hide();
}

QString MainWindow::askForFile(const QString& title) {
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("lastDirectory")).toString();
    const QString path = QFileDialog::getOpenFileName(
        this, title, dir, tr("Captures (*.dat *.txt *.report);;All files (*)"));
    if (!path.isEmpty()) {
        settings.setValue(QStringLiteral("lastDirectory"), QFileInfo(path).absolutePath());
    }
    return path;
}

void MainWindow::openFile(const QString& path) {
    startJob(path, false);
}
void MainWindow::openComparison(const QString& path) {
    startJob(path, true);
}

void MainWindow::startJob(const QString& path, bool comparison) {
    if (job_) {
        job_->cancel();
        job_->deleteLater();
    }
    auto* job = new CaptureLoadJob(path, this);
    job_ = job;
    loadLabel_->setText(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    loadLabel_->show();
    progress_->setValue(0);
    progress_->show();
    cancelButton_->show();
    const auto done = [this, job] {
        if (job_ == job) {
            progress_->hide();
            cancelButton_->hide();
            loadLabel_->hide();
            job_ = nullptr;
        }
        job->deleteLater();
    };
    connect(job, &CaptureLoadJob::progress, this,
            [this, job](double f, quint64 events, const QString& stage) {
                if (job_ == job) {
                    progress_->setValue(static_cast<int>(f * 1000));
                    loadLabel_->setText(tr("%1 %2: %L3 events")
                                            .arg(stage, QFileInfo(job->path()).fileName())
                                            .arg(events));
                }
            });
    connect(job, &CaptureLoadJob::loaded, this,
            [this, done, comparison](const std::shared_ptr<const LoadedCapture>& c) {
                done();
                onLoaded(c, comparison);
            });
    connect(job, &CaptureLoadJob::failed, this, [this, done](const QString& message) {
        done();
        showError(message);
    });
    connect(job, &CaptureLoadJob::cancelled, this, [this, done] {
        done();
        statusBar()->showMessage(tr("Loading cancelled"), 4000);
        emit loadFinished(false, tr("cancelled"));
    });
    job->start();
}

void MainWindow::waitForLoad() {
    if (job_) {
        QPointer<CaptureLoadJob> job = job_;
        job->waitForFinished();
    }
}

void MainWindow::onLoaded(const std::shared_ptr<const LoadedCapture>& capture, bool comparison) {
    addRecent(capture->path);
    if (comparison) {
        session_->setComparison(capture);
        showView(QStringLiteral("compare"));
    } else {
        session_->setCurrent(capture);
    }
    lastError_.clear();
    updateStatus();
    updateTitle();
    emit loadFinished(true, {});
}

void MainWindow::showError(const QString& message) {
    lastError_ = message;
    if (!quietErrors_) {
        auto* box = new QMessageBox(QMessageBox::Critical, tr("Cannot open capture"), message,
                                    QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("loadError"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open(); // window-modal, does not block the caller
    }
    statusBar()->showMessage(message, 8000);
    emit loadFinished(false, message);
}

void MainWindow::addRecent(const QString& path) {
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    const QString abs = QFileInfo(path).absoluteFilePath();
    recent.removeAll(abs);
    recent.prepend(abs);
    while (recent.size() > kMaxRecent) {
        recent.removeLast();
    }
    settings.setValue(QStringLiteral("recentFiles"), recent);
    settings.setValue(QStringLiteral("lastDirectory"), QFileInfo(path).absolutePath());
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (int i = 0; i < recent.size(); ++i) {
        const QString& path = recent[i];
        QAction* a = recentMenu_->addAction(QStringLiteral("&%1 %2").arg((i + 1) % 10).arg(path));
        connect(a, &QAction::triggered, this, [this, path] { openFile(path); });
    }
    recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::updateStatus() {
    const auto& c = session_->current();
    if (!c) {
        statusLabel_->setText(
            tr("No capture — File → Open (Ctrl+O) or drop a trace.dat on the window"));
        return;
    }
    const EventStore& s = *c->store;
    QString text = tr("%1 · %L2 events · %3 CPUs · %L4 spans · %L5 episodes · %6 · loaded in %7 s")
                       .arg(QFileInfo(c->path).fileName())
                       .arg(s.totalEvents())
                       .arg(s.cpuCount())
                       .arg(c->analysis->spans.size() + c->analysis->taskRuns.size())
                       .arg(c->analysis->episodes.size())
                       .arg(formatDuration(s.lastTs() - s.firstTs()))
                       .arg(c->loadSeconds, 0, 'f', 2);
    if (!s.info().buffers.empty()) {
        QStringList names;
        for (const ExtraBuffer& b : s.info().buffers) {
            names << QString::fromStdString(b.name);
        }
        text += tr(" · buffers: %1").arg(names.join(QStringLiteral(", ")));
    }
    if (s.info().unparsedLines > 0) {
        text += tr(" · ⚠ %L1 lines were not trace lines").arg(s.info().unparsedLines);
    }
    if (!s.missed().empty()) {
        text += s.hasUnknownMissed() ? tr(" · ⚠ events lost (%L1+ known)").arg(s.totalMissed())
                                     : tr(" · ⚠ %L1 events lost").arg(s.totalMissed());
    } else {
        text += tr(" · no events lost");
    }
    // The traced machine, when the capture says (irqlens records the board too).
    const CaptureInfo& info = s.info();
    QStringList machine;
    if (!info.model.empty()) {
        machine << QString::fromStdString(info.model);
    }
    if (!info.kernel.empty()) {
        machine << QStringLiteral("Linux %1 %2")
                       .arg(QString::fromStdString(info.kernel),
                            QString::fromStdString(info.machine))
                       .trimmed();
    }
    if (!machine.isEmpty()) {
        text += QStringLiteral(" · ") + machine.join(QStringLiteral(", "));
    }
    statusLabel_->setText(text);
}

void MainWindow::updateTitle() {
    const auto& c = session_->current();
    setWindowTitle(c ? QStringLiteral("%1 — irqlens").arg(QFileInfo(c->path).fileName())
                     : QStringLiteral("irqlens"));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile()) {
        // Dropping with Shift held loads the file for comparison.
        if (event->modifiers() & Qt::ShiftModifier) {
            openComparison(urls.first().toLocalFile());
        } else {
            openFile(urls.first().toLocalFile());
        }
        event->acceptProposedAction();
    }
}

} // namespace irqlens::gui
