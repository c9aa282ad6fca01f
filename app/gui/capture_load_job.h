// Loads a capture off the GUI thread: loadCapture() with progress and cancel,
// then analyze(), then the timeline's layout and event order.  Reports back
// on the GUI thread through signals.
#pragma once

#include "app/gui/capture_session.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <memory>

namespace irqlens::gui {

class CaptureLoadJob : public QObject {
    Q_OBJECT
public:
    explicit CaptureLoadJob(QString path, QObject* parent = nullptr);
    ~CaptureLoadJob() override;

    const QString& path() const { return path_; }
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
    std::shared_ptr<std::atomic<bool>> cancel_ = std::make_shared<std::atomic<bool>>(false);
    bool finished_ = false;
};

} // namespace irqlens::gui
