#include "parsers/tracedat/intern_cache.h"

#include <algorithm>
#include <cstring>

namespace irqlens::tracedat {

void InternCache::noteComm(std::int32_t pid, std::int64_t ts, std::string_view comm) {
    if (pid <= 0 || comm.empty()) {
        return; // pid 0 is "swapper/N" on every CPU: the store names it <idle>
    }
    comm = comm.substr(0, 16);
    CommEntry& entry = comms_[static_cast<std::uint32_t>(pid) % kCommSlots];
    if (entry.pid == pid && entry.length == comm.size() &&
        std::memcmp(entry.name.data(), comm.data(), comm.size()) == 0) {
        return;
    }
    entry.pid = pid;
    std::memcpy(entry.name.data(), comm.data(), comm.size());
    entry.length = static_cast<std::uint8_t>(comm.size());
    store_.comms.note(pid, ts, store_.strings.intern(comm));
}

std::uint32_t InternCache::irqAction(std::int32_t irq, std::string_view name) {
    irqKey_.assign(reinterpret_cast<const char*>(&irq), sizeof irq);
    irqKey_.append(name);
    auto it = irqActions_.find(irqKey_);
    if (it == irqActions_.end()) {
        const std::uint32_t id = store_.irqActions.intern({irq, store_.strings.intern(name)});
        it = irqActions_.emplace(irqKey_, id).first;
    }
    return it->second;
}

std::uint32_t InternCache::work(std::uint64_t work, std::uint64_t function) {
    const WorkItem item{work, function};
    auto it = works_.find(item);
    if (it == works_.end()) {
        it = works_.emplace(item, store_.works.intern(item)).first;
    }
    return it->second;
}

AddressId InternCache::address(std::uint64_t address) {
    auto it = addresses_.find(address);
    if (it == addresses_.end()) {
        it = addresses_.emplace(address, store_.addresses.intern(address)).first;
    }
    return it->second;
}

std::vector<std::int32_t> InternCache::seenPids() const {
    std::vector<std::int32_t> pids;
    for (std::size_t word = 0; word < pidSeen_.size(); ++word) {
        for (std::uint64_t bits = pidSeen_[word]; bits != 0; bits &= bits - 1) {
            pids.push_back(
                static_cast<std::int32_t>(word * 64 + std::size_t(__builtin_ctzll(bits))));
        }
    }
    return pids;
}

} // namespace irqlens::tracedat
