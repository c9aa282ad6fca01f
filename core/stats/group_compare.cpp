#include "core/stats/group_compare.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

namespace irqlens {

namespace {

constexpr std::array<std::string_view, 6> kMechanisms = {"hardirq",   "softirq",    "tasklet",
                                                         "workqueue", "irq_thread", "episode"};
constexpr std::array<std::string_view, 5> kMetrics = {
    "duration", "raise_to_entry", "queue_to_start", "wake_to_run", "end_to_end"};

template <std::size_t N>
bool known(const std::array<std::string_view, N>& names, std::string_view s) {
    return std::find(names.begin(), names.end(), s) != names.end();
}

bool isEpisodeEndToEnd(const LatencyGroup& g) {
    return g.mechanism == "episode" && g.metric == "end_to_end";
}

// IRQ number -> index of the single unpaired episode group with it (-1 if several).
std::map<long, long> episodesByIrq(const std::vector<LatencyGroup>& groups,
                                   const std::vector<bool>& paired) {
    std::map<long, long> byIrq;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (paired[i] || !isEpisodeEndToEnd(groups[i])) {
            continue;
        }
        if (auto irq = irqNumberOfKey(groups[i].key)) {
            auto [it, inserted] = byIrq.try_emplace(*irq, static_cast<long>(i));
            if (!inserted) {
                it->second = -1; // ambiguous: leave it to the user's --pair
            }
        }
    }
    return byIrq;
}

} // namespace

std::optional<GroupIdParts> parseGroupId(std::string_view id) {
    const auto first = id.find('/');
    const auto last = id.rfind('/');
    if (first == std::string_view::npos || first == last) {
        return std::nullopt;
    }
    GroupIdParts parts{std::string(id.substr(0, first)),
                       std::string(id.substr(first + 1, last - first - 1)),
                       std::string(id.substr(last + 1))};
    if (!known(kMechanisms, parts.mechanism) || !known(kMetrics, parts.metric)) {
        return std::nullopt;
    }
    return parts;
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
    long irq = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), irq);
    if (ec != std::errc() || end == key.data() || (end != key.data() + key.size() && *end != ' ')) {
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
    const auto irqA = episodesByIrq(a, pairedA);
    const auto irqB = episodesByIrq(b, pairedB);
    for (const auto& [irq, i] : irqA) {
        auto it = irqB.find(irq);
        if (i >= 0 && it != irqB.end() && it->second >= 0) {
            pairs.push_back({static_cast<std::size_t>(i), static_cast<std::size_t>(it->second)});
        }
    }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const GroupPair& x, const GroupPair& y) { return x.a < y.a; });
    return pairs;
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
