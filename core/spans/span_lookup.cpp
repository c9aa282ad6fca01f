#include "core/spans/span_lookup.h"

#include <algorithm>
#include <tuple>

namespace irqlens {

namespace {
void taskRunsAround(const TaskRuns& runs, int cpu, std::int64_t ts, std::vector<SpanId>& out) {
    if (cpu < 0 || static_cast<std::size_t>(cpu) >= runs.cpus.size()) {
        return;
    }
    const CpuTaskRuns& c = runs.cpus[static_cast<std::size_t>(cpu)];
    auto i = static_cast<std::size_t>(std::upper_bound(c.starts().begin(), c.starts().end(), ts) -
                                      c.starts().begin());
    for (std::size_t looked = 0; i > 0 && looked < kSpanLookback; ++looked) {
        --i;
        if (c.end(i) >= ts) {
            out.push_back(runs.id(static_cast<std::uint16_t>(cpu), i));
        }
    }
}
} // namespace

std::vector<SpanId> spansAround(const Analysis& analysis, int cpu, std::int64_t ts) {
    std::vector<SpanId> out;
    const auto& spans = analysis.spans;
    for (int k = 0; k < static_cast<int>(SpanKind::Count); ++k) {
        const auto kind = static_cast<SpanKind>(k);
        if (kind == SpanKind::Task) {
            taskRunsAround(analysis.taskRuns, cpu, ts, out);
            continue;
        }
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
