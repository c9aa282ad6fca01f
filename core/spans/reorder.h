// Reordering helpers of analyze(): sorting a range that is in order but for
// a few late elements, and applying a permutation without a second vector.
#pragma once

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

namespace irqlens {

// The span buckets of analyze() are in start order but for a few spans
// appended late (OpenStart spans, irq threads first seen switching out).
// Those are lifted out, sorted alone and merged back: O(n + k log k) and a
// forward scan, instead of a full sort through an index (which was half of
// analyze() on a 10 M-event capture, mostly cache misses).  A range whose
// first element is far out of place degrades to a full sort, never to a
// wrong order.  `scratch` is reused between calls.
template <typename It, typename Less>
void sortNearlySorted(It first, It last, Less less,
                      std::vector<typename std::iterator_traits<It>::value_type>& scratch) {
    if (std::is_sorted(first, last, less)) {
        return;
    }
    scratch.clear();
    It kept = first;
    for (It it = first; it != last; ++it) {
        if (kept == first || !less(*it, *(kept - 1))) {
            *kept++ = *it;
        } else {
            scratch.push_back(*it);
        }
    }
    std::sort(scratch.begin(), scratch.end(), less);
    // Merged from the back, so no kept element is overwritten before it moved.
    It out = last;
    auto late = scratch.end();
    while (late != scratch.begin()) {
        if (kept != first && less(*(late - 1), *(kept - 1))) {
            *--out = *--kept;
        } else {
            *--out = *--late;
        }
    }
}

// v[i] = old v[order[i]] for every i, cycle by cycle, with no second vector
// (1.7 GB of spans on a 100 M-event capture).  `order` must be a permutation
// of 0..n-1; it is used up as the visited mark.  Random access: much slower
// than a copy, for when the copy's memory is what matters.
template <typename T, typename Index>
void permuteInPlace(std::vector<T>& v, std::vector<Index>& order) {
    constexpr Index kDone = static_cast<Index>(-1);
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (order[i] == kDone || order[i] == i) {
            continue;
        }
        T first = std::move(v[i]);
        std::size_t j = i;
        for (;;) {
            const std::size_t k = order[j];
            order[j] = kDone;
            if (k == i) {
                v[j] = std::move(first);
                break;
            }
            v[j] = std::move(v[k]);
            j = k;
        }
    }
}

} // namespace irqlens
