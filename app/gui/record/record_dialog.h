// File > Record…: what to record (this machine or a remote host, event
// preset, duration, buffer, CPUs, output file), a status area while it runs
// (elapsed time, events, lost events, the recorder's messages) and Stop.
// Not modal: the main window's timeline grows live behind it, and when the
// recording ends the file becomes the current capture of every view.
#pragma once

#include "app/gui/record/record_settings.h"
#include "core/record/remote_check.h"

#include <QDialog>
#include <atomic>
#include <functional>
#include <thread>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace irqlens::gui {

class LiveView;
class MainWindow;
class RecordSession;
class SshPrompter;

class RecordDialog : public QDialog {
    Q_OBJECT
public:
    explicit RecordDialog(MainWindow* window);
    ~RecordDialog() override;

    RecordSettings settingsFromForm() const;
    void applySettings(const RecordSettings& settings);

    // Checks the form, remembers it, asks before an existing output file
    // would be replaced, starts recording; false (and the reason in
    // message()) when the form is wrong or the user said no.
    bool startRecording();
    void stopRecording();
    bool isRecording() const;
    // "Test connection": checks the remote host in the background (login,
    // root/sudo, tracefs, kernel, architecture, board, module); the rows
    // show in message(), connectionTested() follows.
    void testConnection();
    bool isTesting() const { return testing_; }
    SshPrompter* prompter() const { return prompter_; }

    // Tests: decides instead of the "replace the existing file?" question
    // (path, whether it is the capture open in the window).
    using ReplaceQuestion = std::function<bool(const QString& path, bool openInWindow)>;
    static void setReplaceQuestionForTests(ReplaceQuestion question);

    QString message() const;    // the last error / warnings shown
    QString statusText() const; // elapsed, events, lost
    RecordSession* session() const { return session_; }
    LiveView* liveView() const { return live_; }

signals:
    // The recording ended (or could not start); `path` is being loaded when ok.
    void recordingFinished(bool started, const QString& path);
    void connectionTested(bool ok);

public slots:
    void reject() override; // Esc and the close button stop a recording first

private:
    QWidget* buildForm();
    void addTargetRows(QFormLayout* form);
    void addEventRows(QFormLayout* form);
    void addLimitRows(QFormLayout* form);
    QWidget* buildStatus();
    void browseOutput();
    void updateEnabled();
    void updateCounters();
    void onStateChanged();
    void onStarted(const QStringList& warnings);
    void onFinished();
    void showMessage(const QString& text, bool error);
    void rememberHost(const QString& host);
    bool confirmReplace(const QString& path);
    void onTested(const TargetCheck& check);
    void updateSaveAs(bool recording);

    MainWindow* window_;
    RecordSession* session_ = nullptr;
    LiveView* live_ = nullptr;
    SshPrompter* prompter_ = nullptr;
    QStringList recentHosts_;
    std::thread testThread_;
    std::atomic<bool> testCancel_{false};
    bool testing_ = false;

    QRadioButton* local_ = nullptr;
    QRadioButton* remote_ = nullptr;
    QComboBox* host_ = nullptr;
    QPushButton* test_ = nullptr;
    QComboBox* preset_ = nullptr;
    QLineEdit* events_ = nullptr;
    QLineEdit* modules_ = nullptr;
    QDoubleSpinBox* duration_ = nullptr;
    QSpinBox* bufferKb_ = nullptr;
    QLineEdit* cpus_ = nullptr;
    QLineEdit* output_ = nullptr;
    QPushButton* browse_ = nullptr;
    QWidget* form_ = nullptr;

    QLabel* state_ = nullptr;
    QLabel* counters_ = nullptr;
    QLabel* message_ = nullptr;
    QPushButton* record_ = nullptr;
    QPushButton* stop_ = nullptr;
    QPushButton* close_ = nullptr;
};

} // namespace irqlens::gui
