#include "app/gui/record/record_dialog.h"

#include "app/gui/main_window.h"
#include "app/gui/record/live_view.h"
#include "app/gui/record/record_session.h"
#include "app/gui/record/ssh_prompter.h"

#include <QAction>
#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMetaObject>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QVBoxLayout>
#include <sys/sysinfo.h>

namespace irqlens::gui {

namespace {
RecordDialog::ReplaceQuestion& replaceQuestion() {
    static RecordDialog::ReplaceQuestion question;
    return question;
}

struct PresetLabel {
    const char* name;
    const char* label;
};
constexpr PresetLabel kPresets[] = {
    {"bottom-halves", "Bottom halves (irq, workqueue, sched switch / wake-ups)"},
    {"stacks", "Bottom halves + a kernel stack per event"},
    {"funcgraph", "Bottom halves + function graph of modules"},
    {"none", "Custom: only the events listed below"},
};
} // namespace

RecordDialog::RecordDialog(MainWindow* window) : QDialog(window), window_(window) {
    setWindowTitle(tr("Record"));
    setObjectName(QStringLiteral("recordDialog"));
    session_ = new RecordSession(this);
    live_ = new LiveView(window->session(), this);
    prompter_ = new SshPrompter(this);
    session_->setPrompter(prompter_->prompter());
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildForm());
    layout->addWidget(buildStatus());
    connect(session_, &RecordSession::stateChanged, this, &RecordDialog::onStateChanged);
    connect(session_, &RecordSession::recordingStarted, this, &RecordDialog::onStarted);
    connect(session_, &RecordSession::countersChanged, this, &RecordDialog::updateCounters);
    connect(session_, &RecordSession::finished, this, &RecordDialog::onFinished);
    connect(session_, &RecordSession::durationReached, this, &RecordDialog::stopRecording);
    auto* stopKey = new QShortcut(QKeySequence(tr("Ctrl+.")), this);
    connect(stopKey, &QShortcut::activated, this, &RecordDialog::stopRecording);
    QSettings settings;
    applySettings(RecordSettings::load(settings));
    updateEnabled();
}

RecordDialog::~RecordDialog() {
    testCancel_ = true; // a test under way (even one waiting for a password) ends
    if (testThread_.joinable()) {
        testThread_.join();
    }
}

void RecordDialog::setReplaceQuestionForTests(ReplaceQuestion question) {
    replaceQuestion() = std::move(question);
}

QWidget* RecordDialog::buildForm() {
    form_ = new QGroupBox(tr("What to record"), this);
    auto* form = new QFormLayout(form_);
    addTargetRows(form);
    addEventRows(form);
    addLimitRows(form);
    output_ = new QLineEdit(form_);
    output_->setPlaceholderText(tr("a new file in %1").arg(recordingsFolder()));
    browse_ = new QPushButton(tr("Browse…"), form_);
    connect(browse_, &QPushButton::clicked, this, &RecordDialog::browseOutput);
    auto* outputRow = new QHBoxLayout;
    outputRow->addWidget(output_, 1);
    outputRow->addWidget(browse_);
    form->addRow(tr("Output file:"), outputRow);
    return form_;
}

void RecordDialog::addTargetRows(QFormLayout* form) {
    local_ = new QRadioButton(tr("This machine"), form_);
    remote_ = new QRadioButton(tr("Remote host over ssh:"), form_);
    auto* targets = new QButtonGroup(form_);
    targets->addButton(local_);
    targets->addButton(remote_);
    host_ = new QComboBox(form_);
    host_->setEditable(true);
    host_->setMinimumContentsLength(28);
    host_->setToolTip(tr("[user@]host[:port]; your ssh config, keys and known_hosts are used"));
    host_->lineEdit()->setPlaceholderText(tr("pi@raspberrypi.local"));
    test_ = new QPushButton(tr("&Test connection"), form_);
    test_->setToolTip(tr("Log in and check what recording needs: root or sudo, tracefs, kernel, "
                         "architecture, board, the irqlens module"));
    connect(test_, &QPushButton::clicked, this, &RecordDialog::testConnection);
    auto* remoteRow = new QHBoxLayout;
    remoteRow->addWidget(remote_);
    remoteRow->addWidget(host_, 1);
    remoteRow->addWidget(test_);
    form->addRow(tr("Target:"), local_);
    form->addRow(QString(), remoteRow);
    connect(remote_, &QRadioButton::toggled, this, &RecordDialog::updateEnabled);
}

