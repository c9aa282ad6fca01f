// Percentiles, histogram and CDF on synthetic series whose answers are known
// by hand (nearest rank: the value at rank ceil(p/100 * n)).
#include "core/stats/distribution.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <limits>
#include <numeric>
#include <random>

namespace irqlens {
namespace {

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
    std::vector<std::int64_t> v(static_cast<std::size_t>(to - from + 1));
    std::iota(v.begin(), v.end(), from);
    return v;
}

std::vector<std::int64_t> shuffled(std::vector<std::int64_t> v) {
    std::mt19937 rng(7);
    std::shuffle(v.begin(), v.end(), rng);
    return v;
}

TEST(Percentiles, OneToThousandNearestRank) {
    const Summary s = summarize(shuffled(range(1, 1000)));
    EXPECT_EQ(s.count, 1000u);
    EXPECT_EQ(s.min, 1);
    EXPECT_EQ(s.p50, 500);
    EXPECT_EQ(s.p90, 900);
    EXPECT_EQ(s.p99, 990);
    EXPECT_EQ(s.p999, 999); // ceil(0.999 * 1000) = 999, not 1000
    EXPECT_EQ(s.max, 1000);
    EXPECT_DOUBLE_EQ(s.mean, 500.5);
}

TEST(Percentiles, TenValuesRoundRankUp) {
    const auto v = range(1, 10);
    std::vector<std::int64_t> tens;
    for (auto x : v) {
        tens.push_back(x * 10);
    }
    EXPECT_EQ(percentileSorted(tens, 0), 10);   // p0 = min
    EXPECT_EQ(percentileSorted(tens, 25), 30);  // rank ceil(2.5) = 3
    EXPECT_EQ(percentileSorted(tens, 50), 50);  // rank 5
    EXPECT_EQ(percentileSorted(tens, 51), 60);  // rank ceil(5.1) = 6
    EXPECT_EQ(percentileSorted(tens, 99), 100); // rank ceil(9.9) = 10
    EXPECT_EQ(percentileSorted(tens, 100), 100);
}

TEST(Percentiles, NoFloatingPointRankDrift) {
    // 0.07 * 100 is 7.000000000000001 in doubles; the rank must still be 7.
    const auto v = range(1, 100);
    EXPECT_EQ(percentileSorted(v, 7), 7);
    EXPECT_EQ(percentileSorted(v, 29), 29);
    EXPECT_EQ(percentileSorted(v, 57), 57);
    const auto big = range(1, 100000);
    EXPECT_EQ(percentileSorted(big, 99.9), 99900);
    EXPECT_EQ(percentileSorted(big, 99.99), 99990);
}

TEST(Percentiles, SingleAndEmpty) {
    const std::vector<std::int64_t> one = {42};
    EXPECT_EQ(percentileSorted(one, 0), 42);
    EXPECT_EQ(percentileSorted(one, 99.9), 42);
    EXPECT_EQ(summarize({}).count, 0u);
    EXPECT_EQ(percentileSorted({}, 50), 0);
}

TEST(SortedSeriesTest, LargeSeriesSortedLikeStdSort) {
    // Large series take the radix path: negative, huge and repeated values.
    std::mt19937_64 rng(3);
    std::vector<std::int64_t> v(200000);
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto r = static_cast<std::int64_t>(rng());
        v[i] = i % 3 == 0 ? r : i % 3 == 1 ? (r & 0xffffff) : -(r & 0xffff);
    }
    v[5] = std::numeric_limits<std::int64_t>::min();
    v[6] = std::numeric_limits<std::int64_t>::max();
    std::vector<std::int64_t> expected = v;
    std::sort(expected.begin(), expected.end());
    const SortedSeries s(v);
    EXPECT_TRUE(std::equal(s.values().begin(), s.values().end(), expected.begin(), expected.end()));
    EXPECT_EQ(summarize(v).p50, expected[99999]);
}

TEST(SortedSeriesTest, CdfAtCountsValuesAtOrBelow) {
    const std::vector<std::int64_t> v = {3, 1, 3, 2, 1, 3};
    const SortedSeries s(v);
    EXPECT_DOUBLE_EQ(s.cdfAt(0), 0.0);
    EXPECT_DOUBLE_EQ(s.cdfAt(1), 2.0 / 6);
    EXPECT_DOUBLE_EQ(s.cdfAt(2), 3.0 / 6);
    EXPECT_DOUBLE_EQ(s.cdfAt(3), 1.0);
    EXPECT_EQ(s.percentile(50), 2);
    EXPECT_EQ(s.summary().max, 3);
}

TEST(LogHistogram, OneBinPerDecade) {
    const std::vector<std::int64_t> v = {0, 1, 5, 10, 99, 100, 1000};
    const Histogram h = logHistogram(SortedSeries(v), 1);
    // Edges up to the first one above the max (1000): 1, 10, 100, 1000, 10000.
    EXPECT_EQ(h.edges, (std::vector<double>{1, 10, 100, 1000, 10000}));
    // [1,10) gets 0 (values <= 0 go to the first bin), 1, 5.
    EXPECT_EQ(h.counts, (std::vector<std::uint64_t>{3, 2, 1, 1}));
}

