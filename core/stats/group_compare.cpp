#include "core/stats/group_compare.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

namespace irqlens {

namespace {

bool isEpisodeEndToEnd(const LatencyGroup& g) {
    return g.mechanism == Mechanism::Episode && g.metric == Metric::EndToEnd;
}

using IrqClass = std::tuple<Mechanism, Metric, long>; // mechanism, metric, IRQ number

// (mechanism, metric, IRQ number) -> index of the single unpaired group with
// it, -1 when several have it (ambiguous: left to the user's --pair).
std::map<IrqClass, long> groupsByIrq(const std::vector<LatencyGroup>& groups,
                                     const std::vector<bool>& paired) {
    std::map<IrqClass, long> byIrq;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (paired[i]) {
            continue;
        }
        if (auto irq = irqNumberOfKey(groups[i].key)) {
            auto [it, inserted] = byIrq.try_emplace(
                IrqClass{groups[i].mechanism, groups[i].metric, *irq}, static_cast<long>(i));
            if (!inserted) {
                it->second = -1;
            }
        }
    }
    return byIrq;
}

// The pair defaultPair prefers: a device IRQ's episodes, then any episodes,
// then anything; more values in A first.
std::tuple<bool, bool, std::size_t> pairRank(const std::vector<LatencyGroup>& a,
                                             const GroupPair& p) {
    const LatencyGroup& g = a[p.a];
    const bool episode = isEpisodeEndToEnd(g);
    return {episode && irqNumberOfKey(g.key).has_value(), episode, g.values.size()};
}

} // namespace

std::optional<GroupIdParts> parseGroupId(std::string_view id) {
    const auto first = id.find('/');
    const auto last = id.rfind('/');
    if (first == std::string_view::npos || first == last) {
        return std::nullopt;
    }
    const auto mechanism = mechanismById(id.substr(0, first));
    const auto metric = metricById(id.substr(last + 1));
    if (!mechanism || !metric) {
        return std::nullopt;
    }
    return GroupIdParts{*mechanism, std::string(id.substr(first + 1, last - first - 1)), *metric};
}

std::optional<std::size_t> findGroup(const std::vector<LatencyGroup>& groups, std::string_view id) {
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (groupId(groups[i]) == id) {
            return i;
        }
    }
    return std::nullopt;
}

std::optional<long> irqNumberOfKey(std::string_view key) {
    const bool thread = key.substr(0, 4) == "irq/";
    const std::string_view digits = thread ? key.substr(4) : key;
    long irq = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), irq);
    if (ec != std::errc() || end == digits.data() || irq < 0) {
        return std::nullopt;
    }
    const bool atEnd = end == digits.data() + digits.size();
    if (thread ? (atEnd || *end != '-') : (!atEnd && *end != ' ')) {
        return std::nullopt;
    }
    return irq;
}

std::vector<GroupPair> defaultPairs(const std::vector<LatencyGroup>& a,
                                    const std::vector<LatencyGroup>& b) {
    std::map<std::string, std::size_t> idsB;
    for (std::size_t j = 0; j < b.size(); ++j) {
        idsB.emplace(groupId(b[j]), j);
    }
    std::vector<GroupPair> pairs;
    std::vector<bool> pairedA(a.size(), false), pairedB(b.size(), false);
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (auto it = idsB.find(groupId(a[i])); it != idsB.end()) {
            pairs.push_back({i, it->second});
            pairedA[i] = pairedB[it->second] = true;
        }
    }
    const auto irqA = groupsByIrq(a, pairedA);
    const auto irqB = groupsByIrq(b, pairedB);
    for (const auto& [cls, i] : irqA) {
        auto it = irqB.find(cls);
        if (i >= 0 && it != irqB.end() && it->second >= 0) {
            pairs.push_back({static_cast<std::size_t>(i), static_cast<std::size_t>(it->second)});
        }
    }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const GroupPair& x, const GroupPair& y) { return x.a < y.a; });
    return pairs;
}

std::optional<std::size_t> largestGroup(const std::vector<LatencyGroup>& groups,
                                        Mechanism mechanism, Metric metric) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const LatencyGroup& g = groups[i];
        if (g.mechanism == mechanism && g.metric == metric &&
            (!best || g.values.size() > groups[*best].values.size())) {
            best = i;
        }
    }
    return best;
}

