#include "core/spans/span_lookup.h"

#include <algorithm>
#include <tuple>

namespace irqlens {

std::vector<SpanId> spansAround(const Analysis& analysis, int cpu, std::int64_t ts) {
    std::vector<SpanId> out;
    const auto& spans = analysis.spans;
    for (int k = 0; k < static_cast<int>(SpanKind::Count); ++k) {
        const auto kind = static_cast<SpanKind>(k);
        const auto key = [](const Span& s) { return std::tuple(int(s.cpu), int(s.kind), s.start); };
        // One past the last span of (cpu, kind) that starts at or before ts.
        const auto last = std::upper_bound(
            spans.begin(), spans.end(), std::tuple(cpu, k, ts),
            [&](const std::tuple<int, int, std::int64_t>& t, const Span& s) { return t < key(s); });
        auto it = last;
        for (std::size_t looked = 0; it != spans.begin() && looked < kSpanLookback; ++looked) {
            --it;
            if (it->cpu != cpu || it->kind != kind) {
                break;
            }
            if (it->end >= ts) {
                out.push_back(static_cast<SpanId>(it - spans.begin()));
            }
        }
    }
    return out;
}

} // namespace irqlens
