#include "core/model/intern_pools.h"

#include <algorithm>

namespace irqlens {

StringPool::StringPool() {
    intern("");
}

StringId StringPool::intern(std::string_view text) {
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(text); it != index_.end()) {
        return it->second;
    }
    const auto id = static_cast<StringId>(strings_.size());
    strings_.emplace_back(text);
    index_.emplace(strings_.back(), id);
    return id;
}

std::optional<StringId> StringPool::find(std::string_view text) const {
    std::lock_guard lock(mutex_);
    auto it = index_.find(text);
    return it == index_.end() ? std::nullopt : std::optional<StringId>(it->second);
}

std::size_t StringPool::bytesUsed() const {
    std::size_t bytes = strings_.size() * sizeof(std::string);
    for (const auto& s : strings_) {
        bytes += s.capacity() > 15 ? s.capacity() : 0;
    }
    return bytes + index_.size() * (sizeof(std::string_view) + sizeof(StringId) + 16);
}

AddressPool::AddressPool() {
    intern(0);
}

AddressId AddressPool::intern(std::uint64_t address) {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = index_.try_emplace(address, static_cast<AddressId>(addresses_.size()));
    if (inserted) {
        addresses_.push_back(address);
    }
    return it->second;
}

std::optional<AddressId> AddressPool::find(std::uint64_t address) const {
    std::lock_guard lock(mutex_);
    auto it = index_.find(address);
    return it == index_.end() ? std::nullopt : std::optional<AddressId>(it->second);
}

std::size_t AddressPool::bytesUsed() const {
    return addresses_.capacity() * sizeof(std::uint64_t) + index_.size() * 32;
}

StackPool::StackPool() {
    offsets_.push_back(0);
}

StackId StackPool::intern(std::span<const std::uint64_t> frames) {
    std::uint64_t hash = 1469598103934665603ull;
    for (auto f : frames) {
        hash = (hash ^ f) * 1099511628211ull;
    }
    std::lock_guard lock(mutex_);
    auto& candidates = byHash_[hash];
    for (StackId id : candidates) {
        auto begin = frames_.begin() + offsets_[id];
        auto end = frames_.begin() + offsets_[id + 1];
        if (std::equal(begin, end, frames.begin(), frames.end())) {
            return id;
        }
    }
    const auto id = static_cast<StackId>(offsets_.size() - 1);
    frames_.insert(frames_.end(), frames.begin(), frames.end());
    offsets_.push_back(static_cast<std::uint32_t>(frames_.size()));
    candidates.push_back(id);
    return id;
}

std::span<const std::uint64_t> StackPool::get(StackId id) const {
    if (id + 1 >= offsets_.size()) {
        return {};
    }
    return {frames_.data() + offsets_[id], offsets_[id + 1] - offsets_[id]};
}

std::size_t StackPool::bytesUsed() const {
    return frames_.capacity() * 8 + offsets_.capacity() * 4 + byHash_.size() * 48;
}

void CommTable::note(std::int32_t pid, std::int64_t ts, StringId comm) {
    std::lock_guard lock(mutex_);
    auto& changes = history_[pid];
    // Parallel readers note CPU streams one after another, so a note may be
    // older than the last one: keep it (finish() sorts and merges).
    if (changes.empty() || changes.back().comm != comm || ts < changes.back().ts) {
        changes.push_back({ts, comm});
    }
}

void CommTable::noteInitial(std::int32_t pid, StringId comm) {
    std::lock_guard lock(mutex_);
    auto& changes = history_[pid];
    changes.insert(changes.begin(), {INT64_MIN, comm});
}

void CommTable::finish() {
    for (auto& [pid, changes] : history_) {
        std::stable_sort(changes.begin(), changes.end(),
                         [](const Change& a, const Change& b) { return a.ts < b.ts; });
        auto last = std::unique(changes.begin(), changes.end(),
                                [](const Change& a, const Change& b) { return a.comm == b.comm; });
        changes.erase(last, changes.end());
    }
}

StringId CommTable::at(std::int32_t pid, std::int64_t ts) const {
    auto it = history_.find(pid);
    if (it == history_.end() || it->second.empty()) {
        return kNoString;
    }
    const auto& changes = it->second;
    auto pos = std::upper_bound(changes.begin(), changes.end(), ts,
                                [](std::int64_t t, const Change& c) { return t < c.ts; });
    // Before the first sighting, the first known name is the best guess.
    return pos == changes.begin() ? changes.front().comm : std::prev(pos)->comm;
}

StringId CommTable::latest(std::int32_t pid) const {
    auto it = history_.find(pid);
    return it == history_.end() || it->second.empty() ? kNoString : it->second.back().comm;
}

std::size_t CommTable::bytesUsed() const {
    std::size_t bytes = history_.size() * 48;
    for (const auto& [pid, changes] : history_) {
        bytes += changes.capacity() * sizeof(Change);
    }
    return bytes;
}

std::vector<std::int32_t> CommTable::pids() const {
    std::vector<std::int32_t> out;
    out.reserve(history_.size());
    for (const auto& [pid, changes] : history_) {
        out.push_back(pid);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<CommTable::Note> CommTable::takeAll() {
    std::lock_guard lock(mutex_);
    std::vector<Note> out;
    for (const auto& [pid, changes] : history_) {
        for (const Change& c : changes) {
            out.push_back({pid, c.ts, c.comm});
        }
    }
    history_.clear();
    return out;
}

} // namespace irqlens
