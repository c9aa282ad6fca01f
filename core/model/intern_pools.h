// Interning pools shared by all CPUs of a capture.  Readers decode CPUs in
// parallel, so every `intern*` call is thread-safe; lookups by id are not
// locked and must only run after loading finished.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace irqlens {

using StringId = std::uint32_t;
using AddressId = std::uint32_t;
using StackId = std::uint32_t;
inline constexpr StringId kNoString = 0; // id 0 is always the empty string

class StringPool {
public:
    StringPool();
    StringId intern(std::string_view text);
    std::string_view get(StringId id) const { return strings_[id]; }
    std::optional<StringId> find(std::string_view text) const;
    std::size_t size() const { return strings_.size(); }
    std::size_t bytesUsed() const;

private:
    mutable std::mutex mutex_;
    std::deque<std::string> strings_; // deque: elements never move, so views stay valid
    std::unordered_map<std::string_view, StringId> index_;
};

// 64-bit kernel addresses (functions, work structs) -> dense ids.  Id 0 = address 0.
class AddressPool {
public:
    AddressPool();
    AddressId intern(std::uint64_t address);
    std::uint64_t get(AddressId id) const { return addresses_[id]; }
    // Id of an already interned address (readers' work; analyses take a const store).
    std::optional<AddressId> find(std::uint64_t address) const;
    std::size_t size() const { return addresses_.size(); }
    std::size_t bytesUsed() const;

private:
    mutable std::mutex mutex_;
    std::vector<std::uint64_t> addresses_;
    std::unordered_map<std::uint64_t, AddressId> index_;
};

// A hard-IRQ action: irq number plus the handler name from irq_handler_entry.
// Shared lines have several actions per irq number.
struct IrqAction {
    std::int32_t irq = -1;
    StringId name = kNoString;
};

// A work item as seen by the workqueue events.
struct WorkItem {
    std::uint64_t work = 0;     // address of the work_struct
    std::uint64_t function = 0; // work function (0 when the event does not carry it)
};

template <typename Value, typename Hash> class ValuePool {
public:
    std::uint32_t intern(const Value& value) {
        std::lock_guard lock(mutex_);
        auto [it, inserted] = index_.try_emplace(value, static_cast<std::uint32_t>(values_.size()));
        if (inserted) {
            values_.push_back(value);
        }
        return it->second;
    }
    const Value& get(std::uint32_t id) const { return values_[id]; }
    std::optional<std::uint32_t> find(const Value& value) const {
        std::lock_guard lock(mutex_);
        auto it = index_.find(value);
        return it == index_.end() ? std::nullopt : std::optional<std::uint32_t>(it->second);
    }
    std::size_t size() const { return values_.size(); }
    const std::vector<Value>& all() const { return values_; }

private:
    mutable std::mutex mutex_;
    std::vector<Value> values_;
    std::unordered_map<Value, std::uint32_t, Hash> index_;
};

struct IrqActionHash {
    std::size_t operator()(const IrqAction& a) const {
        return std::hash<std::uint64_t>()((std::uint64_t(std::uint32_t(a.irq)) << 32) | a.name);
    }
};
struct WorkItemHash {
    std::size_t operator()(const WorkItem& w) const {
        return std::hash<std::uint64_t>()(w.work * 0x9E3779B97F4A7C15ull ^ w.function);
    }
};
inline bool operator==(const IrqAction& a, const IrqAction& b) {
    return a.irq == b.irq && a.name == b.name;
}
inline bool operator==(const WorkItem& a, const WorkItem& b) {
    return a.work == b.work && a.function == b.function;
}

// Deduplicated stack traces (outermost frame last, as the kernel prints them).
class StackPool {
public:
    StackPool();
    StackId intern(std::span<const std::uint64_t> frames);
    std::span<const std::uint64_t> get(StackId id) const;
    std::size_t size() const { return offsets_.size() - 1; }
    std::size_t bytesUsed() const;

private:
    mutable std::mutex mutex_;
    std::vector<std::uint64_t> frames_;
    std::vector<std::uint32_t> offsets_; // stack i = frames_[offsets_[i], offsets_[i+1])
    std::unordered_map<std::uint64_t, std::vector<StackId>> byHash_;
};

// Task names over time: pid -> (from_ts, comm) changes (exec renames a task).
class CommTable {
public:
    void note(std::int32_t pid, std::int64_t ts, StringId comm);
    void noteInitial(std::int32_t pid, StringId comm); // saved_cmdlines, valid from the start
    StringId at(std::int32_t pid, std::int64_t ts) const;
    StringId latest(std::int32_t pid) const;
    void finish(); // sorts histories after a parallel load
    std::size_t bytesUsed() const;
    std::vector<std::int32_t> pids() const;
    // Every noted change, moved out (the table is empty afterwards): a live
    // recording's decoder hands its changes on to the store the GUI reads.
    struct Note {
        std::int32_t pid;
        std::int64_t ts;
        StringId comm;
    };
    std::vector<Note> takeAll();

private:
    struct Change {
        std::int64_t ts;
        StringId comm;
    };
    mutable std::mutex mutex_;
    std::unordered_map<std::int32_t, std::vector<Change>> history_;
};

} // namespace irqlens
