// EventStore::forEachInTimeOrder: a k-way merge over the per-CPU columns.
// Kept inline because the span builder calls it in its hot loop.
#pragma once

#include <queue>
#include <vector>

namespace irqlens {

template <typename Fn> void EventStore::forEachInTimeOrder(Fn&& fn) const {
    struct Head {
        std::int64_t ts;
        std::uint16_t cpu;
        std::uint32_t index;
        bool operator>(const Head& o) const { return ts != o.ts ? ts > o.ts : cpu > o.cpu; }
    };
    std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heads;
    for (int c = 0; c < cpuCount(); ++c) {
        if (!cpus_[c].empty()) {
            heads.push({cpus_[c].ts(0), static_cast<std::uint16_t>(c), 0});
        }
    }
    while (!heads.empty()) {
        Head h = heads.top();
        heads.pop();
        fn(EventRef{h.cpu, h.index});
        const CpuEvents& col = cpus_[h.cpu];
        if (h.index + 1 < col.size()) {
            heads.push({col.ts(h.index + 1), h.cpu, h.index + 1});
        }
    }
}

} // namespace irqlens
