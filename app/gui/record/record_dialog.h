// File > Record…: what to record (this machine or a remote host, event
// preset, duration, buffer, CPUs, output file), a status area while it runs
// (elapsed time, events, lost events, the recorder's messages) and Stop.
// Not modal: the main window's timeline grows live behind it, and when the
// recording ends the file becomes the current capture of every view.
#pragma once

#include "app/gui/record/record_settings.h"

#include <QDialog>

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

class LiveReloader;
class MainWindow;
class RecordSession;

class RecordDialog : public QDialog {
    Q_OBJECT
public:
    explicit RecordDialog(MainWindow* window);
    ~RecordDialog() override;

    RecordSettings settingsFromForm() const;
    void applySettings(const RecordSettings& settings);

    // Checks the form, remembers it, starts recording; false (and the
    // reason in message()) when the form is wrong.
    bool startRecording();
    void stopRecording();
    bool isRecording() const;

    QString message() const;    // the last error / warnings shown
    QString statusText() const; // elapsed, events, lost
    RecordSession* session() const { return session_; }
    LiveReloader* liveReloader() const { return live_; }

signals:
    // The recording ended (or could not start); `path` is being loaded when ok.
    void recordingFinished(bool started, const QString& path);

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

    MainWindow* window_;
    RecordSession* session_ = nullptr;
    LiveReloader* live_ = nullptr;
    QStringList recentHosts_;

    QRadioButton* local_ = nullptr;
    QRadioButton* remote_ = nullptr;
    QComboBox* host_ = nullptr;
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
