// Span builder, live: the same pass as build(), resumed batch after batch
// while a recording grows.  Spans still open carry the end kLiveEdge until a
// snapshot gives them the edge of what was walked: batch build() gives them
// the capture's last timestamp, which is the same value once every event
// was walked.
#include "core/spans/span_builder.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace irqlens::detail {

namespace {
constexpr std::int64_t kLiveEdge = std::numeric_limits<std::int64_t>::max();
}

void SpanBuilder::startLive() {
    live_ = true;
    prepareTypes();
    refreshLive();
    lastTs_ = kLiveEdge; // open() gives open spans this end, snapshotLive() the edge
    reserveLiveSpans(spans_.whole());
    // The walk's growing tables take their room once too: a vector of
    // millions of episodes or links that doubles is a copy of hundreds of
    // megabytes and their page faults on the worker, a gap of 400 ms in the
    // pictures at 40 M events (perf).  Room is address space until written.
    const std::size_t room = liveRoom();
    reserveLiveRoom(liveEp_, room / 4);
    reserveLiveRoom(liveLinkRows_, room / 4);
    reserveLiveRoom(preemptions_, room / 4);
    reserveLiveRoom(queueContexts_, room / 4);
    causality_.reserveLive(room / 4);
    custom_.prepare(store_, rules_);
    prepareTaskRuns();
}

void SpanBuilder::refreshLive() {
    refreshKeys();
    livePos_.resize(cpus_.size(), 0);
    if (options_.taskSpans) {
        taskScanners_.resize(cpus_.size());
    }
    std::fill(pidClass_.begin(), pidClass_.end(), 0);
    findSpecialTasks(); // from each pid's latest name so far
}

// The batch walk's order (time, ties by lower CPU), from livePos_ up to the
// limits; a later call continues exactly where this one stopped.
std::size_t SpanBuilder::advanceLive(const std::vector<std::size_t>& limits) {
    const std::size_t cpus = std::min(limits.size(), livePos_.size());
    std::vector<std::int64_t> next(cpus, kLiveEdge);
    auto headOf = [&](std::size_t c) {
        next[c] = livePos_[c] < std::min(limits[c], store_.cpu(static_cast<int>(c)).size())
                      ? store_.cpu(static_cast<int>(c)).ts(livePos_[c])
                      : kLiveEdge;
    };
    for (std::size_t c = 0; c < cpus; ++c) {
        headOf(c);
    }
    std::size_t walked = 0;
    for (;;) {
        std::size_t best = cpus;
        std::int64_t bestTs = kLiveEdge;
        for (std::size_t c = 0; c < cpus; ++c) {
            if (next[c] < bestTs) {
                best = c;
                bestTs = next[c];
            }
        }
        if (best == cpus) {
            scanTaskRuns(livePos_); // each CPU's task runs, up to where it was walked
            return walked;
        }
        if (liveLastTs_ < 0) {
            firstTs_ = std::max<std::int64_t>(bestTs, 0); // the capture's first event
        }
        const auto i = static_cast<std::uint32_t>(livePos_[best]++);
        onEvent({static_cast<std::uint16_t>(best), i}, bestTs);
        liveLastTs_ = std::max(liveLastTs_, bestTs);
        ++walked;
        headOf(best);
    }
}

Analysis SpanBuilder::snapshotLive(std::int64_t edge) const {
    SpanBuilder copy(*this);
    copy.spans_.materialize(); // the rows the picture holds, with the walk's own over them
    for (Span& s : copy.spans_) {
        if (s.end == kLiveEdge) {
            s.end = std::max(edge, s.start);
        }
    }
    copy.lastTs_ = std::max<std::int64_t>(edge, 0);
    return copy.finishBuild();
}

// By size: the room reserved for the live tables is address space until
// written.
std::size_t SpanBuilder::liveBytes() const {
    return spans_.bytesFilled() + liveEp_.size() * sizeof(Episode) +
           liveLinkRows_.size() * sizeof(EpisodeLink) + preemptions_.size() * sizeof(Preemption) +
           queueContexts_.size() * sizeof(RawQueueContext) + causality_.bytesFilled() +
           taskRunBytes();
}

