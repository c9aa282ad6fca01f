// analyze() and the small public helpers of span.h.
#include "core/spans/span.h"
#include "core/spans/span_builder.h"

#include <algorithm>
#include <array>

namespace irqlens {

Analysis analyze(const EventStore& store, const AnalysisOptions& options) {
    return analyze(store, options, {});
}

Analysis analyze(const EventStore& store, const AnalysisOptions& options,
                 std::span<const LatencyRule> rules) {
    detail::SpanBuilder builder(store, options, rules);
    return builder.build();
}

std::string_view spanKindName(SpanKind kind) {
    static constexpr std::array<std::string_view, static_cast<std::size_t>(SpanKind::Count)> names =
        {"hardirq", "softirq", "tasklet", "workqueue", "irq_thread", "task", "function", "custom"};
    const auto i = static_cast<std::size_t>(kind);
    return i < names.size() ? names[i] : "?";
}

std::optional<SpanKind> spanKindByName(std::string_view name) {
    for (int k = 0; k < static_cast<int>(SpanKind::Count); ++k) {
        if (spanKindName(static_cast<SpanKind>(k)) == name) {
            return static_cast<SpanKind>(k);
        }
    }
    return std::nullopt;
}

namespace {
// "name+0x10" -> "name" is not wanted for keys: a work function is its start.
std::string functionName(const EventStore& store, std::uint32_t addressId) {
    if (addressId >= store.addresses.size() || store.addresses.get(addressId) == 0) {
        return "?";
    }
    return store.symbolize(store.addresses.get(addressId));
}

std::string hardIrqName(const EventStore& store, std::uint32_t key) {
    if (key >= store.irqActions.size()) {
        return "?";
    }
    const IrqAction& a = store.irqActions.get(key);
    const std::string_view name = store.strings.get(a.name);
    return a.irq < 0 ? std::string(name) : std::to_string(a.irq) + " " + std::string(name);
}
} // namespace

std::string spanKeyName(const EventStore& store, const Span& span) {
    switch (span.kind) {
    case SpanKind::HardIrq:
        return hardIrqName(store, span.key);
    case SpanKind::Softirq:
        return std::string(softirqName(span.key));
    case SpanKind::Tasklet:
    case SpanKind::Workqueue:
    case SpanKind::Function:
        return functionName(store, span.key);
    case SpanKind::IrqThread:
    case SpanKind::Task:
        return std::string(store.comm(static_cast<std::int32_t>(span.key), span.start));
    case SpanKind::Custom:
        return "rule " + std::to_string(span.key);
    default:
        return "?";
    }
}

std::size_t Analysis::count(SpanKind kind) const {
    if (kind == SpanKind::Task) {
        return taskRuns.size();
    }
    return static_cast<std::size_t>(std::count_if(
        spans.begin(), spans.end(), [kind](const Span& s) { return s.kind == kind; }));
}

namespace {
// The bytes of an analysis's tables, each counted by `count` (capacity: what
// is allocated; size: what is written), task runs by `taskRunBytes`.
template <typename Count>
std::size_t tableBytes(const Analysis& a, Count count, std::size_t taskRunBytes) {
    std::size_t bytes =
        count(a.spans) * sizeof(Span) + count(a.episodes) * sizeof(Episode) +
        count(a.links) * sizeof(EpisodeLink) + count(a.spanEpisodeOffsets) * sizeof(std::uint32_t) +
        count(a.spanEpisodes) * sizeof(EpisodeId) + count(a.preemptions) * sizeof(Preemption) +
        count(a.queueContexts) * sizeof(QueueContext) + taskRunBytes;
    for (const std::string& w : a.warnings) {
        bytes += sizeof(std::string) + count(w);
    }
    for (const std::string& r : a.ruleNames) {
        bytes += sizeof(std::string) + count(r);
    }
    return bytes;
}
} // namespace

std::size_t Analysis::bytesUsed() const {
    return tableBytes(
        *this, [](const auto& v) { return v.capacity(); }, taskRuns.bytesUsed());
}

std::size_t Analysis::bytesFilled() const {
    return tableBytes(
        *this, [](const auto& v) { return v.size(); }, taskRuns.bytesFilled());
}

bool Analysis::hasSpan(SpanId id) const {
    std::uint16_t cpu = 0;
    std::size_t i = 0;
    return id < spans.size() || taskRuns.locate(id, cpu, i);
}

Span Analysis::spanAt(SpanId id) const {
    std::uint16_t cpu = 0;
    std::size_t i = 0;
    if (taskRuns.locate(id, cpu, i)) {
        return taskRuns.span(cpu, i);
    }
    return id < spans.size() ? spans[id] : Span{};
}

Span spanWithEvents(const EventStore& store, const Analysis& analysis, SpanId id) {
    Span s = analysis.spanAt(id);
    std::uint16_t cpu = 0;
    std::size_t i = 0;
    if (analysis.taskRuns.locate(id, cpu, i)) {
        s.finish = analysis.taskRuns.finishOf(store, cpu, i);
    }
    return s;
}

std::span<const Preemption> Analysis::preemptionsOf(SpanId s) const {
    auto first = std::lower_bound(preemptions.begin(), preemptions.end(), s,
                                  [](const Preemption& p, SpanId id) { return p.span < id; });
    auto last = first;
    while (last != preemptions.end() && last->span == s) {
        ++last;
    }
    return {first, last};
}

const EpisodeLink* stageLink(const Analysis& analysis, EpisodeId episode) {
    const EpisodeLink* last = nullptr;
    for (const EpisodeLink& l : analysis.linksOf(episode)) {
        if (!last || analysis.spans[l.span].end > analysis.spans[last->span].end) {
            last = &l;
        }
    }
    return last;
}

const QueueContext* Analysis::queueContextOf(SpanId s) const {
    auto it = std::lower_bound(queueContexts.begin(), queueContexts.end(), s,
                               [](const QueueContext& q, SpanId id) { return q.span < id; });
    return it != queueContexts.end() && it->span == s ? &*it : nullptr;
}

} // namespace irqlens