void RecordDialog::addEventRows(QFormLayout* form) {
    preset_ = new QComboBox(form_);
    for (const auto& p : kPresets) {
        preset_->addItem(tr(p.label), QString::fromLatin1(p.name));
    }
    connect(preset_, &QComboBox::currentIndexChanged, this, &RecordDialog::updateEnabled);
    events_ = new QLineEdit(form_);
    modules_ = new QLineEdit(form_);
    modules_->setPlaceholderText(tr("module names, e.g. irqlens_wq"));
    form->addRow(tr("Events:"), preset_);
    form->addRow(tr("Extra events:"), events_);
    form->addRow(tr("Modules:"), modules_);
}

void RecordDialog::addLimitRows(QFormLayout* form) {
    duration_ = new QDoubleSpinBox(form_);
    duration_->setRange(0, 24 * 3600);
    duration_->setDecimals(1);
    duration_->setSuffix(tr(" s"));
    duration_->setSpecialValueText(tr("until Stop"));
    bufferKb_ = new QSpinBox(form_);
    bufferKb_->setRange(0, 4 * 1024 * 1024);
    bufferKb_->setSingleStep(1024);
    bufferKb_->setSuffix(tr(" KiB"));
    bufferKb_->setSpecialValueText(tr("kernel default"));
    cpus_ = new QLineEdit(form_);
    cpus_->setPlaceholderText(tr("all CPUs (or e.g. 0-1,3)"));
    form->addRow(tr("Duration:"), duration_);
    form->addRow(tr("Buffer per CPU:"), bufferKb_);
    form->addRow(tr("CPUs:"), cpus_);
}

QWidget* RecordDialog::buildStatus() {
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    state_ = new QLabel(tr("Ready"), box);
    state_->setObjectName(QStringLiteral("recordState"));
    counters_ = new QLabel(box);
    counters_->setObjectName(QStringLiteral("recordCounters"));
    counters_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    message_ = new QLabel(box);
    message_->setObjectName(QStringLiteral("recordMessage"));
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(state_);
    layout->addWidget(counters_);
    layout->addWidget(message_);

    auto* buttons = new QDialogButtonBox(box);
    record_ = buttons->addButton(tr("&Record"), QDialogButtonBox::AcceptRole);
    stop_ = buttons->addButton(tr("&Stop"), QDialogButtonBox::ActionRole);
    close_ = buttons->addButton(QDialogButtonBox::Close);
    record_->setDefault(true);
    stop_->setToolTip(tr("Stop recording (Esc, Ctrl+.); what was recorded is kept"));
    connect(record_, &QPushButton::clicked, this, &RecordDialog::startRecording);
    connect(stop_, &QPushButton::clicked, this, &RecordDialog::stopRecording);
    connect(close_, &QPushButton::clicked, this, &RecordDialog::reject);
    layout->addWidget(buttons);
    return box;
}

RecordSettings RecordDialog::settingsFromForm() const {
    RecordSettings s;
    s.remote = remote_->isChecked();
    s.host = host_->currentText().trimmed();
    s.recentHosts = recentHosts_;
    s.preset = preset_->currentData().toString();
    s.events = events_->text().trimmed();
    s.modules = modules_->text().trimmed();
    s.durationSeconds = duration_->value();
    s.bufferKb = bufferKb_->value();
    s.cpus = cpus_->text().trimmed();
    s.output = output_->text().trimmed();
    return s;
}

void RecordDialog::applySettings(const RecordSettings& s) {
    (s.remote ? remote_ : local_)->setChecked(true);
    recentHosts_ = s.recentHosts;
    host_->clear();
    host_->addItems(s.recentHosts);
    host_->setCurrentText(s.host);
    const int preset = preset_->findData(s.preset);
    preset_->setCurrentIndex(preset >= 0 ? preset : 0);
    events_->setText(s.events);
    modules_->setText(s.modules);
    duration_->setValue(s.durationSeconds);
    bufferKb_->setValue(s.bufferKb);
    cpus_->setText(s.cpus);
    output_->setText(s.output);
    updateEnabled();
}

void RecordDialog::browseOutput() {
    const QString start = output_->text().isEmpty() ? defaultRecordOutput() : output_->text();
    const QString path = QFileDialog::getSaveFileName(this, tr("Record into"), start,
                                                      tr("trace.dat (*.dat);;All files (*)"));
    if (!path.isEmpty()) {
        output_->setText(path);
    }
}