std::size_t SpanBuilder::taskRunBytes() const {
    std::size_t bytes = 0;
    for (const TaskRunScanner& s : taskScanners_) {
        bytes += s.bytesFilled();
    }
    return bytes;
}

// The spans handed out before that were open, then the spans created since:
// each gets its drop flag (in the builder too: a span crossing a drop still
// does once it grows) and, while open, the edge as its end for the tables.
void SpanBuilder::liveDelta(std::int64_t edge, LivePictureDelta& out) {
    edge = std::max<std::int64_t>(edge, 0);
    const std::size_t count = spans_.size();
    std::vector<SpanId> open;
    auto visit = [&](SpanId id) {
        Span& s = spans_[id];
        markDrops(s);
        if (s.end == kLiveEdge) {
            open.push_back(id);
            s.end = std::max(edge, s.start);
        }
    };
    for (SpanId id : liveOpen_) {
        visit(id);
    }
    for (std::size_t id = liveShown_; id < count; ++id) {
        visit(static_cast<SpanId>(id));
    }
    // Episodes whose stages may have moved: those of the spans open at the
    // last picture (closed since, or at a new edge) and of the new spans.
    std::vector<EpisodeId> dirty;
    for (SpanId id : liveOpen_) {
        auto it = openEpisodes_.find(id);
        if (it != openEpisodes_.end()) {
            dirty.insert(dirty.end(), it->second.begin(), it->second.end());
            if (!std::binary_search(open.begin(), open.end(), id)) {
                openEpisodes_.erase(it);
            }
        }
    }
    liveReverseIndex(count, open, dirty, out.tables);
    liveTables(edge, out.tables); // reads the spans with their edge ends
    liveEpisodes(dirty, out);
    out.edge = edge;
    out.firstAdded = liveShown_;
    out.changed.clear();
    for (SpanId id : liveOpen_) {
        out.changed.emplace_back(id, spans_[id]);
    }
    changedHeldRows(out);
    const std::span<const Span> added = spans_.from(liveShown_);
    out.added.assign(added.begin(), added.end());
    liveTaskRuns(edge, out);
    for (SpanId id : open) {
        spans_[id].end = kLiveEdge;
    }
    liveOpen_ = std::move(open);
    liveShown_ = count;
}

// Rows the picture showed that the walk copied and changed although they
// were closed when shown (the walk changes only rows that were open then:
// this keeps the picture right if that ever stops being so).
void SpanBuilder::changedHeldRows(LivePictureDelta& out) const {
    const std::vector<Span>* shown = spans_.shown();
    if (!shown) {
        return;
    }
    for (const auto& [id, span] : spans_.held()) {
        if (id < shown->size() && !(span == (*shown)[id]) &&
            !std::binary_search(liveOpen_.begin(), liveOpen_.end(), id)) {
            out.changed.emplace_back(id, span);
        }
    }
}

// Each CPU's task runs since the last picture (from its run that was open).
void SpanBuilder::liveTaskRuns(std::int64_t edge, LivePictureDelta& out) {
    liveTaskShown_.resize(taskScanners_.size(), 0);
    out.taskFrom = liveTaskShown_;
    out.taskTails.clear();
    for (std::size_t c = 0; c < taskScanners_.size(); ++c) {
        out.taskTails.push_back(taskScanners_[c].tail(liveTaskShown_[c], edge, cpuMissedTs_[c]));
        liveTaskShown_[c] = taskScanners_[c].settled();
    }
}

