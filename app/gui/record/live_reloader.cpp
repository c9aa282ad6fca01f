#include "app/gui/record/live_reloader.h"

#include "app/gui/capture_load_job.h"
#include "app/gui/main_window.h"
#include "app/gui/record/file_snapshot.h"
#include "app/gui/timeline/timeline_canvas.h"
#include "app/gui/timeline/timeline_view.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>

namespace irqlens::gui {

LiveReloader::LiveReloader(MainWindow* window, QObject* parent) : QObject(parent), window_(window) {
    timer_ = new QTimer(this);
    connect(timer_, &QTimer::timeout, this, &LiveReloader::tick);
}

LiveReloader::~LiveReloader() {
    stop();
}

void LiveReloader::start(const QString& path, int intervalMs) {
    stop();
    path_ = path;
    stats_ = {};
    intervalMs_ = intervalMs;
    snapshotCount_ = 0;
    shownSnapshot_.clear();
    snapshots_ = std::make_unique<QTemporaryDir>(
        QDir(QStandardPaths::writableLocation(QStandardPaths::TempLocation))
            .filePath(QStringLiteral("irqlens-live-XXXXXX")));
    // The first picture comes early (few events yet, so it loads fast).
    timer_->start(std::min(intervalMs, kFirstTickMs));
}

void LiveReloader::stop(std::function<void()> then) {
    timer_->stop();
    if (job_) {
        job_->cancel(); // its result is dropped (no longer job_)
        job_ = nullptr;
    }
    const auto copying = std::exchange(copying_, nullptr);
    if (!then) {
        return;
    }
    if (!copying || !copying->load()) {
        then();
        return;
    }
    // Only the copy reads the recorder's file: wait for it (milliseconds),
    // not for the load of the copy.
    auto* poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this, [poll, copying, then = std::move(then)] {
        if (!copying->load()) {
            poll->deleteLater();
            poll->stop();
            then();
        }
    });
    poll->start(5);
}

bool LiveReloader::isRunning() const {
    return timer_->isActive();
}

void LiveReloader::tick() {
    ++stats_.ticks;
    if (timer_->interval() != intervalMs_) {
        timer_->setInterval(intervalMs_);
    }
    if (job_) {
        ++stats_.skipped; // the previous reload still runs: never pile them up
        return;
    }
    if (QFileInfo(path_).size() == 0 || !snapshots_ || !snapshots_->isValid()) {
        return; // the writer has not written the header yet
    }
    // The job loads a private copy: see file_snapshot.h.
    const QString copy = snapshots_->filePath(QStringLiteral("live-%1.dat").arg(++snapshotCount_));
    auto* job = new CaptureLoadJob(copy, this);
    const auto copying = std::make_shared<std::atomic<bool>>(true);
    copying_ = copying;
    job->setPrepare([from = path_.toStdString(), to = copy.toStdString(), copying] {
        const std::string error = snapshotSparseFile(from, to);
        copying->store(false); // the recorder's file is no longer read
        return QString::fromStdString(error);
    });
    job_ = job;
    jobTimer_.start();
    watch(job, copy);
    job->start();
}

void LiveReloader::watch(CaptureLoadJob* job, const QString& copy) {
    // After stop() the job is no longer job_: its result is dropped.
    const auto done = [this, job] {
        const bool current = job_ == job;
        if (current) {
            job_ = nullptr;
        }
        job->deleteLater();
        return current;
    };
    connect(job, &CaptureLoadJob::loaded, this,
            [this, done, copy](const std::shared_ptr<const LoadedCapture>& capture) {
                if (!done()) {
                    QFile::remove(copy);
                    return;
                }
                const double ms = static_cast<double>(jobTimer_.nsecsElapsed()) / 1e6;
                ++stats_.reloads;
                stats_.totalReloadMs += ms;
                stats_.maxReloadMs = std::max(stats_.maxReloadMs, ms);
                show(capture, copy);
            });
    connect(job, &CaptureLoadJob::failed, this, [this, done, copy](const QString& message) {
        QFile::remove(copy);
        if (done()) {
            ++stats_.failures; // retried at the next tick
            stats_.lastError = message;
        }
    });
    connect(job, &CaptureLoadJob::cancelled, this, [done, copy] {
        QFile::remove(copy);
        done();
    });
}

namespace {
// The visible range before a reload, and whether to keep it.
struct ViewToKeep {
    bool keep = false;   // the user zoomed: do not show the whole capture again
    bool follow = false; // ... but the view touched the end: slide it along
    std::int64_t t0 = 0, t1 = 0;
};

ViewToKeep viewToKeep(const TimelineCanvas* canvas, const LoadedCapture* previous,
                      const QString& path) {
    ViewToKeep v;
    if (!canvas || !previous || previous->path != path || !previous->store) {
        return v; // the first picture of this recording: show it all
    }
    v.t0 = canvas->viewStart();
    v.t1 = canvas->viewEnd();
    const std::int64_t first = previous->store->firstTs();
    const std::int64_t last = previous->store->lastTs();
    v.keep = v.t0 > first || v.t1 < last;
    v.follow = v.t1 >= last - (v.t1 - v.t0) / 20;
    return v;
}
} // namespace

void LiveReloader::show(const std::shared_ptr<const LoadedCapture>& loaded, const QString& copy) {
    // Shown under the recording's name (titles, Save As); the data stays the copy's.
    auto capture = std::make_shared<LoadedCapture>(*loaded);
    capture->path = path_;
    auto* view = qobject_cast<TimelineView*>(window_->view(QStringLiteral("timeline")));
    TimelineCanvas* canvas = view ? view->canvas() : nullptr;
    const ViewToKeep v = viewToKeep(canvas, window_->session()->current().get(), path_);
    QElapsedTimer applying;
    applying.start();
    window_->session()->setCurrent(capture); // every view updates, on this thread
    if (!shownSnapshot_.isEmpty()) {
        QFile::remove(shownSnapshot_); // open handles keep reading it; the name goes
    }
    shownSnapshot_ = copy;
    if (canvas && v.keep) {
        const std::int64_t width = v.t1 - v.t0;
        if (v.follow) {
            const std::int64_t end = capture->store->lastTs() + width / 50;
            canvas->setViewRange(end - width, end);
        } else {
            canvas->setViewRange(v.t0, v.t1);
        }
    }
    const double ms = static_cast<double>(applying.nsecsElapsed()) / 1e6;
    stats_.totalShowMs += ms;
    stats_.maxShowMs = std::max(stats_.maxShowMs, ms);
    emit reloaded(capture->store->totalEvents());
}

} // namespace irqlens::gui
