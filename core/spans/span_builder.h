// The one-pass span builder behind analyze(): walks every event in time
// order, pairs begin/end events into spans (SPEC "Spans and how they pair")
// and reports triggers to the causality rules.  Internal.
#pragma once

#include "core/spans/build_state.h"
#include "core/spans/causality.h"
#include "core/spans/custom_spans.h"
#include "core/spans/live_delta.h"
#include "core/spans/span_rows.h"
#include "core/spans/task_run_scanner.h"

#include <optional>
#include <unordered_map>
#include <vector>

namespace irqlens::detail {

class SpanBuilder {
public:
    SpanBuilder(const EventStore& store, const AnalysisOptions& options,
                std::span<const LatencyRule> rules);
    Analysis build();

    // ---- live use (LiveAnalyzer, span_builder_live.cpp) ----
    // The walk resumes where it stopped: startLive() once, then refreshLive()
    // (what grows in the store: pools, task names, drop marks) and
    // advanceLive() for each batch of new events, snapshotLive() for a
    // picture.  Fed all events, snapshotLive(store.lastTs()) equals build().
    void startLive();
    void refreshLive();
    // Walks, in time order, every event before `limits[cpu]` not walked yet.
    std::size_t advanceLive(const std::vector<std::size_t>& limits);
    // The spans so far; the ones still open end at `edge`, flagged OpenEnd.
    Analysis snapshotLive(std::int64_t edge) const;
    // A picture without copying the builder: the spans created or changed
    // since the last call (open ones ending at `edge`) and the episode
    // tables of every span so far, in build order (span ids stay the same
    // from picture to picture).  See LiveAnalyzer::delta().
    void liveDelta(std::int64_t edge, LivePictureDelta& out);
    // The deltas go to a picture whose spans are `shown` (the same vector
    // object for the whole recording, written only between a delta and the
    // next call here): the walk reads the rows it showed from there instead
    // of keeping them (span_rows.h).
    void showLiveIn(const std::vector<Span>* shown) { spans_.showIn(shown); }
    // Drops the rows the picture holds now (call before walking on).
    void trimShown() { spans_.trim(liveShown_, liveOpen_); }
    const std::vector<std::size_t>& livePositions() const { return livePos_; }
    // What the walk keeps (its spans, preemptions, queue contexts, open work).
    std::size_t liveBytes() const;
    std::int64_t liveLastTs() const { return liveLastTs_; }

private:
    Analysis finishBuild();
    struct PendingWork {
        std::int64_t queueTs = -1;
        std::int64_t activateTs = -1;
        std::int32_t pid = 0;
        std::uint16_t cpu = 0;
        SpanId context = kNone;
        std::vector<TriggerEpisode> episodes;
    };
    struct PendingWake {
        std::int64_t firstTs = -1;
        std::vector<TriggerEpisode> episodes;
    };
    struct RawQueueContext {
        SpanId span;
        PendingWork work;
    };

    // span_builder.cpp: bookkeeping, hard IRQs, softirqs, tasklets, functions
    void prepare();
    void prepareTypes();
    void refreshKeys();
    void walk();
    void onEvent(EventRef ref, std::int64_t ts);
    SpanId open(SpanKind kind, const Ev& e, std::uint32_t key);
    void close(SpanId id, const Ev& e);
    void closeUnmatched(SpanId id, std::int64_t ts);
    SpanId openStart(SpanKind kind, const Ev& e, std::uint32_t key);
    void hardEntry(const Ev& e, HardClass cls, std::int32_t match, std::uint32_t key,
                   std::int32_t irq);
    SpanId hardExit(const Ev& e, HardClass cls, std::int32_t match, std::uint32_t key);
    void irqHandlerEntry(const Ev& e);
    void irqHandlerExit(const Ev& e);
    void vectorEvent(const Ev& e, bool entry);
    void ipiEvent(const Ev& e, bool entry);
    void softirqRaise(const Ev& e);
    void softirqEntry(const Ev& e);
    void softirqExit(const Ev& e);
    void taskletEntry(const Ev& e);
    void taskletExit(const Ev& e);
    void funcEntry(const Ev& e);
    void funcExit(const Ev& e);

    // span_builder_sched.cpp: workqueue items, irq threads, preemption
    void workQueue(const Ev& e);
    void workActivate(const Ev& e);
    void workStart(const Ev& e);
    void workEnd(const Ev& e);
    std::uint32_t workFunctionKey(std::uint32_t workId) const;
    void endPreemption(std::int32_t pid, std::int64_t ts);
    void schedSwitch(const Ev& e);
    void switchOut(const Ev& e, std::int32_t prev, std::uint8_t state, std::int32_t next);
    void switchIn(const Ev& e, std::int32_t next);
    void schedWaking(const Ev& e);
    std::optional<std::int32_t> irqThreadNumber(std::int32_t pid, std::int64_t ts) const;
    bool isKsoftirqd(std::int32_t pid, std::int64_t ts) const;
    void findSpecialTasks();

