#include "app/gui/capture_load_job.h"

#include "app/gui/timeline/timeline_data.h"
#include "parsers/capture_loader.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QPointer>
#include <QtConcurrent>

namespace irqlens::gui {

namespace {
// The outcome of the worker, handed to the GUI thread.
struct Outcome {
    std::shared_ptr<const LoadedCapture> capture;
    QString error;
    bool cancelled = false;
};

Outcome loadAndAnalyze(const QString& path, const std::shared_ptr<std::atomic<bool>>& cancel,
                       const std::function<void(double, quint64, const QString&)>& report) {
    Outcome out;
    QElapsedTimer timer;
    timer.start();
    LoadOptions options;
    options.cancel = cancel.get();
    options.progress = [&](const LoadProgress& p) {
        report(p.fraction * 0.8, p.events, QObject::tr("Reading"));
    };
    LoadResult result = loadCapture(path.toStdString(), options);
    if (result.status == LoadResult::Status::Cancelled || cancel->load()) {
        out.cancelled = true;
        return out;
    }
    if (!result.ok()) {
        out.error = QString::fromStdString(result.error);
        if (!out.error.contains(QFileInfo(path).fileName())) {
            out.error = path + QStringLiteral(": ") + out.error;
        }
        return out;
    }
    const std::uint64_t events = result.store->totalEvents();
    report(0.82, events, QObject::tr("Pairing spans"));
    auto capture = std::make_shared<LoadedCapture>();
    capture->path = path;
    capture->store = std::shared_ptr<const EventStore>(std::move(result.store));
    capture->analysis = std::make_shared<const Analysis>(analyze(*capture->store));
    if (cancel->load()) {
        out.cancelled = true;
        return out;
    }
    report(0.93, events, QObject::tr("Indexing"));
    timelineDataFor(*capture); // built here so the GUI thread never waits for it
    capture->loadSeconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    out.capture = std::move(capture);
    return out;
}
} // namespace

CaptureLoadJob::CaptureLoadJob(QString path, QObject* parent)
    : QObject(parent), path_(std::move(path)) {}

CaptureLoadJob::~CaptureLoadJob() {
    cancel_->store(true);
}

void CaptureLoadJob::start() {
    QPointer<CaptureLoadJob> self(this);
    const auto report = [self](double f, quint64 events, const QString& stage) {
        QMetaObject::invokeMethod(qApp, [self, f, events, stage] {
            if (self && !self->finished_) {
                emit self->progress(f, events, stage);
            }
        });
    };
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        const Outcome out = watcher->result();
        watcher->deleteLater();
        finished_ = true;
        if (out.cancelled) {
            emit cancelled();
        } else if (!out.error.isEmpty()) {
            emit failed(out.error);
        } else {
            emit loaded(out.capture);
        }
    });
    const QString path = path_;
    const auto cancel = cancel_;
    watcher->setFuture(QtConcurrent::run([path, cancel, report, prepare = prepare_] {
        if (prepare) {
            if (QString error = prepare(); !error.isEmpty()) {
                return Outcome{nullptr, error, false};
            }
        }
        return loadAndAnalyze(path, cancel, report);
    }));
}

void CaptureLoadJob::cancel() {
    cancel_->store(true);
}

void CaptureLoadJob::waitForFinished() {
    while (!finished_) {
        QEventLoop loop;
        connect(this, &CaptureLoadJob::loaded, &loop, &QEventLoop::quit);
        connect(this, &CaptureLoadJob::failed, &loop, &QEventLoop::quit);
        connect(this, &CaptureLoadJob::cancelled, &loop, &QEventLoop::quit);
        if (!finished_) {
            loop.exec();
        }
    }
}

} // namespace irqlens::gui