std::optional<GroupPair> defaultPair(const std::vector<LatencyGroup>& a,
                                     const std::vector<LatencyGroup>& b) {
    if (a.empty() || b.empty()) {
        return std::nullopt;
    }
    const auto pairs = defaultPairs(a, b);
    if (!pairs.empty()) {
        return *std::max_element(pairs.begin(), pairs.end(),
                                 [&a](const GroupPair& x, const GroupPair& y) {
                                     return pairRank(a, x) < pairRank(a, y);
                                 });
    }
    const std::size_t ia = largestGroup(a, Mechanism::Episode, Metric::EndToEnd).value_or(0);
    const std::size_t ib = largestGroup(b, a[ia].mechanism, a[ia].metric).value_or(0);
    return GroupPair{ia, ib};
}

std::optional<GroupPair> defaultPairWithin(const std::vector<LatencyGroup>& groups) {
    if (groups.size() < 2) {
        return std::nullopt;
    }
    const auto work = largestGroup(groups, Mechanism::WorkItem, Metric::QueueToStart);
    const auto thread = largestGroup(groups, Mechanism::IrqThread, Metric::WakeToRun);
    if (work && thread) {
        return GroupPair{*work, *thread};
    }
    std::vector<std::size_t> episodes;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (isEpisodeEndToEnd(groups[i])) {
            episodes.push_back(i);
        }
    }
    std::stable_sort(episodes.begin(), episodes.end(), [&groups](std::size_t x, std::size_t y) {
        return groups[x].values.size() > groups[y].values.size();
    });
    if (episodes.size() >= 2) {
        return GroupPair{episodes[0], episodes[1]};
    }
    return GroupPair{0, 1};
}

std::optional<std::size_t> matchingGroup(const LatencyGroup& a,
                                         const std::vector<LatencyGroup>& b) {
    if (auto same = findGroup(b, groupId(a))) {
        return same;
    }
    const auto irq = irqNumberOfKey(a.key);
    if (!irq) {
        return std::nullopt;
    }
    std::optional<std::size_t> match;
    for (std::size_t j = 0; j < b.size(); ++j) {
        if (b[j].mechanism == a.mechanism && b[j].metric == a.metric &&
            irqNumberOfKey(b[j].key) == irq) {
            if (match) {
                return std::nullopt; // two candidates: not for us to choose
            }
            match = j;
        }
    }
    return match;
}

std::optional<std::vector<GroupPair>> userPairs(const std::vector<LatencyGroup>& a,
                                                const std::vector<LatencyGroup>& b,
                                                std::string_view spec, std::string& error) {
    const auto eq = spec.find('=');
    if (eq == std::string_view::npos) {
        error = "pair '" + std::string(spec) + "' is not LEFT=RIGHT";
        return std::nullopt;
    }
    const auto left = spec.substr(0, eq);
    const auto right = spec.substr(eq + 1);
    if (parseGroupId(left) && parseGroupId(right)) {
        const auto i = findGroup(a, left);
        const auto j = findGroup(b, right);
        if (!i || !j) {
            error =
                "no group '" + std::string(!i ? left : right) + "' in capture " + (!i ? "A" : "B");
            return std::nullopt;
        }
        return std::vector<GroupPair>{{*i, *j}};
    }
    std::vector<GroupPair> pairs;
    for (std::size_t i = 0; i < a.size(); ++i) {
        for (std::size_t j = 0; j < b.size() && a[i].key == left; ++j) {
            if (b[j].key == right && a[i].mechanism == b[j].mechanism &&
                a[i].metric == b[j].metric) {
                pairs.push_back({i, j});
            }
        }
    }
    if (pairs.empty()) {
        error = "no group with key '" + std::string(left) + "' in A and the same mechanism and " +
                "metric with key '" + std::string(right) + "' in B";
        return std::nullopt;
    }
    return pairs;
}

GroupComparison compareGroups(const LatencyGroup& a, const LatencyGroup& b, int resamples,
                              std::uint64_t seed) {
    const SortedSeries sa(a.values);
    const SortedSeries sb(b.values);
    GroupComparison c;
    c.a = sa.summary();
    c.b = sb.summary();
    c.p50 = bootstrapPercentileDelta(sa, sb, 50, resamples, seed);
    c.p99 = bootstrapPercentileDelta(sa, sb, 99, resamples, seed);
    return c;
}

} // namespace irqlens
