#include "core/stats/latency_groups.h"

#include <algorithm>
#include <array>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace irqlens {

namespace {

using GroupKey = std::tuple<Mechanism, std::string, Metric>;

class GroupCollector {
public:
    void add(Mechanism mechanism, const std::string& key, Metric metric, std::int64_t value,
             std::uint32_t id) {
        auto [it, inserted] = groups_.try_emplace(GroupKey{mechanism, key, metric});
        LatencyGroup& g = it->second;
        if (inserted) {
            g.mechanism = mechanism;
            g.key = key;
            g.metric = metric;
        }
        g.values.push_back(value);
        g.ids.push_back(id);
    }
    // std::map iterates in (mechanism, key, metric) order: the documented sort.
    std::vector<LatencyGroup> take() {
        std::vector<LatencyGroup> out;
        out.reserve(groups_.size());
        for (auto& [k, g] : groups_) {
            out.push_back(std::move(g));
        }
        return out;
    }

private:
    std::map<GroupKey, LatencyGroup> groups_;
};

// spanKeyName formats strings; a capture has few distinct keys but may have
// millions of spans, so names are cached per (kind, key).
class KeyNames {
public:
    explicit KeyNames(const EventStore& store) : store_(store) {}
    const std::string& of(const Span& span) {
        const auto id = (std::uint64_t(span.kind) << 32) | span.key;
        auto it = cache_.find(id);
        if (it == cache_.end()) {
            it = cache_.emplace(id, spanKeyName(store_, span)).first;
        }
        return it->second;
    }

private:
    const EventStore& store_;
    std::unordered_map<std::uint64_t, std::string> cache_;
};

// A span cut by the capture's start or end has no true duration.
bool durationKnown(const Span& span) {
    return !(span.flags & (SpanFlag::OpenStart | SpanFlag::OpenEnd));
}

} // namespace

std::vector<LatencyGroup> buildLatencyGroups(const EventStore& store, const Analysis& analysis) {
    GroupCollector groups;
    KeyNames names(store);
    for (std::size_t i = 0; i < analysis.spans.size(); ++i) {
        const Span& span = analysis.spans[i];
        const auto mechanism = mechanismOf(span.kind);
        if (!mechanism) {
            continue;
        }
        const auto id = static_cast<std::uint32_t>(i);
        const std::string& key = names.of(span);
        if (durationKnown(span)) {
            groups.add(*mechanism, key, Metric::Duration, span.duration(), id);
        }
        const auto metric = waitMetricOf(*mechanism);
        if (metric && span.latencyKnown() && !(span.flags & SpanFlag::OpenStart)) {
            groups.add(*mechanism, key, *metric, span.latency(), id);
        }
    }
    for (std::size_t e = 0; e < analysis.episodes.size(); ++e) {
        const Episode& episode = analysis.episodes[e];
        if (episode.hardIrq == kNone || (episode.flags & EpisodeFlag::Incomplete)) {
            continue; // no end: its end-to-end latency is unknown
        }
        const Span& irq = analysis.spans[episode.hardIrq];
        if (irq.flags & SpanFlag::OpenStart) {
            continue; // began before the capture: no true start
        }
        groups.add(Mechanism::Episode, names.of(irq), Metric::EndToEnd,
                   episode.endToEnd(analysis.spans), static_cast<std::uint32_t>(e));
    }
    return groups.take();
}

std::string groupId(const LatencyGroup& group) {
    return groupId(group.mechanism, group.key, group.metric);
}

std::string groupId(Mechanism mechanism, std::string_view key, Metric metric) {
    return std::string(mechanismId(mechanism)) + "/" + std::string(key) + "/" +
           std::string(metricId(metric));
}

} // namespace irqlens