// causality_.finish() over the builder's own spans in build order (ids map
// to themselves): episodes, links, reverse index; preemptions and queue
// contexts copied (the walk goes on with the originals).
void SpanBuilder::liveTables(std::int64_t edge, Analysis& out) {
    out.warnings = out_.warnings;
    for (Preemption p : preemptions_) {
        if (p.end < 0) {
            p.end = std::max(spans_[p.span].end == kLiveEdge ? edge : spans_[p.span].end, p.start);
        }
        out.preemptions.push_back(p);
    }
    std::sort(out.preemptions.begin(), out.preemptions.end(),
              [](const Preemption& a, const Preemption& b) {
                  return a.span != b.span ? a.span < b.span : a.start < b.start;
              });
    // Made when a work item starts (so in span order), never changed after:
    // the new ones are appended.
    for (std::size_t i = liveQueueContexts_; i < queueContexts_.size(); ++i) {
        const RawQueueContext& q = queueContexts_[i];
        const PendingWork& w = q.work;
        out.queueContexts.push_back({q.span, w.context, w.pid, w.queueTs, w.activateTs, w.cpu});
    }
    liveQueueContexts_ = queueContexts_.size();
}

// Episodes kept up to date in a mirror of the picture's tables: new
// episodes appended; an episode that gained links has its links moved to
// the end of the link rows (the old rows stay as unused copies: links are
// read through linksOf()); the stages of the `dirty` episodes computed
// again.  The delta carries what changed.
void SpanBuilder::liveEpisodes(std::vector<EpisodeId>& dirty, LivePictureDelta& out) {
    const std::size_t shownEpisodes = liveEp_.size(), shownRows = liveLinkRows_.size();
    const auto& hard = causality_.hardIrqs();
    for (std::size_t e = shownEpisodes; e < hard.size(); ++e) {
        Episode ep;
        ep.hardIrq = hard[e];
        ep.firstLink = static_cast<std::uint32_t>(liveLinkRows_.size());
        liveEp_.push_back(ep);
    }
    const auto& links = causality_.rawLinks();
    std::vector<RawLink> fresh(links.begin() + static_cast<std::ptrdiff_t>(liveLinks_),
                               links.end());
    std::stable_sort(fresh.begin(), fresh.end(),
                     [](const RawLink& a, const RawLink& b) { return a.episode < b.episode; });
    out.linkRowsChanged.clear();
    for (std::size_t i = 0; i < fresh.size();) {
        const EpisodeId e = fresh[i].episode;
        std::size_t end = i;
        while (end < fresh.size() && fresh[end].episode == e) {
            ++end;
        }
        addLinkRows(e, std::span(fresh).subspan(i, end - i), shownRows, out);
        i = end;
    }
    std::sort(dirty.begin(), dirty.end());
    dirty.erase(std::unique(dirty.begin(), dirty.end()), dirty.end());
    fillLiveStages(dirty, out.tables.preemptions);
    out.episodesChanged.clear();
    for (EpisodeId e : dirty) {
        if (e < shownEpisodes) {
            out.episodesChanged.emplace_back(e, liveEp_[e]);
        }
    }
    out.episodesAdded.assign(liveEp_.begin() + static_cast<std::ptrdiff_t>(shownEpisodes),
                             liveEp_.end());
    out.firstLinkRow = shownRows;
    out.linkRowsAdded.assign(liveLinkRows_.begin() + static_cast<std::ptrdiff_t>(shownRows),
                             liveLinkRows_.end());
    liveEpisodes_ = hard.size();
    liveLinks_ = links.size();
}

// Puts the new links of episode `e` after its others.  An episode whose
// rows are not at the end is moved there with room for as many again (the
// room padded with empty rows), so an episode that keeps gaining links (a
// hard IRQ left open by a lost exit gets every raise on its CPU) costs
// O(links) rows in all, not O(links^2).  Rows before `shownRows` that get
// written are reported in the delta.
void SpanBuilder::addLinkRows(EpisodeId e, std::span<const RawLink> links, std::size_t shownRows,
                              LivePictureDelta& out) {
    Episode& ep = liveEp_[e];
    const auto count = static_cast<std::uint32_t>(links.size());
    const bool atEnd = ep.firstLink + ep.linkCount == liveLinkRows_.size();
    auto room = linkRoom_.find(e);
    const std::uint32_t capacity = room != linkRoom_.end() ? room->second : ep.linkCount;
    if (!atEnd && ep.linkCount + count > capacity) {
        const std::uint32_t grown = std::max<std::uint32_t>(2 * (ep.linkCount + count), 4);
        const auto first = static_cast<std::uint32_t>(liveLinkRows_.size());
        for (std::uint32_t k = 0; k < ep.linkCount; ++k) {
            liveLinkRows_.push_back(liveLinkRows_[ep.firstLink + k]);
        }
        liveLinkRows_.resize(first + grown);
        ep.firstLink = first;
        linkRoom_[e] = grown;
    }
    for (const RawLink& l : links) {
        const std::size_t row = ep.firstLink + ep.linkCount++;
        if (row < liveLinkRows_.size()) {
            liveLinkRows_[row] = l.link; // in its room
            if (row < shownRows) {
                out.linkRowsChanged.emplace_back(static_cast<std::uint32_t>(row), l.link);
            }
        } else {
            liveLinkRows_.push_back(l.link);
        }
    }
}