    // Task runs (task_run_scanner.h), per CPU, beside the walk.
    void prepareTaskRuns();
    void scanTaskRuns(const std::vector<std::size_t>& limits);
    void finishTaskRuns();

    // span_finish.cpp: capture edges, drops, final order, side tables
    void closeOpenSpans();
    void markDrops();
    void markDrops(Span& s) const;
    void liveTables(std::int64_t edge, Analysis& out);
    void liveTaskRuns(std::int64_t edge, LivePictureDelta& out);
    std::size_t taskRunBytes() const;
    void liveReverseIndex(std::size_t count, const std::vector<SpanId>& open,
                          std::vector<EpisodeId>& dirty, Analysis& out);
    void liveEpisodes(std::vector<EpisodeId>& dirty, LivePictureDelta& out);
    void addLinkRows(EpisodeId e, std::span<const RawLink> links, std::size_t shownRows,
                     LivePictureDelta& out);
    void fillLiveStages(const std::vector<EpisodeId>& dirty, std::vector<Preemption>& preemptions);
    void changedHeldRows(LivePictureDelta& out) const;
    std::vector<SpanId> sortSpans();
    void fillSideTables(const std::vector<SpanId>& finalId);

    const EventStore& store_;
    const AnalysisOptions& options_;
    std::span<const LatencyRule> rules_;
    Analysis out_;
    SpanRows spans_; // build order
    Causality causality_;
    CustomSpans custom_;
    std::vector<EventKind> kindOf_;        // TypeId -> kind
    std::vector<std::uint32_t> vectorKey_; // TypeId -> IrqActionId for irq_vectors events
    std::vector<CpuState> cpus_;
    std::vector<std::uint8_t> isSwitch_;       // TypeId -> sched_switch
    std::vector<TaskRunScanner> taskScanners_; // per CPU; empty without task runs
    std::vector<std::size_t> taskRunsPerCpu_;  // switches into a task (reserveSpans)
    bool taskRunsDone_ = false;                // out_.taskRuns finished by build()'s thread
    std::vector<std::vector<std::int64_t>> cpuMissedTs_;             // per CPU, sorted
    std::unordered_map<std::int32_t, std::uint32_t> irqFirstAction_; // irq -> IrqActionId
    std::vector<std::uint32_t> workKey_; // WorkId -> AddressId of its function
    std::size_t irqActionsSeen_ = 0;
    std::int64_t firstTs_ = 0;
    std::int64_t lastTs_ = 0;
    EventKind wakeKind_ = EventKind::SchedWaking;

    std::unordered_map<std::uint64_t, PendingWork> pendingWork_; // by work-struct address
    std::unordered_map<std::uint64_t, SpanId> runningWork_;      // by work-struct address
    std::unordered_map<std::int32_t, PendingWake> pendingWake_;  // irq threads, by pid
    std::unordered_map<std::int32_t, SpanId> runningBh_; // workqueue item / irq thread by pid
    std::unordered_map<std::int32_t, std::size_t> openPreemption_;      // pid -> preemptions_ index
    std::unordered_map<std::uint64_t, std::vector<SpanId>> funcStacks_; // by pid (idle: by cpu)
    // By pid, from each pid's latest name: kIrqThread / kKsoftirqd candidates.
    static constexpr std::uint8_t kIrqThread = 1;
    static constexpr std::uint8_t kKsoftirqd = 2;
    std::vector<std::uint8_t> pidClass_;
    std::uint8_t pidClass(std::int32_t pid) const {
        return pid > 0 && static_cast<std::size_t>(pid) < pidClass_.size() ? pidClass_[pid] : 0;
    }
    void reserveSpans();
    std::vector<Preemption> preemptions_; // build-order span ids
    std::vector<RawQueueContext> queueContexts_;
    // Live: next event of each CPU to walk, the last ts walked, whether the
    // first event (firstTs_) was seen.
    std::vector<std::size_t> livePos_;
    std::int64_t liveLastTs_ = -1;
    bool live_ = false;
    // Live pictures: spans [0, liveShown_) were handed out, liveOpen_ of them
    // still open then.
    std::size_t liveShown_ = 0;
    std::vector<std::size_t> liveTaskShown_; // per CPU: task runs settled in the pictures
    std::vector<SpanId> liveOpen_;
    std::size_t liveEpisodes_ = 0, liveLinks_ = 0; // causality's, handed out in deltas
    std::size_t liveQueueContexts_ = 0;
    std::vector<Episode> liveEp_;           // the picture's episodes, mirrored
    std::vector<EpisodeLink> liveLinkRows_; // the picture's link rows, mirrored
    std::unordered_map<SpanId, std::vector<EpisodeId>> openEpisodes_; // of open spans
    std::unordered_map<EpisodeId, std::uint32_t> linkRoom_;           // rows of moved episodes
};

} // namespace irqlens::detail
