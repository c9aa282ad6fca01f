#include "core/stats/distribution.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <random>
#include <utility>

namespace irqlens {

namespace {

// Percentiles are taken in thousandths of a percent so that the nearest rank
// is computed in integers: ceil(0.999 * 1000) must be 999, which the double
// product 99.9 / 100 * 1000 (= 999.0000000000001) would round up to 1000.
constexpr std::int64_t kPercentScale = 100'000; // p = 100 % -> 100000

std::size_t nearestRank(std::size_t n, double p) {
    if (n == 0) {
        return 0;
    }
    const double clamped = std::clamp(p, 0.0, 100.0);
    const auto scaled = static_cast<std::int64_t>(std::llround(clamped * 1000.0));
    const auto count = static_cast<std::int64_t>(n);
    std::int64_t rank = (scaled * count + kPercentScale - 1) / kPercentScale;
    rank = std::clamp<std::int64_t>(rank, 1, count);
    return static_cast<std::size_t>(rank); // 1-based
}

// Sorting dominates switching the latency view to a new group (1 M values:
// ~75 ms with std::sort).  An LSD radix sort on bytes does it in a few passes,
// and the passes where every value has the same byte (the high bytes of
// nanosecond latencies) are skipped.
void sortValues(std::vector<std::int64_t>& values) {
    constexpr std::size_t kRadixFrom = 1 << 14; // below this, std::sort is as fast
    if (values.size() < kRadixFrom) {
        std::sort(values.begin(), values.end());
        return;
    }
    // Flipping the sign bit makes the unsigned order the signed order.
    constexpr std::uint64_t kSign = 1ull << 63;
    std::vector<std::uint64_t> keys(values.size());
    std::vector<std::array<std::size_t, 256>> counts(8, std::array<std::size_t, 256>{});
    for (std::size_t i = 0; i < values.size(); ++i) {
        keys[i] = static_cast<std::uint64_t>(values[i]) ^ kSign;
        for (int b = 0; b < 8; ++b) {
            ++counts[b][(keys[i] >> (8 * b)) & 0xff];
        }
    }
    std::vector<std::uint64_t> scratch(keys.size());
    for (int b = 0; b < 8; ++b) {
        auto& count = counts[b];
        if (std::find(count.begin(), count.end(), keys.size()) != count.end()) {
            continue; // every key has the same byte here
        }
        std::size_t offset = 0;
        for (auto& c : count) {
            offset += std::exchange(c, offset);
        }
        for (const auto key : keys) {
            scratch[count[(key >> (8 * b)) & 0xff]++] = key;
        }
        keys.swap(scratch);
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
        values[i] = static_cast<std::int64_t>(keys[i] ^ kSign);
    }
}

} // namespace

std::int64_t percentileSorted(std::span<const std::int64_t> sorted, double p) {
    if (sorted.empty()) {
        return 0;
    }
    return sorted[nearestRank(sorted.size(), p) - 1];
}

namespace {

Summary summarizeSorted(std::span<const std::int64_t> sorted) {
    Summary s;
    s.count = sorted.size();
    if (sorted.empty()) {
        return s;
    }
    s.min = sorted.front();
    s.max = sorted.back();
    s.p50 = percentileSorted(sorted, 50);
    s.p90 = percentileSorted(sorted, 90);
    s.p99 = percentileSorted(sorted, 99);
    s.p999 = percentileSorted(sorted, 99.9);
    // long double: a sum of 1e6 values of 1e9 ns still keeps every digit.
    const long double sum = std::accumulate(sorted.begin(), sorted.end(), 0.0L);
    s.mean = static_cast<double>(sum / static_cast<long double>(sorted.size()));
    return s;
}

} // namespace

Summary summarize(std::span<const std::int64_t> values) {
    std::vector<std::int64_t> sorted(values.begin(), values.end());
    sortValues(sorted);
    return summarizeSorted(sorted);
}

SortedSeries::SortedSeries(std::span<const std::int64_t> values)
    : sorted_(values.begin(), values.end()) {
    sortValues(sorted_);
}

Summary SortedSeries::summary() const {
    return summarizeSorted(sorted_);
}

double SortedSeries::cdfAt(std::int64_t x) const {
    if (sorted_.empty()) {
        return 0;
    }
    const auto atOrBelow = std::upper_bound(sorted_.begin(), sorted_.end(), x) - sorted_.begin();
    return static_cast<double>(atOrBelow) / static_cast<double>(sorted_.size());
}

namespace {

// Edge i of a log scale with `perDecade` edges per factor of 10.  Whole
// decades are multiplied in integers so that 1, 10, 100 ... are exact.
double logEdge(std::int64_t minNs, int perDecade, int i) {
    double decade = 1;
    for (int d = 0; d < i / perDecade; ++d) {
        decade *= 10;
    }
    const double within = std::pow(10.0, static_cast<double>(i % perDecade) / perDecade);
    return static_cast<double>(minNs) * decade * within;
}

} // namespace

Histogram logHistogram(const SortedSeries& series, int binsPerDecade, std::int64_t minNs,
                       std::int64_t maxNs) {
    binsPerDecade = std::max(binsPerDecade, 1);
    minNs = std::max<std::int64_t>(minNs, 1);
    const auto values = series.values();
    const std::int64_t top = maxNs > 0 ? maxNs : (values.empty() ? minNs : values.back());

    Histogram h;
    h.edges.push_back(logEdge(minNs, binsPerDecade, 0));
    // The first edge strictly above the top value closes the last bin; at
    // least one bin even when every value is below minNs.
    for (int i = 1; h.edges.size() < 2 || h.edges.back() <= static_cast<double>(top); ++i) {
        h.edges.push_back(logEdge(minNs, binsPerDecade, i));
    }
    const std::size_t bins = h.edges.size() - 1;
    h.counts.assign(bins, 0);

    // The series is sorted, so each bin is one range found by binary search:
    // O(bins * log n), which is what makes rebinning 1 M values instant.
    std::size_t begin = 0;
    for (std::size_t b = 0; b < bins; ++b) {
        std::size_t end = values.size();
        if (b + 1 < bins) {
            const double upper = h.edges[b + 1];
            end = static_cast<std::size_t>(
                std::lower_bound(
                    values.begin() + static_cast<std::ptrdiff_t>(begin), values.end(), upper,
                    [](std::int64_t v, double e) { return static_cast<double>(v) < e; }) -
                values.begin());
        }
        h.counts[b] = end - begin; // values below minNs land in bin 0, above the top in the last
        begin = end;
    }
    return h;
}

std::vector<CdfPoint> empiricalCdf(const SortedSeries& series, std::size_t maxPoints) {
    const auto values = series.values();
    const double n = static_cast<double>(values.size());
    std::vector<CdfPoint> all;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i + 1 == values.size() || values[i + 1] != values[i]) {
            all.push_back({values[i], static_cast<double>(i + 1) / n});
        }
    }
    maxPoints = std::max<std::size_t>(maxPoints, 2);
    if (all.size() <= maxPoints) {
        return all;
    }
    // The tail is what latency work is about: keep its last half of the
    // budget exactly, and thin the body evenly (always keeping its first point).
    const std::size_t tail = maxPoints / 2;
    const std::size_t body = all.size() - tail;
    const std::size_t bodyBudget = maxPoints - tail;
    std::vector<CdfPoint> out;
    out.reserve(maxPoints);
    for (std::size_t k = 0; k < bodyBudget; ++k) {
        out.push_back(all[k * body / bodyBudget]);
    }
    out.insert(out.end(), all.end() - static_cast<std::ptrdiff_t>(tail), all.end());
    return out;
}