bool RecordDialog::startRecording() {
    if (session_->isActive()) {
        return false;
    }
    const RecordSettings settings = settingsFromForm();
    QSettings stored;
    settings.save(stored); // remembered even when the form is wrong: the user fixes one field
    QString error;
    auto request = makeRecordRequest(settings, get_nprocs_conf(), error);
    if (!request) {
        showMessage(error, true);
        return false;
    }
    const QFileInfo output(request->output);
    if (output.exists() || output.isSymLink()) {
        if (!confirmReplace(request->output)) {
            showMessage(tr("Not recorded: %1 exists. Choose another output file, or agree to "
                           "replace it.")
                            .arg(request->output),
                        true);
            return false;
        }
        request->replaceExisting = true;
    }
    if (!session_->start(*request, error)) {
        showMessage(error, true);
        return false;
    }
    showMessage(
        request->destination.isEmpty()
            ? tr("Recording this machine into %1").arg(request->output)
            : tr("Connecting to %1, recording into %2").arg(request->destination, request->output),
        false);
    counters_->clear();
    return true;
}

// The existing file is replaced only when the new recording is complete
// (and an open capture keeps reading the old one).
bool RecordDialog::confirmReplace(const QString& path) {
    const auto& current = window_->session()->current();
    const bool open = current && QFileInfo(current->path).canonicalFilePath() ==
                                     QFileInfo(path).canonicalFilePath();
    if (replaceQuestion()) {
        return replaceQuestion()(path, open);
    }
    QString text = tr("%1 exists already.").arg(path);
    if (open) {
        text += QLatin1Char(' ') + tr("It is the capture open in this window.");
    }
    const auto answer = QMessageBox::question(
        this, tr("Replace the file?"),
        text + QStringLiteral("\n\n") +
            tr("Replace it once the new recording is complete? Until then it stays as it is."),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    return answer == QMessageBox::Yes;
}

void RecordDialog::testConnection() {
    const QString host = host_->currentText().trimmed();
    if (testing_ || session_->isActive()) {
        return;
    }
    if (host.isEmpty()) {
        showMessage(tr("Host: enter the machine to test, as [user@]host[:port]"), true);
        return;
    }
    if (testThread_.joinable()) {
        testThread_.join();
    }
    testing_ = true;
    testCancel_ = false;
    updateEnabled();
    showMessage(tr("Testing %1…").arg(host), false);
    testThread_ =
        std::thread([this, destination = host.toStdString(), prompt = prompter_->prompter()] {
            const TargetCheck check = checkRemoteTarget(destination, prompt, &testCancel_);
            QMetaObject::invokeMethod(
                this, [this, check] { onTested(check); }, Qt::QueuedConnection);
        });
}

void RecordDialog::onTested(const TargetCheck& check) {
    if (testThread_.joinable()) {
        testThread_.join();
    }
    testing_ = false;
    QStringList lines;
    for (const auto& row : check.rows) {
        lines << QStringLiteral("%1 %2: %3")
                     .arg(row.ok ? QStringLiteral("✓") : QStringLiteral("✗"),
                          QString::fromStdString(row.label), QString::fromStdString(row.value));
    }
    if (!check.ok()) {
        lines << QString::fromStdString(check.error);
    } else {
        lines << tr("Ready to record.");
    }
    showMessage(lines.join(QLatin1Char('\n')), !check.ok());
    updateEnabled();
    emit connectionTested(check.ok());
}

void RecordDialog::stopRecording() {
    if (!session_->isActive()) {
        return;
    }
    // The live view goes on showing what is drained until finished(): it
    // never reads the file the recorder finalises.
    session_->stop();
}

bool RecordDialog::isRecording() const {
    return session_->isActive();
}

QString RecordDialog::message() const {
    return message_->text();
}

QString RecordDialog::statusText() const {
    return state_->text() + QLatin1Char(' ') + counters_->text();
}

void RecordDialog::reject() {
    if (session_->isActive()) {
        stopRecording(); // Esc / close while recording: stop, keep the dialog for the result
        return;
    }
    QDialog::reject();
}

// Save As copies a finished file: during a recording the file is a sparse
// partial one (64 GiB reserved per CPU until it is compacted at the end).
void RecordDialog::updateSaveAs(bool recording) {
    if (auto* saveAs = window_->findChild<QAction*>(QStringLiteral("saveAs"))) {
        saveAs->setEnabled(!recording);
        saveAs->setToolTip(recording ? tr("Available once the recording stops (Stop, Ctrl+.)")
                                     : tr("Copy the current capture to another file"));
    }
}

void RecordDialog::updateEnabled() {
    const bool active = session_->isActive();
    form_->setEnabled(!active);
    host_->setEnabled(remote_->isChecked());
    test_->setEnabled(remote_->isChecked() && !testing_ && !active);
    updateSaveAs(active);
    modules_->setEnabled(preset_->currentData().toString() == QLatin1String("funcgraph"));
    events_->setPlaceholderText(preset_->currentData().toString() == QLatin1String("none")
                                    ? tr("events to record, e.g. irq:*, timer:*")
                                    : tr("more events, e.g. timer:hrtimer_expire_entry, net:*"));
    record_->setEnabled(!active);
    stop_->setEnabled(active && session_->state() != RecordSession::State::Stopping);
    close_->setEnabled(!active);
    if (auto* stopAction = window_->findChild<QAction*>(QStringLiteral("stopRecording"))) {
        stopAction->setEnabled(active);
    }
}

void RecordDialog::onStateChanged() {
    using State = RecordSession::State;
    switch (session_->state()) {
    case State::Idle:
        state_->setText(tr("Ready"));
        break;
    case State::Starting:
        state_->setText(tr("Starting…"));
        break;
    case State::Recording:
        state_->setText(tr("● Recording"));
        break;
    case State::Stopping:
        state_->setText(tr("Stopping (draining the buffers)…"));
        break;
    case State::Finished:
        state_->setText(tr("Finished"));
        break;
    }
    updateEnabled();
}

void RecordDialog::updateCounters() {
    const RecordCounters& c = session_->counters();
    const double rate = c.seconds > 0 ? static_cast<double>(c.events) / c.seconds : 0;
    QString text = tr("%1 s · %L2 events (%L3/s) · %L4 lost")
                       .arg(c.seconds, 0, 'f', 1)
                       .arg(c.events)
                       .arg(rate, 0, 'f', 0)
                       .arg(c.lost);
    if (c.lostMarks > c.lost) {
        text += tr(" (+ pages with an unknown loss)");
    }
    counters_->setText(text);
    counters_->setStyleSheet(c.lost > 0 || c.lostMarks > 0 ? QStringLiteral("color: #b35c00")
                                                           : QString());
}

void RecordDialog::onStarted(const QStringList& warnings) {
    const RecordRequest& r = session_->request();
    if (!r.destination.isEmpty()) {
        rememberHost(r.destination);
    }
    QString text = tr("Recording into %1").arg(r.output);
    for (const QString& w : warnings) {
        text += QStringLiteral("\n") + tr("Note: %1").arg(w);
    }
    showMessage(text, false);
    live_->start(session_->liveSink(), r.output);
    // What grows while recording is the timeline: show it.
    emit window_->session()->viewRequested(QStringLiteral("timeline"));
}

void RecordDialog::onFinished() {
    live_->stop();
    prompter_->cancelAll();
    if (!session_->started()) {
        showMessage(session_->startError(), true);
        emit recordingFinished(false, {});
        return;
    }
    const RecordResult& result = session_->result();
    const QString path = session_->savedPath();
    QStringList lines;
    if (!result.error.empty()) {
        lines << QString::fromStdString(result.error);
    }
    const std::string left = eventsLeftWarning(result);
    if (!left.empty()) {
        lines << tr("Warning: %1").arg(QString::fromStdString(left));
    }
    for (const auto& w : result.warnings) {
        lines << tr("Note: %1").arg(QString::fromStdString(w));
    }
    if (result.kernelOverrun > 0 || result.kernelDropped > 0) {
        lines << tr("The kernel reports %L1 events overwritten and %L2 dropped")
                     .arg(result.kernelOverrun)
                     .arg(result.kernelDropped);
    }
    if (!path.isEmpty()) {
        lines << tr("Saved %1 — File → Save As… (Ctrl+Shift+S) copies it elsewhere").arg(path);
    }
    // A capture without a single event is a failed recording to the user,
    // whatever the reason (its message is among the notes).
    const bool nothing = result.counters.events == 0;
    showMessage(lines.join(QLatin1Char('\n')), !result.error.empty() || nothing || !left.empty());
    if (nothing) {
        state_->setText(tr("Finished: nothing was recorded"));
    }
    updateCounters();
    if (!path.isEmpty() && QFileInfo(path).size() > 0) {
        window_->openFile(path); // what was recorded is kept, even after an error
    }
    emit recordingFinished(true, path);
}

void RecordDialog::showMessage(const QString& text, bool error) {
    message_->setText(text);
    message_->setStyleSheet(error ? QStringLiteral("color: #c62828") : QString());
}

void RecordDialog::rememberHost(const QString& host) {
    QSettings stored;
    RecordSettings s = RecordSettings::load(stored);
    s.rememberHost(host);
    s.save(stored);
    recentHosts_ = s.recentHosts;
    const QString current = host_->currentText();
    host_->clear();
    host_->addItems(recentHosts_);
    host_->setCurrentText(current);
}

} // namespace irqlens::gui
