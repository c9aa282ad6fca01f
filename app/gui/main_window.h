// The main window: one tab per registered view (sorted by order), File menu
// with open / compare / recent files, drag and drop, loading with progress
// and Cancel in the status bar, and settings remembered with QSettings.
#pragma once

#include "app/gui/capture_session.h"

#include <QMainWindow>
#include <QPointer>

class QLabel;
class QMenu;
class QProgressBar;
class QTabWidget;
class QToolButton;

namespace irqlens::gui {

class CaptureLoadJob;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    CaptureSession* session() const { return session_; }
    QTabWidget* tabs() const { return tabs_; }
    QWidget* view(const QString& id) const;
    bool showView(const QString& id);

    // Starts loading in the background; the previous capture stays until it succeeds.
    void openFile(const QString& path);
    void openComparison(const QString& path);
    bool isLoading() const { return !job_.isNull(); }
    // Runs the event loop until the current load finished.
    void waitForLoad();
    // Errors are shown in a dialog unless quiet (for --screenshot); always kept here.
    void setQuietErrors(bool quiet) { quietErrors_ = quiet; }
    const QString& lastError() const { return lastError_; }

signals:
    void loadFinished(bool ok, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void buildStatusBar();
    void buildTabs();
    void startJob(const QString& path, bool comparison);
    void onLoaded(const std::shared_ptr<const LoadedCapture>& capture, bool comparison);
    void showError(const QString& message);
    void addRecent(const QString& path);
    void rebuildRecentMenu();
    void updateStatus();
    void updateTitle();
    QString askForFile(const QString& title);

    CaptureSession* session_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QLabel* statusLabel_ = nullptr;
    QLabel* loadLabel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QToolButton* cancelButton_ = nullptr;
    QPointer<CaptureLoadJob> job_;
    bool quietErrors_ = false;
    QString lastError_;
};

} // namespace irqlens::gui
