// Walks the report's events alongside the store: the k-th report event on
// CPU c must be the store's event k of CPU c (both are per-CPU time order).
#pragma once

#include "core/model/event_store.h"
#include "tests/tracedat/report_reader.h"

#include <string>
#include <vector>

namespace irqlens::test {

class StoreWalk {
public:
    explicit StoreWalk(const EventStore& store)
        : store_(store), next_(static_cast<std::size_t>(store.cpuCount()), 0) {}

    // The store event matching `e`, or nullopt (and a recorded mismatch).
    std::optional<EventRef> match(const ReportEvent& e) {
        if (e.cpu < 0 || e.cpu >= store_.cpuCount()) {
            fail(e, "cpu not in store");
            return std::nullopt;
        }
        const auto index = next_[std::size_t(e.cpu)]++;
        if (index >= store_.cpu(e.cpu).size()) {
            fail(e, "store has fewer events on this cpu");
            return std::nullopt;
        }
        const EventRef ref{static_cast<std::uint16_t>(e.cpu), static_cast<std::uint32_t>(index)};
        const EventFields f = store_.event(ref);
        if (store_.type(f.type).name != e.name || f.pid != e.pid || f.ts != e.tsNs) {
            fail(e, "store has " + store_.type(f.type).name + " pid " + std::to_string(f.pid) +
                        " ts " + std::to_string(f.ts));
            return std::nullopt;
        }
        return ref;
    }
    void fail(const ReportEvent& e, const std::string& why) {
        if (mismatches_++ == 0) {
            firstMismatch_ = "cpu " + std::to_string(e.cpu) + " ts " + std::to_string(e.tsNs) +
                             " " + e.name + ": " + why;
        }
    }
    std::size_t mismatches() const { return mismatches_; }
    const std::string& firstMismatch() const { return firstMismatch_; }

private:
    const EventStore& store_;
    std::vector<std::size_t> next_;
    std::size_t mismatches_ = 0;
    std::string firstMismatch_;
};

} // namespace irqlens::test
