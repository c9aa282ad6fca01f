// sortNearlySorted (the span order of analyze()) against std::sort,
// permuteInPlace against a copy, and the
// forward timestamp reader of CpuEvents against ts() across clock wraps of
// the low 32 bits.
#include "core/model/cpu_events.h"
#include "core/spans/reorder.h"

#include <gtest/gtest.h>
#include <numeric>
#include <random>
#include <string>

namespace irqlens::test {
namespace {

// `late` elements are moved from random places to random earlier or later
// places, as analyze()'s late spans are.
std::vector<int> nearlySorted(std::size_t n, std::size_t late, std::mt19937& rng) {
    std::vector<int> v(n);
    std::iota(v.begin(), v.end(), 0);
    for (std::size_t k = 0; k < late && n > 1; ++k) {
        std::uniform_int_distribution<std::size_t> pick(0, n - 1);
        std::swap(v[pick(rng)], v[pick(rng)]);
    }
    return v;
}

TEST(NearlySorted, SameOrderAsAFullSort) {
    std::mt19937 rng(42);
    std::vector<int> scratch;
    for (std::size_t n : {0u, 1u, 2u, 3u, 17u, 1000u, 100000u}) {
        for (std::size_t late : {0u, 1u, 5u, 50u, 5000u}) {
            std::vector<int> v = nearlySorted(n, late, rng);
            std::vector<int> expected = v;
            std::sort(expected.begin(), expected.end());
            sortNearlySorted(v.begin(), v.end(), std::less<int>(), scratch);
            EXPECT_EQ(v, expected) << "n=" << n << " late=" << late;
        }
    }
}

TEST(NearlySorted, FirstElementFarOutOfPlaceAndDuplicates) {
    std::vector<int> scratch;
    std::vector<int> v = {90, 1, 2, 2, 3, 4, 4, 0, 5, 90, 6};
    std::vector<int> expected = v;
    std::sort(expected.begin(), expected.end());
    sortNearlySorted(v.begin(), v.end(), std::less<int>(), scratch);
    EXPECT_EQ(v, expected);
    std::vector<int> reversed = {5, 4, 3, 2, 1, 0};
    sortNearlySorted(reversed.begin(), reversed.end(), std::less<int>(), scratch);
    EXPECT_EQ(reversed, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

TEST(PermuteInPlace, SameAsACopyForRandomAndStructuredPermutations) {
    std::mt19937 rng(7);
    for (std::size_t n : {0u, 1u, 2u, 5u, 1000u, 65536u}) {
        std::vector<std::uint32_t> order(n);
        std::iota(order.begin(), order.end(), 0u);
        std::shuffle(order.begin(), order.end(), rng);
        if (n == 1000) {
            std::reverse(order.begin(), order.end()); // one long set of 2-cycles
        }
        std::vector<std::string> values(n);
        for (std::size_t i = 0; i < n; ++i) {
            values[i] = "span " + std::to_string(i);
        }
        std::vector<std::string> expected(n);
        for (std::size_t i = 0; i < n; ++i) {
            expected[i] = values[order[i]];
        }
        permuteInPlace(values, order);
        EXPECT_EQ(values, expected) << "n=" << n;
    }
}

TEST(CpuEventsForward, EqualsTsAcrossLowWordWraps) {
    CpuEvents col;
    std::vector<std::int64_t> expected;
    // 1.3 s apart: the low 32 bits (4.29 s) wrap every 3-4 events, 30 s in all.
    for (std::int64_t t = 1000; t < 30'000'000'000; t += 1'300'000'017) {
        EventFields f{};
        f.ts = t;
        col.append(f, 0);
        expected.push_back(t);
    }
    ASSERT_EQ(col.size(), expected.size());
    std::size_t segment = 0;
    for (std::size_t i = 0; i < col.size(); ++i) {
        EXPECT_EQ(col.tsForward(i, segment), expected[i]) << i;
        EXPECT_EQ(col.ts(i), expected[i]) << i;
    }
}

} // namespace
} // namespace irqlens::test
