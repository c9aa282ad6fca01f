#include "app/gui/record/record_session.h"

#include "app/live/live_sink.h"
#include "core/record/remote_recorder.h"
#include "core/record/tracedat_file_sink.h"

#include <QMetaObject>
#include <QTimer>
#include <algorithm>

namespace irqlens::gui {

RecordSession::RecordSession(QObject* parent) : QObject(parent) {}

RecordSession::~RecordSession() {
    if (recorder_) {
        recorder_->requestStop();
    }
    if (worker_.joinable()) {
        worker_.join(); // wait() finalises the file and removes the instance
    }
}

bool RecordSession::start(const RecordRequest& request, QString& error) {
    if (isActive()) {
        error = tr("A recording is already running");
        return false;
    }
    if (worker_.joinable()) {
        worker_.join();
    }
    recorder_.reset(); // the previous recording's, before its sinks
    liveSink_.reset();
    sink_.reset();
    request_ = request;
    counters_ = {};
    result_ = {};
    startError_.clear();
    wasStarted_ = false;
    recordingPath_.clear();
    savedPath_.clear();
    auto sink = std::make_unique<TraceDatFileSink>(
        request.output.toStdString(), request.replaceExisting ? TraceDatFileSink::Existing::Replace
                                                              : TraceDatFileSink::Existing::Refuse);
    std::string why;
    if (!sink->open(why)) {
        error = QString::fromStdString(why);
        return false;
    }
    // The GUI ends a recording with a duration itself (durationReached()),
    // so that no live reload reads the file while the recorder finalises it.
    RecordOptions options = request.options;
    options.durationSeconds = 0;
    if (request.destination.isEmpty()) {
        recorder_ = makeLocalRecorder(options);
    } else {
        recorder_ = makeRemoteRecorder(options, request.destination.toStdString(), why, prompter_);
        if (!recorder_) {
            error = QString::fromStdString(why);
            return false;
        }
    }
    sink_ = std::move(sink);
    liveSink_ = std::make_unique<live::LiveSink>(*sink_);
    recordingPath_ = QString::fromStdString(sink_->partialPath());
    setState(State::Starting);
    worker_ = std::thread([this] { run(); });
    return true;
}

void RecordSession::stop() {
    if (recorder_ && isActive()) {
        recorder_->requestStop(); // while starting too: start() gives up soon
        if (state_ == State::Recording) {
            setState(State::Stopping);
        }
    }
}

// Worker thread: everything it hands over goes through queued calls, so the
// GUI's members are touched only on the GUI thread.  The destructor joins
// the thread before the object goes away, and Qt drops calls still queued.
void RecordSession::run() {
    std::string error;
    bool started = false;
    RecordResult result;
    // Whatever a broken target sends, the worker reports it, never std::terminate().
    try {
        started = recorder_->start(*liveSink_, error);
        if (started) {
            QStringList warnings;
            for (const auto& w : recorder_->warnings()) {
                warnings << QString::fromStdString(w);
            }
            QMetaObject::invokeMethod(
                this, [this, warnings] { onStarted(warnings); }, Qt::QueuedConnection);
            result = recorder_->wait([this](const RecordCounters& c) {
                QMetaObject::invokeMethod(
                    this,
                    [this, c] {
                        counters_ = c;
                        emit countersChanged();
                    },
                    Qt::QueuedConnection);
            });
        }
    } catch (const std::exception& e) {
        error = std::string("recording failed: ") + e.what();
        result.error = error;
    }
    // start() failed: it already removed what it set up on the target.
    const QString startError = started ? QString() : QString::fromStdString(error);
    const QString saved = started ? QString::fromStdString(sink_->writtenPath()) : QString();
    QMetaObject::invokeMethod(
        this,
        [this, result = std::move(result), startError, saved] {
            savedPath_ = saved;
            onFinished(result, startError);
        },
        Qt::QueuedConnection);
}

void RecordSession::onStarted(const QStringList& warnings) {
    wasStarted_ = true;
    if (state_ == State::Starting) {
        setState(recorder_->stopRequested() ? State::Stopping : State::Recording);
    }
    // Counted from when tracing was switched on (this call may come late
    // when the GUI thread was busy).
    const double left = request_.options.durationSeconds - recorder_->counters().seconds;
    emit recordingStarted(warnings);
    if (request_.options.durationSeconds > 0) {
        QTimer::singleShot(std::max(0, static_cast<int>(left * 1000)), this, [this] {
            if (state_ == State::Recording) {
                emit durationReached();
            }
        });
    }
}

void RecordSession::onFinished(RecordResult result, const QString& startError) {
    if (worker_.joinable()) {
        worker_.join(); // the worker's last act was queueing this call
    }
    result_ = std::move(result);
    if (wasStarted_) {
        counters_ = result_.counters;
    }
    startError_ = startError;
    setState(State::Finished);
    emit finished();
}

void RecordSession::setState(State s) {
    state_ = s;
    emit stateChanged(s);
}

} // namespace irqlens::gui
