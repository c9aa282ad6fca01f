// One recording, driven from the GUI: the recorder's start() and wait() run
// in a worker thread (connecting over ssh or creating the tracefs instance
// may take seconds), requestStop() comes from the GUI, and every state change
// and the counters (~4 per second) come back on the GUI thread as signals.
#pragma once

#include "app/gui/record/record_settings.h"
#include "core/record/recorder.h"
#include "core/record/ssh_askpass.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <thread>

namespace irqlens {
class TraceDatFileSink;
namespace live {
class LiveSink;
}
} // namespace irqlens

namespace irqlens::gui {

class RecordSession : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Starting, Recording, Stopping, Finished };

    explicit RecordSession(QObject* parent = nullptr);
    ~RecordSession() override; // stops and waits for the worker

    // Who answers ssh's and sudo's questions of the next recordings.
    void setPrompter(Prompter prompter) { prompter_ = std::move(prompter); }
    // Creates the output's partial file and the recorder and starts the
    // worker; false (with a one-line message) when the destination is
    // malformed or the output cannot be created (or exists and
    // request.replaceExisting is false).
    bool start(const RecordRequest& request, QString& error);
    // Also while starting: connecting or setting up ends early.
    void stop();

    State state() const { return state_; }
    bool isActive() const {
        return state_ == State::Starting || state_ == State::Recording || state_ == State::Stopping;
    }
    const RecordRequest& request() const { return request_; }
    const RecordCounters& counters() const { return counters_; }
    // Valid after finished(): the recorder's result (ok, error, warnings).
    const RecordResult& result() const { return result_; }
    // Why start() in the worker failed (then finished() comes with !started()).
    const QString& startError() const { return startError_; }
    bool started() const { return wasStarted_; }
    // Where the pages go while recording (the partial file next to the output).
    const QString& recordingPath() const { return recordingPath_; }
    // The sink that also decodes the pages for the live view (null before start()).
    live::LiveSink* liveSink() const { return liveSink_.get(); }
    // After finished(): where the capture is (the output, or the partial
    // file if it could not be renamed); empty when nothing was kept.
    const QString& savedPath() const { return savedPath_; }

signals:
    void stateChanged(irqlens::gui::RecordSession::State state);
    void recordingStarted(const QStringList& warnings);
    void countersChanged();
    // The recording's duration is over: call stop() (after the live view let go of the file).
    void durationReached();
    void finished();

private:
    void run(); // the worker thread
    void setState(State s);
    void onStarted(const QStringList& warnings);
    void onFinished(RecordResult result, const QString& startError);

    RecordRequest request_;
    Prompter prompter_;
    // The sink is declared before the recorder: destroyed after it, so no
    // reader thread of the recorder can ever write into a destroyed sink.
    std::unique_ptr<TraceDatFileSink> sink_;
    std::unique_ptr<live::LiveSink> liveSink_; // wraps sink_: destroyed before it
    std::unique_ptr<Recorder> recorder_;
    QString recordingPath_, savedPath_;
    std::thread worker_;
    State state_ = State::Idle;
    RecordCounters counters_;
    RecordResult result_;
    QString startError_;
    bool wasStarted_ = false;
};

} // namespace irqlens::gui