TEST(LogHistogram, TenBinsPerDecadeEdges) {
    const Histogram h = logHistogram(SortedSeries(range(1, 1000)), 10);
    ASSERT_EQ(h.edges.size(), 32u); // 1 .. 10^3.1, the first edge above 1000
    EXPECT_DOUBLE_EQ(h.edges[0], 1.0);
    EXPECT_DOUBLE_EQ(h.edges[10], 10.0);
    EXPECT_DOUBLE_EQ(h.edges[20], 100.0);
    EXPECT_DOUBLE_EQ(h.edges[30], 1000.0);
    EXPECT_NEAR(h.edges[1], 1.2589254117941673, 1e-12);
    EXPECT_NEAR(h.edges[31], 1258.9254117941673, 1e-9);
    for (std::size_t i = 1; i < h.edges.size(); ++i) {
        EXPECT_LT(h.edges[i - 1], h.edges[i]);
    }
    // Integers in [10^0.3, 10^0.4) = [1.995, 2.512): only 2.
    EXPECT_EQ(h.counts[3], 1u);
    // [100, 125.89): 100..125 = 26 values; [1000, 1258.9): only 1000.
    EXPECT_EQ(h.counts[20], 26u);
    EXPECT_EQ(h.counts[30], 1u);
    EXPECT_EQ(std::accumulate(h.counts.begin(), h.counts.end(), std::uint64_t{0}), 1000u);
}

TEST(LogHistogram, FixedRangeClampsOutliersIntoLastBin) {
    const std::vector<std::int64_t> v = {5, 50, 500, 5000};
    const Histogram h = logHistogram(SortedSeries(v), 1, 1, 100);
    EXPECT_EQ(h.edges, (std::vector<double>{1, 10, 100, 1000}));
    EXPECT_EQ(h.counts, (std::vector<std::uint64_t>{1, 1, 2}));
}

TEST(LogHistogram, MinimumAboveOneNanosecond) {
    const std::vector<std::int64_t> v = {50, 150, 2000};
    const Histogram h = logHistogram(SortedSeries(v), 1, 100);
    EXPECT_EQ(h.edges, (std::vector<double>{100, 1000, 10000}));
    EXPECT_EQ(h.counts, (std::vector<std::uint64_t>{2, 1}));
}

TEST(LogHistogram, EmptySeriesHasOneEmptyBin) {
    const Histogram h = logHistogram(SortedSeries({}), 10);
    ASSERT_EQ(h.counts.size(), 1u);
    EXPECT_EQ(h.edges.size(), 2u);
    EXPECT_EQ(h.counts[0], 0u);
}

TEST(EmpiricalCdf, OnePointPerDistinctValue) {
    const std::vector<std::int64_t> v = {3, 1, 3, 2, 1, 3};
    const auto cdf = empiricalCdf(SortedSeries(v));
    ASSERT_EQ(cdf.size(), 3u);
    EXPECT_EQ(cdf[0].x, 1);
    EXPECT_DOUBLE_EQ(cdf[0].fraction, 2.0 / 6);
    EXPECT_EQ(cdf[1].x, 2);
    EXPECT_DOUBLE_EQ(cdf[1].fraction, 3.0 / 6);
    EXPECT_EQ(cdf[2].x, 3);
    EXPECT_DOUBLE_EQ(cdf[2].fraction, 1.0);
}

TEST(EmpiricalCdf, DownsampledStaysMonotoneAndKeepsTheTail) {
    std::mt19937_64 rng(1);
    std::lognormal_distribution<double> dist(9.0, 1.0);
    std::vector<std::int64_t> v(100000);
    for (auto& x : v) {
        x = static_cast<std::int64_t>(dist(rng));
    }
    const SortedSeries s(v);
    const auto cdf = empiricalCdf(s, 200);
    ASSERT_LE(cdf.size(), 200u);
    ASSERT_GE(cdf.size(), 100u);
    for (std::size_t i = 1; i < cdf.size(); ++i) {
        EXPECT_LT(cdf[i - 1].x, cdf[i].x);
        EXPECT_LT(cdf[i - 1].fraction, cdf[i].fraction);
    }
    EXPECT_EQ(cdf.front().x, s.values().front());
    EXPECT_DOUBLE_EQ(cdf.back().fraction, 1.0);
    EXPECT_EQ(cdf.back().x, s.values().back());
    // Every kept point is exact: its fraction is the share of values <= x.
    for (const auto& p : cdf) {
        EXPECT_DOUBLE_EQ(p.fraction, s.cdfAt(p.x));
    }
    // The last 100 distinct values (the tail) are all there.
    std::vector<std::int64_t> distinct(s.values().begin(), s.values().end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    for (std::size_t k = 0; k < 100; ++k) {
        EXPECT_EQ(cdf[cdf.size() - 1 - k].x, distinct[distinct.size() - 1 - k]);
    }
}

} // namespace
} // namespace irqlens
