// Loads a capture off the GUI thread: loadCapture() with progress and cancel,
// then analyze(), then the timeline's layout and event order.  Reports back
// on the GUI thread through signals.
#pragma once

#include "app/gui/capture_session.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>

namespace irqlens::gui {

class CaptureLoadJob : public QObject {
    Q_OBJECT
public:
    explicit CaptureLoadJob(QString path, QObject* parent = nullptr);
    ~CaptureLoadJob() override;

    const QString& path() const { return path_; }
    // Runs on the worker thread before loading (e.g. a copy of a file being
    // recorded); a non-empty return is the error.  Set before start().
    void setPrepare(std::function<QString()> prepare) { prepare_ = std::move(prepare); }
    void start();
    void cancel();
    // Blocks (running the event loop) until the job finished; for --screenshot and tests.
    void waitForFinished();
    bool isFinished() const { return finished_; }

signals:
    void progress(double fraction, quint64 events, const QString& stage);
    void loaded(std::shared_ptr<const irqlens::gui::LoadedCapture> capture);
    void failed(const QString& message);
    void cancelled();

private:
    void finish();

    QString path_;
    std::function<QString()> prepare_;
    std::shared_ptr<std::atomic<bool>> cancel_ = std::make_shared<std::atomic<bool>>(false);
    bool finished_ = false;
};

} // namespace irqlens::gui
