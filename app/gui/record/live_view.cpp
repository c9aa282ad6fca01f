#include "app/gui/record/live_view.h"

#include "app/gui/capture_session.h"
#include "app/gui/timeline/timeline_data.h"
#include "app/live/live_sink.h"
#include "core/spans/live_analysis.h"

#include <QFutureWatcher>
#include <QTimer>
#include <QtConcurrent>
#include <algorithm>
#include <ctime>
#include <tuple>

namespace irqlens::gui {

namespace {
// CPU time of the calling thread: on a loaded machine the wall time of a
// step also counts the time the thread waited for a CPU.
double threadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}
} // namespace

struct LiveView::Picture {
    std::shared_ptr<LoadedCapture> capture;
    std::shared_ptr<const TimelineData> timeline;
    double workerMs = 0;
};

LiveView::LiveView(CaptureSession* session, QObject* parent) : QObject(parent), session_(session) {
    timer_ = new QTimer(this);
    connect(timer_, &QTimer::timeout, this, &LiveView::tick);
}

LiveView::~LiveView() {
    waitForWorker();
}

void LiveView::start(live::LiveSink* sink, const QString& shownAs, int intervalMs) {
    stop();
    sink_ = sink;
    shownAs_ = shownAs;
    stats_ = {};
    analyzer_.reset();
    lastDelivery_.clear();
    lastPictureMs_ = -1;
    previousLast_ = -1;
    clock_.start();
    timer_->start(intervalMs);
}

void LiveView::stop() {
    timer_->stop();
    waitForWorker();
    sink_ = nullptr;
}

void LiveView::waitForWorker() {
    if (worker_) {
        worker_->disconnect(this); // its picture is dropped
        worker_->waitForFinished();
        worker_->deleteLater();
        worker_ = nullptr;
    }
}

bool LiveView::isRunning() const {
    return timer_->isActive();
}

void LiveView::tick() {
    ++stats_.ticks;
    if (!sink_ || !sink_->decoding() || worker_) {
        return; // not begun yet, or the previous picture is still being built
    }
    QElapsedTimer applying;
    applying.start();
    const double cpu0 = threadCpuMs();
    // A view's worker still reads the store (an event filter): append later.
    std::unique_lock growing(*storeLock_, std::try_to_lock);
    if (!growing.owns_lock()) {
        return;
    }
    const live::Applied applied = sink_->decoder().apply();
    growing.unlock();
    std::shared_ptr<const EventStore> store = sink_->decoder().store();
    if (!analyzer_) {
        analyzer_ = std::make_shared<LiveAnalyzer>(*store);
        lastDelivery_.assign(static_cast<std::size_t>(store->cpuCount()), clock_.elapsed());
    }
    updateIdleCpus(applied.eventsPerCpu);
    const double appendMs = static_cast<double>(applying.nsecsElapsed()) / 1e6;
    const double appendCpuMs = threadCpuMs() - cpu0;
    stats_.appendMs += appendMs;
    stats_.appendMsMax = std::max(stats_.appendMsMax, appendMs);
    if (applied.events == 0 && stats_.pictures > 0) {
        return; // nothing new
    }
    // The worker only reads the store; this thread appends again only
    // after the picture is shown.
    auto* watcher = new QFutureWatcher<std::shared_ptr<Picture>>(this);
    worker_ = watcher;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, appendMs, appendCpuMs] {
        worker_ = nullptr;
        watcher->deleteLater();
        QElapsedTimer showing;
        showing.start();
        const double cpu1 = threadCpuMs();
        show(watcher->result());
        stats_.applyMs.push_back(appendMs + static_cast<double>(showing.nsecsElapsed()) / 1e6);
        stats_.applyCpuMs.push_back(appendCpuMs + threadCpuMs() - cpu1);
    });
    watcher->setFuture(
        QtConcurrent::run([analyzer = analyzer_, store, path = shownAs_, storeLock = storeLock_] {
            QElapsedTimer working;
            working.start();
            analyzer->advance();
            auto picture = std::make_shared<Picture>();
            picture->capture = std::make_shared<LoadedCapture>();
            picture->capture->store = store;
            picture->capture->analysis = std::make_shared<const Analysis>(analyzer->snapshot());
            picture->capture->path = path;
            picture->capture->live = true;
            picture->capture->storeLock = storeLock;
            // Built here, so the GUI thread only takes it.
            picture->timeline = timelineDataFor(*picture->capture);
            picture->workerMs = static_cast<double>(working.nsecsElapsed()) / 1e6;
            return picture;
        }));
}

// A CPU whose pages stopped coming may hold a partial page for a long time
// (the recorder reads whole pages): after kIdleCpuMs it no longer holds the
// watermark back.
void LiveView::updateIdleCpus(const std::vector<std::uint64_t>& newEvents) {
    const qint64 now = clock_.elapsed();
    for (std::size_t c = 0; c < lastDelivery_.size(); ++c) {
        if (c < newEvents.size() && newEvents[c] > 0) {
            lastDelivery_[c] = now;
        }
        analyzer_->setCpuIdle(static_cast<int>(c), now - lastDelivery_[c] > kIdleCpuMs);
    }
}

