// Makes the main window's capture grow while a recording is written: every
// tick it reloads the partial trace.dat off the GUI thread (a CaptureLoadJob
// on a private copy of the file, see file_snapshot.h) and shows it.  Ticks
// never overlap: one that comes while a reload still runs is skipped.  The timeline follows the end
// of the recording unless the user zoomed into an earlier part.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>

class QTemporaryDir;
class QTimer;

namespace irqlens::gui {

class CaptureLoadJob;
class MainWindow;
struct LoadedCapture;

struct LiveReloadStats {
    int ticks = 0;    // timer ticks while running
    int reloads = 0;  // partial files shown
    int skipped = 0;  // ticks skipped because a reload was still running
    int failures = 0; // partial files that could not be read (retried next tick)
    double totalReloadMs = 0;
    double maxReloadMs = 0;
    double totalShowMs = 0; // on the GUI thread: the views taking the new capture
    double maxShowMs = 0;
    QString lastError;
};

class LiveReloader : public QObject {
    Q_OBJECT
public:
    explicit LiveReloader(MainWindow* window, QObject* parent = nullptr);
    ~LiveReloader() override;

    static constexpr int kDefaultIntervalMs = 400;
    static constexpr int kFirstTickMs = 150;
    // Reloads `path`; the captures shown carry the name `shownAs` (the
    // recording's output) when given.
    void start(const QString& path, int intervalMs = kDefaultIntervalMs,
               const QString& shownAs = {});
    // Stops the timer and cancels a reload in flight; `then` runs once no
    // thread reads the recorder's file any more (at once when none did).
    void stop(std::function<void()> then = {});
    bool isRunning() const;
    const LiveReloadStats& stats() const { return stats_; }

signals:
    // After a partial capture was shown (its events total).
    void reloaded(quint64 events);

private:
    void tick();
    void watch(CaptureLoadJob* job, const QString& copy);
    void show(const std::shared_ptr<const LoadedCapture>& loaded, const QString& copy);

    MainWindow* window_;
    QTimer* timer_ = nullptr;
    QPointer<CaptureLoadJob> job_;
    QElapsedTimer jobTimer_;
    QString path_, shownAs_;
    int intervalMs_ = kDefaultIntervalMs;
    std::unique_ptr<QTemporaryDir> snapshots_; // private copies of the growing file
    int snapshotCount_ = 0;
    QString shownSnapshot_;
    std::shared_ptr<std::atomic<bool>> copying_; // the current job still copies the file
    LiveReloadStats stats_;
};

} // namespace irqlens::gui
