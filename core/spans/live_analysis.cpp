#include "core/spans/live_analysis.h"

#include "core/model/prefault.h"
#include "core/spans/span_builder.h"

#include <algorithm>
#include <limits>
#include <new>
#include <unistd.h>

namespace irqlens {

LiveAnalyzer::LiveAnalyzer(const EventStore& store, AnalysisOptions options)
    : store_(store), options_(options), builder_(std::make_unique<detail::SpanBuilder>(
                                            store_, options_, std::span<const LatencyRule>{})),
      idle_(static_cast<std::size_t>(store.cpuCount()), false) {
    builder_->startLive();
}

LiveAnalyzer::~LiveAnalyzer() = default;

void LiveAnalyzer::setCpuIdle(int cpu, bool idle) {
    if (cpu >= 0 && static_cast<std::size_t>(cpu) < idle_.size()) {
        idle_[static_cast<std::size_t>(cpu)] = idle;
    }
}

std::int64_t LiveAnalyzer::watermark() const {
    std::int64_t mark = std::numeric_limits<std::int64_t>::max();
    bool any = false;
    for (int c = 0; c < store_.cpuCount(); ++c) {
        if (idle_[static_cast<std::size_t>(c)]) {
            continue;
        }
        const CpuEvents& col = store_.cpu(c);
        if (col.empty()) {
            return -1; // its first page may still bring the earliest events
        }
        mark = std::min(mark, col.ts(col.size() - 1));
        any = true;
    }
    if (!any) { // every CPU idle: what is there is all there is for now
        mark = std::max<std::int64_t>(store_.lastTs(), -1);
    }
    return mark;
}

std::size_t LiveAnalyzer::advance() {
    const std::int64_t mark = watermark();
    if (mark < 0) {
        return 0;
    }
    // Strictly before the watermark: a CPU's next page may start with more
    // events at exactly its latest timestamp.
    std::vector<std::size_t> limits(static_cast<std::size_t>(store_.cpuCount()));
    for (int c = 0; c < store_.cpuCount(); ++c) {
        limits[static_cast<std::size_t>(c)] = store_.cpu(c).lowerBound(mark);
    }
    return walkTo(limits);
}

std::size_t LiveAnalyzer::advanceAll() {
    std::vector<std::size_t> limits(static_cast<std::size_t>(store_.cpuCount()));
    for (int c = 0; c < store_.cpuCount(); ++c) {
        limits[static_cast<std::size_t>(c)] = store_.cpu(c).size();
    }
    return walkTo(limits);
}

std::size_t LiveAnalyzer::walkTo(const std::vector<std::size_t>& limits) {
    // Events older than the last walked one arrived too late to be walked
    // in order (an idle CPU woke up): counted, still walked.
    const std::int64_t before = builder_->liveLastTs();
    const auto& pos = builder_->livePositions();
    for (std::size_t c = 0; c < limits.size() && c < pos.size() && before >= 0; ++c) {
        const CpuEvents& col = store_.cpu(static_cast<int>(c));
        const std::size_t fresh = std::min(limits[c], col.lowerBound(before));
        late_ += fresh > pos[c] ? fresh - pos[c] : 0;
    }
    builder_->trimShown();
    builder_->refreshLive();
    const std::size_t n = builder_->advanceLive(limits);
    walked_ += n;
    return n;
}

Analysis LiveAnalyzer::snapshot() const {
    return builder_->snapshotLive(std::max<std::int64_t>(builder_->liveLastTs(), 0));
}

void LiveAnalyzer::showsIn(const Analysis& picture) {
    builder_->showLiveIn(&picture.spans);
}

LivePictureDelta LiveAnalyzer::delta() {
    builder_->trimShown();
    LivePictureDelta d;
    builder_->liveDelta(std::max<std::int64_t>(builder_->liveLastTs(), 0), d);
    return d;
}

std::size_t liveRoom() {
    return liveEventRoom(); // the same share of the RAM
}

void reserveLiveSpans(std::vector<Span>& spans) {
    reserveLiveRoom(spans, liveRoom());
}

namespace {
// Each CPU's table keeps its settled runs and takes the tail; ids stay put
// (TaskRuns::indexLive), room for a long recording is taken once.
void applyTaskRuns(TaskRuns& runs, const LivePictureDelta& delta) {
    if (delta.taskTails.empty()) {
        return;
    }
    if (runs.cpus.size() < delta.taskTails.size()) {
        const std::size_t was = runs.cpus.size();
        runs.cpus.resize(delta.taskTails.size());
        for (std::size_t c = was; c < runs.cpus.size(); ++c) {
            runs.cpus[c].reserve(liveRoom() / runs.cpus.size());
        }
    }
    for (std::size_t c = 0; c < delta.taskTails.size(); ++c) {
        runs.cpus[c].truncate(delta.taskFrom[c]);
        runs.cpus[c].append(delta.taskTails[c]);
    }
    runs.indexLive();
}
} // namespace

void applyLiveDelta(Analysis& picture, LivePictureDelta& delta) {
    if (picture.spans.empty()) {
        reserveLiveSpans(picture.spans); // a picture of the first delta
    }
    for (const auto& [id, span] : delta.changed) {
        picture.spans[id] = span;
    }
    picture.spans.resize(delta.firstAdded); // a picture from the same deltas: already that size
    picture.spans.insert(picture.spans.end(), delta.added.begin(), delta.added.end());
    for (const auto& [id, episode] : delta.episodesChanged) {
        picture.episodes[id] = episode;
    }
    picture.episodes.insert(picture.episodes.end(), delta.episodesAdded.begin(),
                            delta.episodesAdded.end());
    for (const auto& [row, link] : delta.linkRowsChanged) {
        picture.links[row] = link;
    }
    picture.links.resize(delta.firstLinkRow);
    picture.links.insert(picture.links.end(), delta.linkRowsAdded.begin(),
                         delta.linkRowsAdded.end());
    // The reverse index grows by the new spans' entries.
    if (picture.spanEpisodeOffsets.empty()) {
        const std::size_t room = liveRoom(); // no copy of these on the GUI thread
        reserveLiveRoom(picture.spanEpisodeOffsets, room + 1);
        reserveLiveRoom(picture.spanEpisodes, room);
        reserveLiveRoom(picture.episodes, room / 4);
        reserveLiveRoom(picture.links, room / 4);
        reserveLiveRoom(picture.queueContexts, room / 4);
        picture.spanEpisodeOffsets.push_back(0);
    }
    const std::uint32_t base = picture.spanEpisodeOffsets.back();
    for (std::size_t i = 1; i < delta.tables.spanEpisodeOffsets.size(); ++i) {
        picture.spanEpisodeOffsets.push_back(base + delta.tables.spanEpisodeOffsets[i]);
    }
    picture.spanEpisodes.insert(picture.spanEpisodes.end(), delta.tables.spanEpisodes.begin(),
                                delta.tables.spanEpisodes.end());
    std::swap(picture.preemptions, delta.tables.preemptions);
    picture.queueContexts.insert(picture.queueContexts.end(), delta.tables.queueContexts.begin(),
                                 delta.tables.queueContexts.end());
    std::swap(picture.warnings, delta.tables.warnings);
    applyTaskRuns(picture.taskRuns, delta);
}

void prefaultLivePicture(PrefaultList& out, const Analysis& picture, double fraction) {
    prefaultAhead(out, picture.spans, fraction);
    prefaultAhead(out, picture.spanEpisodeOffsets, fraction);
    prefaultAhead(out, picture.spanEpisodes, fraction);
    prefaultAhead(out, picture.episodes, fraction);
    prefaultAhead(out, picture.links, fraction);
    prefaultAhead(out, picture.queueContexts, fraction);
    for (const CpuTaskRuns& runs : picture.taskRuns.cpus) {
        runs.prefault(out, fraction);
    }
}

std::size_t LiveAnalyzer::bytesUsed() const {
    return builder_->liveBytes();
}

std::vector<std::size_t> LiveAnalyzer::walkedPerCpu() const {
    return builder_->livePositions();
}

std::int64_t LiveAnalyzer::edge() const {
    return builder_->liveLastTs();
}

} // namespace irqlens
