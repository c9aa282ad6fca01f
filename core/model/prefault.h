// Maps in, ahead of use, the memory a growing live vector will write next.
//
// A live picture's vectors reserve their room up front (address space
// only), so the first write to each new page takes a page fault, and the
// kernel zeroes the page in it.  Those faults happened on the GUI thread
// while it appended a picture: measured with perf, they were more than half
// of its time.  The GUI thread now lists, after each picture, the room each
// vector will write next (cheap: pointers and sizes), and a worker maps it
// in.  MADV_POPULATE_WRITE (Linux 5.14) faults pages in without changing a
// byte, so it may run while the GUI thread reads and writes the same
// vectors; on an older kernel it does nothing and the writer faults, as
// before.
#pragma once

#include <cstddef>
#include <vector>

namespace irqlens {

struct PrefaultRange {
    const void* data = nullptr; // a vector's storage
    std::size_t usedBytes = 0, capacityBytes = 0, aheadBytes = 0;
};
using PrefaultList = std::vector<PrefaultRange>;

// Faults in [data + usedBytes, data + min(usedBytes + aheadBytes, capacityBytes))
// of each range.  A range whose vector was freed since it was listed is
// harmless: the call changes no byte, and unmapped memory only fails it.
void prefault(const PrefaultList& ranges);

// How far ahead: `fraction` of what a vector holds now (the share of the
// capture one or two pictures add), at least kMinPrefaultBytes.
inline constexpr std::size_t kMinPrefaultBytes = std::size_t(256) << 10;
inline std::size_t prefaultAheadBytes(std::size_t usedBytes, double fraction) {
    const auto ahead = static_cast<std::size_t>(static_cast<double>(usedBytes) * fraction);
    return ahead < kMinPrefaultBytes ? kMinPrefaultBytes : ahead;
}

inline void prefaultRange(PrefaultList& out, const void* data, std::size_t usedBytes,
                          std::size_t capacityBytes, double fraction) {
    if (data != nullptr && usedBytes < capacityBytes) {
        out.push_back({data, usedBytes, capacityBytes, prefaultAheadBytes(usedBytes, fraction)});
    }
}

template <typename T>
void prefaultAhead(PrefaultList& out, const std::vector<T>& v, double fraction) {
    prefaultRange(out, v.data(), v.size() * sizeof(T), v.capacity() * sizeof(T), fraction);
}

// Events a live store's column reserves up front (address space, as
// liveRoom() for spans): 1/512 of the RAM size, at most 32 M.
std::size_t liveEventRoom();

} // namespace irqlens
