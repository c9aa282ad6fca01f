// How fast the latency view reacts on 1 M spans:
//  - Rebin: a new histogram (bins per decade changed, or range zoomed) of a
//    group already sorted — the target is <= 50 ms;
//  - GroupSwitch: choosing another group: sort 1 M values, then summary,
//    histogram and CDF;
//  - Bootstrap: the p99 delta interval of two 1 M-value groups.
// Values are log-normal around 20 us, like real softirq/workqueue latencies.
#include "core/stats/distribution.h"

#include <benchmark/benchmark.h>
#include <random>

namespace {

std::vector<std::int64_t> latencies(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::lognormal_distribution<double> dist(10.0, 1.2);
    std::vector<std::int64_t> v(n);
    for (auto& x : v) {
        x = static_cast<std::int64_t>(dist(rng));
    }
    return v;
}

constexpr std::size_t kSpans = 1'000'000;

void Rebin(benchmark::State& state) {
    const irqlens::SortedSeries series(latencies(kSpans, 1));
    int binsPerDecade = static_cast<int>(state.range(0));
    for (auto _ : state) {
        auto histogram = irqlens::logHistogram(series, binsPerDecade);
        benchmark::DoNotOptimize(histogram);
    }
    state.counters["spans"] = static_cast<double>(kSpans);
}
BENCHMARK(Rebin)->Arg(10)->Arg(50)->Unit(benchmark::kMillisecond);

void GroupSwitch(benchmark::State& state) {
    const auto values = latencies(kSpans, 2);
    for (auto _ : state) {
        const irqlens::SortedSeries series(values);
        auto summary = series.summary();
        auto histogram = irqlens::logHistogram(series, 10);
        auto cdf = irqlens::empiricalCdf(series);
        benchmark::DoNotOptimize(summary);
        benchmark::DoNotOptimize(histogram);
        benchmark::DoNotOptimize(cdf);
    }
    state.counters["spans"] = static_cast<double>(kSpans);
}
BENCHMARK(GroupSwitch)->Unit(benchmark::kMillisecond);

void Bootstrap(benchmark::State& state) {
    const irqlens::SortedSeries a(latencies(kSpans, 3));
    const irqlens::SortedSeries b(latencies(kSpans, 4));
    for (auto _ : state) {
        auto ci = irqlens::bootstrapPercentileDelta(a, b, 99);
        benchmark::DoNotOptimize(ci);
    }
}
BENCHMARK(Bootstrap)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
