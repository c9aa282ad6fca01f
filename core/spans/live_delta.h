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

#include "core/spans/span.h"

#include <utility>
#include <vector>

namespace irqlens {

struct LivePictureDelta {
    std::size_t firstAdded = 0; // id of added[0]: the picture's span count before
    std::vector<Span> added;    // new spans; open ones end at the edge, flagged OpenEnd
    // Spans open at the previous picture, as they are now (closed or at the new edge).
    std::vector<std::pair<SpanId, Span>> changed;
    // Episodes, links, preemptions and queue contexts of every span so far
    // (swapped into the picture); the reverse index (spanEpisodeOffsets from
    // 0, spanEpisodes) of the added spans only (appended).  Spans left empty.
    Analysis tables;
    std::int64_t edge = 0;
};

// Applies `delta` to `picture` (a picture built from the previous deltas):
// spans are rewritten and appended, the reverse index extended, the other
// episode tables swapped in; `delta` keeps the old tables (to be freed
// elsewhere).  Cost: the new and the open spans, plus the tables' swap.
void applyLiveDelta(Analysis& picture, LivePictureDelta& delta);

// Reserves room for the spans of a long recording in `spans` up front.  A
// vector of millions of spans that outgrows its capacity is copied whole
// (a gigabyte and seconds of page faults at 30 M events, a gap in the
// pictures); reserved room that is never written costs address space only,
// not memory.  At most 1/512 of the RAM size in bytes, 32 M spans.
void reserveLiveSpans(std::vector<Span>& spans);

} // namespace irqlens
