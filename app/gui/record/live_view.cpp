#include "app/gui/record/live_view.h"

#include "app/gui/capture_session.h"
#include "app/live/live_sink.h"
#include "core/spans/live_analysis.h"

#include <QTimer>
#include <algorithm>
#include <tuple>

namespace irqlens::gui {

LiveView::LiveView(CaptureSession* session, QObject* parent)
    : QObject(parent), session_(session) {
    timer_ = new QTimer(this);
    connect(timer_, &QTimer::timeout, this, &LiveView::tick);
}

LiveView::~LiveView() = default;

void LiveView::start(live::LiveSink* sink, const QString& shownAs, int intervalMs) {
    stop();
    sink_ = sink;
    shownAs_ = shownAs;
    stats_ = {};
    analyzer_.reset();
    lastDelivery_.clear();
    lastPictureMs_ = -1;
    clock_.start();
    timer_->start(intervalMs);
}

void LiveView::stop() {
    timer_->stop();
    sink_ = nullptr;
}

bool LiveView::isRunning() const {
    return timer_->isActive();
}

void LiveView::tick() {
    ++stats_.ticks;
    if (!sink_ || !sink_->decoding()) {
        return; // the recorder has not begun (or the formats did not parse)
    }
    QElapsedTimer applying;
    applying.start();
    const live::Applied applied = sink_->decoder().apply();
    stats_.appendMs += static_cast<double>(applying.nsecsElapsed()) / 1e6;
    const auto& store = sink_->decoder().store();
    if (!analyzer_) {
        analyzer_ = std::make_unique<LiveAnalyzer>(*store);
        lastDelivery_.assign(static_cast<std::size_t>(store->cpuCount()), clock_.elapsed());
    }
    updateIdleCpus(applied.eventsPerCpu);
    QElapsedTimer walking;
    walking.start();
    analyzer_->advance();
    stats_.walkMs += static_cast<double>(walking.nsecsElapsed()) / 1e6;
    if (applied.events == 0 && session_->current() && stats_.pictures > 0) {
        return; // nothing new: no picture needed
    }
    show();
    const double ms = static_cast<double>(applying.nsecsElapsed()) / 1e6;
    stats_.applyMs.push_back(ms);
    const qint64 now = clock_.elapsed();
    if (lastPictureMs_ >= 0) {
        stats_.maxGapMs = std::max(stats_.maxGapMs, static_cast<double>(now - lastPictureMs_));
    }
    lastPictureMs_ = now;
    ++stats_.pictures;
    stats_.events = store->totalEvents();
    stats_.walked = analyzer_->walkedEvents();
    stats_.lateEvents = analyzer_->lateEvents();
    emit pictured(store->totalEvents());
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
SpanId keptSpan(const Analysis& before, SpanId id, const Analysis& now) {
    if (id == kNone || id >= before.spans.size()) {
        return kNone;
    }
    const Span& s = before.spans[id];
    auto it = std::lower_bound(now.spans.begin(), now.spans.end(), s, [](const Span& a, const Span& b) {
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

void LiveView::show() {
    const std::shared_ptr<EventStore>& store = sink_->decoder().store();
    const auto& previous = session_->current();
    const bool same = previous && previous->store.get() == store.get();
    // The range shown was measured against the previous picture's end.
    const std::int64_t previousLast = same ? previousLast_ : -1;
    const ViewToKeep v = viewToKeep(session_->visibleRange(), store->firstTs(), previousLast, same);
    auto capture = std::make_shared<LoadedCapture>();
    capture->store = store;
    QElapsedTimer step;
    step.start();
    capture->analysis = std::make_shared<const Analysis>(analyzer_->snapshot());
    stats_.snapshotMs += static_cast<double>(step.nsecsElapsed()) / 1e6;
    step.restart();
    capture->path = shownAs_;
    capture->live = true;
    const SpanId selected = same ? keptSpan(*previous->analysis, session_->selectedSpan(),
                                            *capture->analysis)
                                 : kNone;
    session_->setCurrent(capture);
    if (selected != kNone) {
        session_->selectSpan(selected);
    }
    previousLast_ = store->lastTs();
    if (v.keep) {
        const std::int64_t width = v.t1 - v.t0;
        if (v.follow) {
            const std::int64_t end = store->lastTs() + width / 50;
            session_->showRange(end - width, end);
        } else {
            session_->showRange(v.t0, v.t1);
        }
    }
    stats_.viewsMs += static_cast<double>(step.nsecsElapsed()) / 1e6;
}

} // namespace irqlens::gui
