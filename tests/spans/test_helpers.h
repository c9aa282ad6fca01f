// Small helpers shared by the span tests.
#pragma once

#include "core/spans/span.h"

#include <vector>

namespace irqlens::test {

// The task runs (Analysis::taskRuns) as Spans, in analysis order (cpu, start).
inline std::vector<Span> taskRunsOf(const Analysis& a) {
    std::vector<Span> runs;
    forEachSpanOf(a, SpanKind::Task, [&](SpanId, const Span& s) { runs.push_back(s); });
    return runs;
}

// Ids of the spans of one kind, in analysis order (cpu, start).
inline std::vector<SpanId> spansOf(const Analysis& a, SpanKind kind) {
    std::vector<SpanId> ids;
    for (std::size_t i = 0; i < a.spans.size(); ++i) {
        if (a.spans[i].kind == kind) {
            ids.push_back(static_cast<SpanId>(i));
        }
    }
    return ids;
}

inline bool has(const Span& s, std::uint16_t flag) {
    return (s.flags & flag) != 0;
}

// The episode whose hard IRQ is span `hard`.
inline const Episode* episodeOf(const Analysis& a, SpanId hard) {
    for (const Episode& e : a.episodes) {
        if (e.hardIrq == hard) {
            return &e;
        }
    }
    return nullptr;
}

} // namespace irqlens::test
