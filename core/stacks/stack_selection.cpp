#include "core/stacks/stack_selection.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace irqlens {
namespace {

bool wanted(const AttachedStack& a, StackKindFilter kinds) {
    return a.user ? kinds.user : kinds.kernel;
}

// Merges duplicates: one sample per StackId, in StackId order (deterministic).
std::vector<StackSample> collapse(const std::map<StackId, std::uint64_t>& counts) {
    std::vector<StackSample> out;
    out.reserve(counts.size());
    for (const auto& [id, n] : counts) {
        out.push_back({id, n});
    }
    return out;
}

// Event index range of a span on its CPU (open ends reach the capture's edges).
std::pair<std::uint32_t, std::uint32_t> eventRange(const EventStore& store, const Span& span) {
    const auto size = static_cast<std::uint32_t>(store.cpu(span.cpu).size());
    const std::uint32_t first = (span.flags & SpanFlag::OpenStart) ? 0 : span.begin.index;
    const std::uint32_t last =
        (span.flags & SpanFlag::OpenEnd) ? (size == 0 ? 0 : size - 1) : span.finish.index;
    return {first, last};
}

} // namespace

std::vector<SpanId> spansOfClass(const EventStore& store, const Analysis& analysis, SpanKind kind,
                                 const std::optional<std::string>& keyName) {
    std::vector<SpanId> out;
    std::unordered_map<std::uint32_t, bool> keyMatches; // spanKeyName is costly; keys repeat
    forEachSpanOf(analysis, kind, [&](SpanId id, const Span& span) {
        if (keyName) {
            auto it = keyMatches.find(span.key);
            if (it == keyMatches.end()) {
                it = keyMatches.emplace(span.key, spanKeyName(store, span) == *keyName).first;
            }
            if (!it->second) {
                return;
            }
        }
        out.push_back(id);
    });
    return out;
}

std::vector<StackSample> stacksOfSpans(const EventStore& store, const Analysis& analysis,
                                       const StackIndex& index, const std::vector<SpanId>& spans,
                                       StackScope scope, StackKindFilter kinds) {
    std::map<StackId, std::uint64_t> counts;
    std::vector<std::vector<bool>> taken(static_cast<std::size_t>(store.cpuCount()));
    for (SpanId id : spans) {
        if (!analysis.hasSpan(id)) {
            continue;
        }
        const Span span = spanWithEvents(store, analysis, id);
        if (scope == StackScope::BeginEvent) {
            if (span.flags & SpanFlag::OpenStart) {
                continue; // no begin event: nothing to attach to
            }
            for (const AttachedStack& a :
                 index.ownedBetween(span.cpu, span.begin.index, span.begin.index)) {
                counts[a.stack] += wanted(a, kinds) ? 1 : 0;
            }
            continue;
        }
        const auto [first, last] = eventRange(store, span);
        const auto all = index.onCpu(span.cpu);
        auto& seen = taken[span.cpu];
        seen.resize(all.size());
        for (const AttachedStack& a : index.ownedBetween(span.cpu, first, last)) {
            const auto pos = static_cast<std::size_t>(&a - all.data());
            if (!seen[pos] && wanted(a, kinds)) {
                seen[pos] = true;
                ++counts[a.stack];
            }
        }
    }
    std::erase_if(counts, [](const auto& kv) { return kv.second == 0; });
    return collapse(counts);
}

std::vector<StackSample> stacksOfEvents(const EventStore& store, const StackIndex& index,
                                        std::optional<TypeId> type, StackKindFilter kinds) {
    std::map<StackId, std::uint64_t> counts;
    for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
        const CpuEvents& col = store.cpu(cpu);
        for (const AttachedStack& a : index.onCpu(cpu)) {
            if (wanted(a, kinds) && (!type || col.type(a.owner) == *type)) {
                ++counts[a.stack];
            }
        }
    }
    return collapse(counts);
}

std::vector<StackSample> withFrameMatching(const EventStore& store, FrameNames& names,
                                           const std::vector<StackSample>& samples,
                                           std::string_view text) {
    std::vector<StackSample> out;
    for (const StackSample& s : samples) {
        const auto frames = store.stacks.get(s.stack);
        const bool match = std::any_of(frames.begin(), frames.end(), [&](std::uint64_t f) {
            return names.name(f, FrameStyle::Function).find(text) != std::string::npos;
        });
        if (match) {
            out.push_back(s);
        }
    }
    return out;
}

std::uint64_t sampleCount(const std::vector<StackSample>& samples) {
    std::uint64_t n = 0;
    for (const StackSample& s : samples) {
        n += s.count;
    }
    return n;
}

} // namespace irqlens