namespace {
// The visible range before a picture, and whether to keep it.
struct ViewToKeep {
    bool keep = false;   // the user zoomed: do not show the whole capture again
    bool follow = false; // ... but the view touched the end: slide it along
    std::int64_t t0 = 0, t1 = 0;
};

ViewToKeep viewToKeep(TimeRange shown, std::int64_t first, std::int64_t last, bool sameCapture) {
    ViewToKeep v;
    if (shown.isEmpty() || !sameCapture) {
        return v; // the first picture of this recording: show it all
    }
    v.t0 = shown.start;
    v.t1 = shown.end;
    v.keep = v.t0 > first || v.t1 < last;
    v.follow = v.t1 >= last - (v.t1 - v.t0) / 20;
    return v;
}

// The id in `now` of span `id` of `before` (ids move as spans are added:
// spans are sorted by cpu, kind, start; the begin event tells them apart).
SpanId keptTaskRun(const Analysis& before, SpanId id, const Analysis& now) {
    std::uint16_t cpu = 0;
    std::size_t i = 0;
    if (!before.taskRuns.locate(id, cpu, i) || cpu >= now.taskRuns.cpus.size()) {
        return kNone;
    }
    const CpuTaskRuns& was = before.taskRuns.cpus[cpu];
    const CpuTaskRuns& is = now.taskRuns.cpus[cpu];
    auto k = static_cast<std::size_t>(
        std::lower_bound(is.starts().begin(), is.starts().end(), was.start(i)) -
        is.starts().begin());
    for (; k < is.size() && is.start(k) == was.start(i); ++k) {
        if (is.switchEvent(k) == was.switchEvent(i) && is.pid(k) == was.pid(i)) {
            return now.taskRuns.id(cpu, k);
        }
    }
    return kNone;
}

SpanId keptSpan(const Analysis& before, SpanId id, const Analysis& now) {
    if (isTaskRunId(id)) {
        return keptTaskRun(before, id, now);
    }
    if (id == kNone || id >= before.spans.size()) {
        return kNone;
    }
    const Span& s = before.spans[id];
    auto it =
        std::lower_bound(now.spans.begin(), now.spans.end(), s, [](const Span& a, const Span& b) {
            return std::tie(a.cpu, a.kind, a.start) < std::tie(b.cpu, b.kind, b.start);
        });
    for (; it != now.spans.end() && it->cpu == s.cpu && it->kind == s.kind && it->start == s.start;
         ++it) {
        if (it->begin == s.begin && it->key == s.key) {
            return static_cast<SpanId>(it - now.spans.begin());
        }
    }
    return kNone;
}
} // namespace

void LiveView::show(const std::shared_ptr<Picture>& picture) {
    const auto& capture = picture->capture;
    const EventStore& store = *capture->store;
    const auto& previous = session_->current();
    const bool same = previous && previous->store.get() == &store;
    const ViewToKeep v =
        viewToKeep(session_->visibleRange(), store.firstTs(), same ? previousLast_ : -1, same);
    const SpanId selected =
        same ? keptSpan(*previous->analysis, session_->selectedSpan(), *capture->analysis) : kNone;
    QElapsedTimer step;
    step.start();
    // The previous picture (its spans, layout, event order: millions of
    // objects) is let go on a worker, not in the views' hands on this thread.
    auto old = std::make_shared<Picture>();
    old->capture = std::const_pointer_cast<LoadedCapture>(previous);
    old->timeline = std::exchange(shownTimeline_, picture->timeline);
    session_->setCurrent(capture);
    if (selected != kNone) {
        session_->selectSpan(selected);
    }
    previousLast_ = store.lastTs();
    static_cast<void>(QtConcurrent::run([old = std::move(old)]() mutable { old.reset(); }));
    if (v.keep) {
        const std::int64_t width = v.t1 - v.t0;
        if (v.follow) {
            const std::int64_t end = store.lastTs() + width / 50;
            session_->showRange(end - width, end);
        } else {
            session_->showRange(v.t0, v.t1);
        }
    }
    const double viewsMs = static_cast<double>(step.nsecsElapsed()) / 1e6;
    stats_.viewsMs += viewsMs;
    stats_.viewsMsMax = std::max(stats_.viewsMsMax, viewsMs);
    stats_.workerMs.push_back(picture->workerMs);
    const qint64 now = clock_.elapsed();
    if (lastPictureMs_ >= 0) {
        stats_.maxGapMs = std::max(stats_.maxGapMs, static_cast<double>(now - lastPictureMs_));
    }
    lastPictureMs_ = now;
    ++stats_.pictures;
    stats_.events = store.totalEvents();
    stats_.walked = analyzer_->walkedEvents();
    stats_.lateEvents = analyzer_->lateEvents();
    emit pictured(store.totalEvents());
}

} // namespace irqlens::gui
