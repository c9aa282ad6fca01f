#include "core/stats/latency_groups.h"

#include <array>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace irqlens {

namespace {

// Mechanisms in the order the header documents (and the views list them).
constexpr std::array<std::string_view, 6> kMechanisms = {"hardirq",   "softirq",    "tasklet",
                                                         "workqueue", "irq_thread", "episode"};
constexpr int kEpisodeMechanism = 5;

// Mechanism index of a span kind, -1 for kinds that are not latency groups.
int mechanismOf(SpanKind kind) {
    switch (kind) {
    case SpanKind::HardIrq:
        return 0;
    case SpanKind::Softirq:
        return 1;
    case SpanKind::Tasklet:
        return 2;
    case SpanKind::Workqueue:
        return 3;
    case SpanKind::IrqThread:
        return 4;
    default:
        return -1;
    }
}

// What the "wait" metric of a mechanism is called; empty when it has none.
std::string_view latencyMetricOf(SpanKind kind) {
    switch (kind) {
    case SpanKind::Softirq:
    case SpanKind::Tasklet:
        return "raise_to_entry";
    case SpanKind::Workqueue:
        return "queue_to_start";
    case SpanKind::IrqThread:
        return "wake_to_run";
    default:
        return {};
    }
}

using GroupKey = std::tuple<int, std::string, std::string>; // mechanism index, key, metric

class GroupCollector {
public:
    void add(int mechanism, const std::string& key, std::string_view metric, std::int64_t value,
             std::uint32_t id) {
        auto [it, inserted] = groups_.try_emplace(GroupKey{mechanism, key, std::string(metric)});
        LatencyGroup& g = it->second;
        if (inserted) {
            g.mechanism = std::string(kMechanisms[static_cast<std::size_t>(mechanism)]);
            g.key = key;
            g.metric = std::string(metric);
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
        const int mechanism = mechanismOf(span.kind);
        if (mechanism < 0) {
            continue;
        }
        const auto id = static_cast<std::uint32_t>(i);
        const std::string& key = names.of(span);
        if (durationKnown(span)) {
            groups.add(mechanism, key, "duration", span.duration(), id);
        }
        const auto metric = latencyMetricOf(span.kind);
        if (!metric.empty() && span.latencyKnown() && !(span.flags & SpanFlag::OpenStart)) {
            groups.add(mechanism, key, metric, span.latency(), id);
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
        groups.add(kEpisodeMechanism, names.of(irq), "end_to_end", episode.endToEnd(analysis.spans),
                   static_cast<std::uint32_t>(e));
    }
    return groups.take();
}

std::string groupId(const LatencyGroup& group) {
    return group.mechanism + "/" + group.key + "/" + group.metric;
}

} // namespace irqlens