// The stages of `dirty` from the builder's spans (open ones at the edge),
// the mirror's links and the picture's preemptions.
void SpanBuilder::fillLiveStages(const std::vector<EpisodeId>& dirty,
                                 std::vector<Preemption>& preemptions) {
    std::vector<std::int64_t> missedTs;
    for (const MissedEvents& m : store_.missed()) {
        if (m.ts >= 0) {
            missedTs.push_back(m.ts);
        }
    }
    std::sort(missedTs.begin(), missedTs.end());
    Analysis view; // borrows the vectors, gives them back; spans from spans_
    view.episodes = std::move(liveEp_);
    view.links = std::move(liveLinkRows_);
    view.preemptions = std::move(preemptions);
    Causality::fillStages(view, spans_, dirty, missedTs);
    liveEp_ = std::move(view.episodes);
    liveLinkRows_ = std::move(view.links);
    preemptions = std::move(view.preemptions);
}

// The reverse index (span -> episodes, ascending) of the spans created since
// the last delta, and their SharedBottomHalf flags: a hard IRQ's episode is
// made when it opens, a bottom half's links when it begins, so the new
// links and episodes name only new spans.  Offsets count from the first new
// span's entry (applyLiveDelta adds the picture's count).
void SpanBuilder::liveReverseIndex(std::size_t count, const std::vector<SpanId>& open,
                                   std::vector<EpisodeId>& dirty, Analysis& out) {
    const std::size_t first = liveShown_;
    std::vector<std::vector<EpisodeId>> of(count - first);
    const auto& hard = causality_.hardIrqs();
    // (An entry for an older span would break the rule above: it is left
    // out, and the pictures' test against snapshot() would see it.)
    auto add = [&](SpanId span, EpisodeId episode) {
        if (span >= first && span < count) {
            of[span - first].push_back(episode);
        }
    };
    for (std::size_t e = liveEpisodes_; e < hard.size(); ++e) {
        add(hard[e], static_cast<EpisodeId>(e));
    }
    const auto& links = causality_.rawLinks();
    for (std::size_t l = liveLinks_; l < links.size(); ++l) {
        add(links[l].link.span, links[l].episode);
    }
    out.spanEpisodeOffsets.assign(1, 0);
    for (std::size_t i = 0; i < of.size(); ++i) {
        std::sort(of[i].begin(), of[i].end());
        dirty.insert(dirty.end(), of[i].begin(), of[i].end());
        const auto id = static_cast<SpanId>(first + i);
        if (!of[i].empty() && std::binary_search(open.begin(), open.end(), id)) {
            openEpisodes_[id] = of[i]; // its episodes move until it closes
        }
        const bool linked = spans_[first + i].kind != SpanKind::HardIrq;
        if (linked && of[i].size() > 1) {
            spans_[first + i].flags |= SpanFlag::SharedBottomHalf;
        }
        out.spanEpisodes.insert(out.spanEpisodes.end(), of[i].begin(), of[i].end());
        out.spanEpisodeOffsets.push_back(static_cast<std::uint32_t>(out.spanEpisodes.size()));
    }
}

} // namespace irqlens::detail
