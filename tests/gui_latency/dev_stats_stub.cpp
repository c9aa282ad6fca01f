// TEMPORARY, tests only: a minimal stand-in for core/stats while the real
// irqlens_stats library (the "cli" area) has not landed on main.  Compiled
// only when the target irqlens_stats does not exist; delete once it does.
#include "core/stats/distribution.h"
#include "core/stats/latency_groups.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace irqlens {

std::int64_t percentileSorted(std::span<const std::int64_t> sorted, double p) {
    if (sorted.empty())
        return 0;
    if (p <= 0)
        return sorted.front();
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    rank = std::clamp<std::size_t>(rank, 1, sorted.size());
    return sorted[rank - 1];
}

SortedSeries::SortedSeries(std::span<const std::int64_t> values)
    : sorted_(values.begin(), values.end()) {
    std::sort(sorted_.begin(), sorted_.end());
}

Summary SortedSeries::summary() const {
    Summary s;
    s.count = sorted_.size();
    if (sorted_.empty())
        return s;
    s.min = sorted_.front();
    s.max = sorted_.back();
    s.p50 = percentile(50);
    s.p90 = percentile(90);
    s.p99 = percentile(99);
    s.p999 = percentile(99.9);
    double sum = 0;
    for (auto v : sorted_)
        sum += static_cast<double>(v);
    s.mean = sum / static_cast<double>(s.count);
    return s;
}

double SortedSeries::cdfAt(std::int64_t x) const {
    if (sorted_.empty())
        return 0;
    return static_cast<double>(std::upper_bound(sorted_.begin(), sorted_.end(), x) -
                               sorted_.begin()) /
           static_cast<double>(sorted_.size());
}

Summary summarize(std::span<const std::int64_t> values) {
    return SortedSeries(values).summary();
}

Histogram logHistogram(const SortedSeries& series, int binsPerDecade, std::int64_t minNs,
                       std::int64_t maxNs) {
    Histogram h;
    const auto v = series.values();
    if (maxNs <= 0)
        maxNs = v.empty() ? 1 : v.back();
    for (int i = 0;; ++i) {
        const double e =
            static_cast<double>(minNs) * std::pow(10.0, static_cast<double>(i) / binsPerDecade);
        h.edges.push_back(e);
        if (e > static_cast<double>(maxNs))
            break;
    }
    h.counts.assign(h.edges.size() - 1, 0);
    for (auto x : v) {
        auto it = std::upper_bound(h.edges.begin(), h.edges.end(), static_cast<double>(x));
        auto bin = std::clamp<std::ptrdiff_t>(it - h.edges.begin() - 1, 0,
                                              static_cast<std::ptrdiff_t>(h.counts.size()) - 1);
        ++h.counts[static_cast<std::size_t>(bin)];
    }
    return h;
}

std::vector<CdfPoint> empiricalCdf(const SortedSeries& series, std::size_t maxPoints) {
    std::vector<CdfPoint> points;
    const auto v = series.values();
    const double n = static_cast<double>(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i + 1 < v.size() && v[i + 1] == v[i])
            continue;
        points.push_back({v[i], static_cast<double>(i + 1) / n});
    }
    if (points.size() > maxPoints) {
        std::vector<CdfPoint> thin;
        const std::size_t step = points.size() / maxPoints + 1;
        for (std::size_t i = 0; i < points.size(); i += step)
            thin.push_back(points[i]);
        thin.push_back(points.back());
        points = std::move(thin);
    }
    return points;
}

DeltaCi bootstrapPercentileDelta(const SortedSeries& a, const SortedSeries& b, double p,
                                 int resamples, std::uint64_t seed) {
    DeltaCi ci;
    const double pa = static_cast<double>(a.percentile(p)),
                 pb = static_cast<double>(b.percentile(p));
    ci.delta = pb - pa;
    ci.ratio = pa != 0 ? pb / pa : 0;
    std::mt19937_64 rng(seed);
    std::vector<double> deltas;
    auto resample = [&](const SortedSeries& s) {
        std::vector<std::int64_t> r(s.values().size());
        std::uniform_int_distribution<std::size_t> pick(0, r.size() - 1);
        for (auto& x : r)
            x = s.values()[pick(rng)];
        std::sort(r.begin(), r.end());
        return static_cast<double>(percentileSorted(r, p));
    };
    for (int i = 0; i < resamples; ++i)
        deltas.push_back(resample(b) - resample(a));
    std::sort(deltas.begin(), deltas.end());
    ci.low = deltas[static_cast<std::size_t>(0.025 * resamples)];
    ci.high = deltas[static_cast<std::size_t>(0.975 * resamples) - 1];
    return ci;
}

std::string groupId(const LatencyGroup& g) {
    return g.mechanism + "/" + g.key + "/" + g.metric;
}

// Only what the synthetic tests build: hard IRQ durations, workqueue queue
// latency and duration, irq-thread wake latency, episode end to end.
std::vector<LatencyGroup> buildLatencyGroups(const EventStore&, const Analysis& analysis) {
    std::vector<LatencyGroup> groups;
    auto add = [&](const char* mech, const std::string& key, const char* metric, std::int64_t v,
                   std::uint32_t id) {
        for (auto& g : groups) {
            if (g.mechanism == mech && g.key == key && g.metric == metric) {
                g.values.push_back(v);
                g.ids.push_back(id);
                return;
            }
        }
        groups.push_back({mech, key, metric, {v}, {id}});
    };
    for (std::uint32_t i = 0; i < analysis.spans.size(); ++i) {
        const Span& s = analysis.spans[i];
        const std::string key = std::to_string(s.key);
        if (s.kind == SpanKind::HardIrq)
            add("hardirq", key, "duration", s.duration(), i);
        if (s.kind == SpanKind::Workqueue) {
            if (s.latencyKnown())
                add("workqueue", key, "queue_to_start", s.latency(), i);
            add("workqueue", key, "duration", s.duration(), i);
        }
        if (s.kind == SpanKind::IrqThread && s.latencyKnown())
            add("irq_thread", "irq/" + key, "wake_to_run", s.latency(), i);
    }
    for (std::uint32_t e = 0; e < analysis.episodes.size(); ++e) {
        const Episode& ep = analysis.episodes[e];
        add("episode", std::to_string(analysis.spans[ep.hardIrq].key) + " irq", "end_to_end",
            ep.endToEnd(analysis.spans), e);
    }
    return groups;
}

} // namespace irqlens
