// Descriptive statistics of a latency series: percentiles, log-binned
// histogram, empirical CDF, and a bootstrap confidence interval for the
// difference of two series' percentiles.  Pure functions, no Qt.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace irqlens {

// Percentile definition (documented for users): nearest rank on the sorted
// values, rank = ceil(p/100 * n), 1-based; p0 = min.  Exact for integers.
std::int64_t percentileSorted(std::span<const std::int64_t> sorted, double p);

struct Summary {
    std::size_t count = 0;
    std::int64_t min = 0, p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
    double mean = 0;
};
Summary summarize(std::span<const std::int64_t> values); // copies and sorts

// A sorted copy kept for repeated queries (rebin, CDF) without resorting.
class SortedSeries {
public:
    explicit SortedSeries(std::span<const std::int64_t> values);
    std::span<const std::int64_t> values() const { return sorted_; }
    std::int64_t percentile(double p) const { return percentileSorted(sorted_, p); }
    Summary summary() const;
    // Fraction of values <= x (0..1).
    double cdfAt(std::int64_t x) const;

private:
    std::vector<std::int64_t> sorted_;
};

// Logarithmic bins: `binsPerDecade` bins per factor of 10, from 1 ns up to
// the first edge above the max.  Values <= 0 land in the first bin.
struct Histogram {
    std::vector<double> edges;         // size bins+1, ascending, ns
    std::vector<std::uint64_t> counts; // size bins
};
Histogram logHistogram(const SortedSeries& series, int binsPerDecade = 10, std::int64_t minNs = 1,
                       std::int64_t maxNs = 0 /* 0: from data */);

struct CdfPoint {
    std::int64_t x;  // ns
    double fraction; // values <= x
};
// One point per distinct value, downsampled to at most maxPoints (keeping the tail exact).
std::vector<CdfPoint> empiricalCdf(const SortedSeries& series, std::size_t maxPoints = 2000);

struct DeltaCi {
    double delta = 0; // b - a, ns
    double ratio = 0; // b / a (0 when a is 0)
    double low = 0;   // 95 % bootstrap interval of the delta
    double high = 0;
};
// Percentile-bootstrap CI of percentile(b, p) - percentile(a, p), `resamples`
// resamples with a fixed seed so results are reproducible.
DeltaCi bootstrapPercentileDelta(const SortedSeries& a, const SortedSeries& b, double p,
                                 int resamples = 1000, std::uint64_t seed = 42);

} // namespace irqlens
