// What changed in a live analysis since the previous picture (LiveAnalyzer::
// delta()), so that the picture the views read grows by what is new instead
// of being rebuilt from every span.
//
// Live pictures keep the span builder's order (the order spans were opened
// in), not analyze()'s (cpu, kind, start): in build order a span's id never
// changes, spans closed before the watermark never change again, so the
// picture's span vector only grows at its end, and the few spans still open
// at the growing edge are rewritten.  The finished capture is loaded from
// its file (analyze(), sorted) when the recording stops.
#pragma once

#include "core/model/prefault.h"
#include "core/spans/span.h"

#include <new>
#include <utility>
#include <vector>

namespace irqlens {

struct LivePictureDelta {
    std::size_t firstAdded = 0; // id of added[0]: the picture's span count before
    std::vector<Span> added;    // new spans; open ones end at the edge, flagged OpenEnd
    // Spans open at the previous picture, as they are now (closed or at the new edge).
    std::vector<std::pair<SpanId, Span>> changed;
    // Preemptions of every span so far (swapped into the picture); the
    // reverse index (spanEpisodeOffsets from 0, spanEpisodes) and the queue
    // contexts of the added spans (appended).  Spans, episodes, links empty.
    Analysis tables;
    // Episodes whose stages or links moved, new episodes (ids from the
    // picture's count on), new link rows from firstLinkRow on.  An episode
    // that gained links has them all at the end of the rows, with room to
    // grow: the picture's links hold unused old copies and empty rows, read
    // them through linksOf().
    std::vector<std::pair<EpisodeId, Episode>> episodesChanged;
    std::vector<Episode> episodesAdded;
    std::size_t firstLinkRow = 0;
    std::vector<EpisodeLink> linkRowsAdded;
    std::vector<std::pair<std::uint32_t, EpisodeLink>> linkRowsChanged; // rows before firstLinkRow
    // Task runs (task_runs.h) of each CPU from taskFrom[cpu] on: the run
    // that was open at the last picture (closed or at the new edge) and the
    // new ones, in the order the CPU showed them.
    std::vector<std::size_t> taskFrom;
    std::vector<CpuTaskRuns> taskTails;
    std::int64_t edge = 0;
};

// Applies `delta` to `picture` (a picture built from the previous deltas):
// spans, episodes, links, the reverse index and queue contexts rewritten
// and appended, preemptions swapped in (`delta` keeps the old ones, to be
// freed elsewhere).  Cost: what is new, the open spans and their episodes.
void applyLiveDelta(Analysis& picture, LivePictureDelta& delta);

// Maps in the room the next applyLiveDelta() writes into `picture`'s
// reserved vectors (core/model/prefault.h), `fraction` of what each holds.
// On a worker, while nobody writes the picture.
void prefaultLivePicture(PrefaultList& out, const Analysis& picture, double fraction);

// Reserves room for the spans of a long recording in `spans` up front.  A
// vector of millions of spans that outgrows its capacity is copied whole
// (a gigabyte and seconds of page faults at 30 M events, a gap in the
// pictures); reserved room that is never written costs address space only,
// not memory.  At most 1/512 of the RAM size in bytes, 32 M spans.
void reserveLiveSpans(std::vector<Span>& spans);
// The number of spans reserveLiveSpans() makes room for (0: unknown).
std::size_t liveRoom();
// The same for any growing vector of a live picture: room for `count`
// elements, taken once while it is still small (one cheap copy).
template <typename T> void reserveLiveRoom(std::vector<T>& v, std::size_t count) {
    if (v.capacity() >= count) {
        return;
    }
    try {
        v.reserve(count);
    } catch (const std::bad_alloc&) {
        // grows as it goes
    }
}

} // namespace irqlens