namespace {

// The value at `rank` (1-based) of a bootstrap resample of `sorted`, drawn
// in O(1) instead of O(n): the k-th smallest of n uniform draws U(0,1) is
// Beta(k, n-k+1), and the resample's k-th smallest index is floor(n * U_(k))
// (floor is monotone, so order statistics carry over exactly).
std::int64_t resampledOrderStatistic(std::span<const std::int64_t> sorted, std::size_t rank,
                                     std::mt19937_64& rng) {
    const std::size_t n = sorted.size();
    std::gamma_distribution<double> x(static_cast<double>(rank), 1.0);
    std::gamma_distribution<double> y(static_cast<double>(n - rank + 1), 1.0);
    const double gx = x(rng);
    const double gy = y(rng);
    const double u = gx / (gx + gy);
    const auto index = std::min(static_cast<std::size_t>(u * static_cast<double>(n)), n - 1);
    return sorted[index];
}

} // namespace

DeltaCi bootstrapPercentileDelta(const SortedSeries& a, const SortedSeries& b, double p,
                                 int resamples, std::uint64_t seed) {
    DeltaCi ci;
    const auto av = a.values();
    const auto bv = b.values();
    if (av.empty() || bv.empty()) {
        return ci;
    }
    const auto pa = percentileSorted(av, p);
    const auto pb = percentileSorted(bv, p);
    ci.delta = static_cast<double>(pb - pa);
    ci.ratio = pa != 0 ? static_cast<double>(pb) / static_cast<double>(pa) : 0.0;

    resamples = std::max(resamples, 1);
    const std::size_t rankA = nearestRank(av.size(), p);
    const std::size_t rankB = nearestRank(bv.size(), p);
    std::mt19937_64 rng(seed);
    std::vector<std::int64_t> deltas(static_cast<std::size_t>(resamples));
    for (auto& d : deltas) {
        const auto ra = resampledOrderStatistic(av, rankA, rng);
        const auto rb = resampledOrderStatistic(bv, rankB, rng);
        d = rb - ra;
    }
    std::sort(deltas.begin(), deltas.end());
    ci.low = static_cast<double>(percentileSorted(deltas, 2.5));
    ci.high = static_cast<double>(percentileSorted(deltas, 97.5));
    return ci;
}

} // namespace irqlens
