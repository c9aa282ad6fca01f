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

namespace irqlens::gui {

namespace {
// CPU time of the calling thread: on a loaded machine the wall time of a
// step also counts the time the thread waited for a CPU.
double threadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// The room the next append and picture will write, listed here (GUI
// thread, after a picture) and mapped in on a worker (core/model/
// prefault.h): `growth` is the share of the capture one append adds, twice.
PrefaultList liveRoomAhead(const EventStore& store, const Analysis& shown,
                           const TimelineData& timeline, double growth) {
    PrefaultList ranges;
    for (int c = 0; c < store.cpuCount(); ++c) {
        store.cpu(c).prefault(ranges, growth);
    }
    prefaultLivePicture(ranges, shown, growth);
    timeline.layout.prefault(ranges, growth);
    timeline.order.prefault(ranges, growth);
    return ranges;
}
} // namespace

struct LiveView::Picture {
    LivePictureDelta delta;
    std::vector<Span> regrown;             // the shown spans in a larger vector, when full
    std::vector<std::size_t> walkedPerCpu; // the event order's cut
    std::vector<std::uint16_t> orderRows;  // the event order's new rows, merged here
    double workerMs = 0, workerCpuMs = 0;
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
    analysis_ = std::make_shared<Analysis>();
    reserveLiveSpans(analysis_->spans);
    timeline_ = std::make_shared<TimelineData>();
    pending_.reset();
    orderedPerCpu_.clear();
    lastDelivery_.clear();
    lastPictureMs_ = -1;
    lastCycleMs_ = -1;
    previousLast_ = -1;
    intervalMs_ = intervalMs;
    clock_.start();
    // A cycle starts `intervalMs` after the previous one started, or as soon
    // as its picture is shown when building it took longer: a fixed period
    // would add up to a period of waiting to a slow picture's gap.
    timer_->start(std::min(intervalMs, kPollMs));
}

void LiveView::stop() {
    timer_->stop();
    waitForWorker();
    pending_.reset();
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

std::size_t LiveView::analyzerBytes() const {
    return analyzer_ ? analyzer_->bytesUsed() : 0;
}

std::size_t LiveView::analysisBytes() const {
    if (!analysis_) {
        return 0;
    }
    return analysis_->bytesFilled();
}

// By size, as analysisBytes(): the room the live vectors reserved up front
// is address space until written.
std::size_t LiveView::timelineBytes() const {
    if (!timeline_) {
        return 0;
    }
    std::size_t spans = 0;
    for (const auto& row : timeline_->layout.rows()) {
        for (const auto& t : row.tracks) {
            spans += t.size();
        }
    }
    // A track entry: id, start, end, busy prefix; a placed span: its place.
    std::size_t bytes = spans * (sizeof(SpanId) + 3 * sizeof(std::int64_t)) +
                        analysis_->spans.size() * sizeof(SpanPlace) +
                        analysis_->taskRuns.size() + // a task run's place: 1 byte
                        timeline_->order.size();
    for (const auto& s : timeline_->eventSamples) {
        bytes += s.bytesUsed();
    }
    for (const auto& marks : timeline_->printsByCpu) {
        bytes += marks.size() * sizeof(PrintMark);
    }
    return bytes;
}

bool LiveView::isRunning() const {
    return timer_->isActive();
}

void LiveView::tick() {
    if (lastCycleMs_ >= 0 && clock_.elapsed() - lastCycleMs_ < intervalMs_) {
        return;
    }
    ++stats_.ticks;
    if (!sink_ || !sink_->decoding() || worker_ || (pending_ && !applyPending())) {
        return; // not begun yet, the previous picture is still being built or waits
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
    if (!analyzer_) {
        std::shared_ptr<const EventStore> store = sink_->decoder().store();
        analyzer_ = std::make_shared<LiveAnalyzer>(*store);
        // Each delta is applied to analysis_ before the next worker starts
        // (applyPending), and analysis_ outlives the analyzer (stop()).
        analyzer_->showsIn(*analysis_);
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
    lastCycleMs_ = clock_.elapsed();
    const std::uint64_t total = sink_->decoder().store()->totalEvents();
    growth_ = total == 0 ? 0.0 : 2.0 * static_cast<double>(applied.events) / total;
    startWorker(appendMs, appendCpuMs);
}

// The worker only reads the store and the shown analysis; this thread
// changes them again only after the picture is applied.
void LiveView::startWorker(double appendMs, double appendCpuMs) {
    auto* watcher = new QFutureWatcher<std::shared_ptr<Picture>>(this);
    worker_ = watcher;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, appendMs, appendCpuMs] {
        worker_ = nullptr;
        watcher->deleteLater();
        pending_ = watcher->result();
        pendingAppendMs_ = appendMs;
        pendingAppendCpuMs_ = appendCpuMs;
        applyPending();
    });
    watcher->setFuture(
        QtConcurrent::run([analyzer = analyzer_, shown = analysis_,
                           store = sink_->decoder().store(), ordered = orderedPerCpu_] {
            QElapsedTimer working;
            working.start();
            const double cpu0 = threadCpuMs();
            analyzer->advance();
            auto picture = std::make_shared<Picture>();
            picture->delta = analyzer->delta();
            picture->walkedPerCpu = analyzer->walkedPerCpu();
            std::vector<std::size_t> from = ordered;
            from.resize(picture->walkedPerCpu.size(), 0);
            picture->orderRows = gui::EventOrder::merge(*store, from, picture->walkedPerCpu);
            // Growing the shown spans past their capacity would copy them all on
            // the GUI thread: the copy into a larger vector is made here.
            const std::size_t needed = picture->delta.firstAdded + picture->delta.added.size();
            if (needed > shown->spans.capacity()) {
                picture->regrown.reserve(std::max<std::size_t>(needed * 2, 1024));
                picture->regrown.assign(shown->spans.begin(), shown->spans.end());
            }
            picture->workerMs = static_cast<double>(working.nsecsElapsed()) / 1e6;
            picture->workerCpuMs = threadCpuMs() - cpu0;
            return picture;
        }));
}

// Applies the pending delta to the shown analysis and timeline data, with
// the store lock held exclusively, and shows the picture.
bool LiveView::applyPending() {
    QElapsedTimer applying;
    applying.start();
    const double cpu0 = threadCpuMs();
    std::unique_lock growing(*storeLock_, std::try_to_lock);
    if (!growing.owns_lock()) {
        return false;
    }
    std::shared_ptr<Picture> picture = std::move(pending_);
    LivePictureDelta& delta = picture->delta;
    if (!picture->regrown.empty()) {
        std::swap(analysis_->spans, picture->regrown);
    }
    applyLiveDelta(*analysis_, delta);
    std::vector<SpanId> changed;
    changed.reserve(delta.changed.size());
    for (const auto& c : delta.changed) {
        changed.push_back(c.first);
    }
    extendTimelineData(*timeline_, *sink_->decoder().store(), *analysis_, changed,
                       static_cast<SpanId>(delta.firstAdded), delta.taskFrom, picture->walkedPerCpu,
                       &picture->orderRows);
    orderedPerCpu_ = picture->walkedPerCpu;
    growing.unlock();
    const double deltaMs = static_cast<double>(applying.nsecsElapsed()) / 1e6;
    stats_.deltaMs += deltaMs;
    stats_.deltaMsMax = std::max(stats_.deltaMsMax, deltaMs);
    show(picture);
    stats_.applyMs.push_back(pendingAppendMs_ + static_cast<double>(applying.nsecsElapsed()) / 1e6);
    stats_.applyCpuMs.push_back(pendingAppendCpuMs_ + threadCpuMs() - cpu0);
    // The old spans vector and episode tables are let go on a worker, which
    // then maps in the room the next append and picture write.
    static_cast<void>(
        QtConcurrent::run([picture, ahead = liveRoomAhead(*sink_->decoder().store(), *analysis_,
                                                          *timeline_, growth_)]() mutable {
            picture.reset();
            prefault(ahead);
        }));
    return true;
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

} // namespace

void LiveView::show(const std::shared_ptr<Picture>& picture) {
    auto capture = std::make_shared<LoadedCapture>();
    capture->store = sink_->decoder().store();
    capture->analysis = analysis_;
    capture->path = shownAs_;
    capture->live = true;
    capture->storeLock = storeLock_;
    rememberTimelineData(*capture, timeline_);
    const EventStore& store = *capture->store;
    const auto& previous = session_->current();
    const bool same = previous && previous->store.get() == &store;
    const ViewToKeep v =
        viewToKeep(session_->visibleRange(), store.firstTs(), same ? previousLast_ : -1, same);
    // Span ids do not change from picture to picture (build order).
    const SpanId selected = same ? session_->selectedSpan() : kNone;
    QElapsedTimer step;
    step.start();
    session_->setCurrent(capture);
    if (selected != kNone) {
        session_->selectSpan(selected);
    }
    previousLast_ = store.lastTs();
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
    stats_.workerCpuMs.push_back(picture->workerCpuMs);
    const qint64 now = clock_.elapsed();
    // Gaps count from the first picture that showed events: the picture made
    // when decoding begins is empty, and a remote target's first pages come
    // 0.5-0.7 s after it (nothing to show, not a slow picture).
    if (lastPictureMs_ >= 0 && stats_.events > 0) {
        stats_.maxGapMs = std::max(stats_.maxGapMs, static_cast<double>(now - lastPictureMs_));
        stats_.gapsMs.push_back(static_cast<double>(now - lastPictureMs_));
        stats_.gapPictures.push_back(stats_.pictures);
    }
    lastPictureMs_ = now;
    ++stats_.pictures;
    stats_.events = store.totalEvents();
    stats_.walked = analyzer_->walkedEvents();
    stats_.lateEvents = analyzer_->lateEvents();
    emit pictured(store.totalEvents());
}

} // namespace irqlens::gui
