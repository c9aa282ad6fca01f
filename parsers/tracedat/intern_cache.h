// A loader thread's private memo in front of the store's shared (locked)
// interning pools.  Most events repeat a handful of comms, work items and
// addresses; the memo turns those repeats into one unlocked hash lookup, so
// the pools' mutexes are only taken for values this thread has not seen.
#pragma once

#include "core/model/event_store.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace irqlens::tracedat {

class InternCache {
public:
    explicit InternCache(EventStore& store) : store_(store) {}

    // Notes the task name of `pid` as seen at `ts` (only changes reach the store).
    void noteComm(std::int32_t pid, std::int64_t ts, std::string_view comm);
    // A new CPU stream starts earlier in time than where the last one ended:
    // forget the comms, so each stream notes its own first sighting of a
    // task and no earlier name is masked by a later one.
    void startStream() { comms_.fill(CommEntry{}); }
    std::uint32_t irqAction(std::int32_t irq, std::string_view name);
    std::uint32_t work(std::uint64_t work, std::uint64_t function);
    AddressId address(std::uint64_t address);
    StackId stack(std::span<const std::uint64_t> frames) { return store_.stacks.intern(frames); }
    // A string identified by a stable key (e.g. the kernel address of a
    // constant string), interned on first sight through `make`.
    template <typename Make> StringId keyedString(std::uint64_t key, Make&& make) {
        auto it = keyedStrings_.find(key);
        if (it == keyedStrings_.end()) {
            it = keyedStrings_.emplace(key, store_.strings.intern(make())).first;
        }
        return it->second;
    }

    // Pids that appeared in events, so saved_cmdlines can name them later.
    void markPid(std::int32_t pid) {
        const auto p = static_cast<std::uint32_t>(pid);
        if (p < kMaxPid) {
            if (pidSeen_.empty()) {
                pidSeen_.resize(kMaxPid / 64);
            }
            pidSeen_[p / 64] |= std::uint64_t(1) << (p % 64);
        }
    }
    std::vector<std::int32_t> seenPids() const;

private:
    static constexpr std::uint32_t kMaxPid = 1u << kPidBits;
    // Direct-mapped by pid (pids are handed out in sequence, so the low bits
    // spread well); an evicted pid is simply noted again, which the store
    // merges.
    struct CommEntry {
        std::int32_t pid = -1;
        std::uint8_t length = 0;
        std::array<char, 16> name{};
    };
    static constexpr std::size_t kCommSlots = 4096;
    EventStore& store_;
    std::array<CommEntry, kCommSlots> comms_{};
    std::unordered_map<std::string, std::uint32_t> irqActions_;
    std::string irqKey_;
    std::unordered_map<WorkItem, std::uint32_t, WorkItemHash> works_;
    std::unordered_map<std::uint64_t, AddressId> addresses_;
    std::unordered_map<std::uint64_t, StringId> keyedStrings_;
    std::vector<std::uint64_t> pidSeen_;
};

} // namespace irqlens::tracedat
