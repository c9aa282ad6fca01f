// The bootstrap interval of a percentile difference: zero for identical
// series, clear of zero for a real shift, reproducible, and close to what a
// plain resample-and-sort bootstrap (written here independently) gives.
#include "core/stats/distribution.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <random>

namespace irqlens {
namespace {

std::vector<std::int64_t> lognormalSeries(std::size_t n, std::uint64_t seed, double shift = 0) {
    std::mt19937_64 rng(seed);
    std::lognormal_distribution<double> dist(8.0, 0.5); // ~3 us median, like a softirq wait
    std::vector<std::int64_t> v(n);
    for (auto& x : v) {
        x = static_cast<std::int64_t>(dist(rng) + shift);
    }
    return v;
}

TEST(Bootstrap, IdenticalSeriesGiveZeroDeltaAndIntervalAroundZero) {
    const SortedSeries a(lognormalSeries(500, 3));
    const SortedSeries b(lognormalSeries(500, 3));
    for (double p : {50.0, 99.0}) {
        const DeltaCi ci = bootstrapPercentileDelta(a, b, p);
        EXPECT_EQ(ci.delta, 0.0);
        EXPECT_DOUBLE_EQ(ci.ratio, 1.0);
        EXPECT_LE(ci.low, 0.0);
        EXPECT_GE(ci.high, 0.0);
        EXPECT_LT(ci.low, ci.high); // a real interval, not a point
    }
}

TEST(Bootstrap, ConstantSeriesGiveAPointIntervalAtZero) {
    const std::vector<std::int64_t> v(100, 1234);
    const DeltaCi ci = bootstrapPercentileDelta(SortedSeries(v), SortedSeries(v), 50);
    EXPECT_EQ(ci.delta, 0.0);
    EXPECT_EQ(ci.low, 0.0);
    EXPECT_EQ(ci.high, 0.0);
}

TEST(Bootstrap, RealShiftIsOutsideZero) {
    const SortedSeries a(lognormalSeries(2000, 5));
    const SortedSeries b(lognormalSeries(2000, 6, 2000.0)); // B is 2 us slower
    const DeltaCi ci = bootstrapPercentileDelta(a, b, 50);
    EXPECT_GT(ci.low, 0.0);
    EXPECT_LE(ci.low, ci.delta);
    EXPECT_GE(ci.high, ci.delta);
    EXPECT_NEAR(ci.delta, 2000.0, 300.0);
    EXPECT_GT(ci.ratio, 1.5);
}

TEST(Bootstrap, SameSeedSameInterval) {
    const SortedSeries a(lognormalSeries(300, 8));
    const SortedSeries b(lognormalSeries(300, 9));
    const DeltaCi x = bootstrapPercentileDelta(a, b, 99, 500, 11);
    const DeltaCi y = bootstrapPercentileDelta(a, b, 99, 500, 11);
    EXPECT_EQ(x.low, y.low);
    EXPECT_EQ(x.high, y.high);
}

TEST(Bootstrap, EmptySideGivesNoInterval) {
    const SortedSeries a(lognormalSeries(10, 1));
    const DeltaCi ci = bootstrapPercentileDelta(a, SortedSeries({}), 50);
    EXPECT_EQ(ci.delta, 0.0);
    EXPECT_EQ(ci.low, 0.0);
    EXPECT_EQ(ci.high, 0.0);
}

// The textbook bootstrap: draw n values with replacement, sort, take the
// nearest-rank percentile; repeat; take the 2.5 % and 97.5 % of the deltas.
std::pair<double, double> naiveBootstrap(const std::vector<std::int64_t>& a,
                                         const std::vector<std::int64_t>& b, double p,
                                         int resamples) {
    std::mt19937_64 rng(99);
    auto resampledPercentile = [&](const std::vector<std::int64_t>& v) {
        std::uniform_int_distribution<std::size_t> pick(0, v.size() - 1);
        std::vector<std::int64_t> r(v.size());
        for (auto& x : r) {
            x = v[pick(rng)];
        }
        std::sort(r.begin(), r.end());
        const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * double(r.size())));
        return r[std::max<std::size_t>(rank, 1) - 1];
    };
    std::vector<double> deltas;
    for (int i = 0; i < resamples; ++i) {
        const auto pa = resampledPercentile(a);
        deltas.push_back(double(resampledPercentile(b) - pa));
    }
    std::sort(deltas.begin(), deltas.end());
    return {deltas[std::size_t(0.025 * resamples)], deltas[std::size_t(0.975 * resamples) - 1]};
}

TEST(Bootstrap, AgreesWithPlainResampling) {
    const auto a = lognormalSeries(400, 21);
    const auto b = lognormalSeries(400, 22, 300.0);
    for (double p : {50.0, 90.0}) {
        const DeltaCi ours = bootstrapPercentileDelta(SortedSeries(a), SortedSeries(b), p, 4000);
        const auto [low, high] = naiveBootstrap(a, b, p, 4000);
        const double width = high - low;
        EXPECT_NEAR(ours.low, low, 0.15 * width) << "p" << p;
        EXPECT_NEAR(ours.high, high, 0.15 * width) << "p" << p;
    }
}

} // namespace
} // namespace irqlens
