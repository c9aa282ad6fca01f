// Maps in, ahead of use, the memory a growing live vector will write next.
//
// A live picture's vectors reserve their room up front (address space
// only), so the first write to each new page takes a page fault, and the
// kernel zeroes the page in it.  Those faults happened on the GUI thread
// while it appended a picture: measured, they were more than half of its
// time.  A worker calls this between two pictures (while nobody writes the
// vector): the pages come in there, and the GUI thread's copy only copies.
// MADV_POPULATE_WRITE (Linux 5.14) faults the pages in without changing a
// byte, so readers of the filled part are unaffected; on older kernels it
// does nothing.
#pragma once

#include <cstddef>
#include <vector>

namespace irqlens {

// Faults in [data + usedBytes, data + min(usedBytes + aheadBytes, capacityBytes)).
void prefaultRoom(const void* data, std::size_t usedBytes, std::size_t capacityBytes,
                  std::size_t aheadBytes);

// How far ahead: `fraction` of what a vector holds now (the share of the
// capture one or two pictures add), at least kMinPrefaultBytes.
inline constexpr std::size_t kMinPrefaultBytes = std::size_t(256) << 10;
inline std::size_t prefaultAheadBytes(std::size_t usedBytes, double fraction) {
    const auto ahead = static_cast<std::size_t>(static_cast<double>(usedBytes) * fraction);
    return ahead < kMinPrefaultBytes ? kMinPrefaultBytes : ahead;
}

template <typename T> void prefaultAhead(const std::vector<T>& v, double fraction) {
    const std::size_t used = v.size() * sizeof(T);
    prefaultRoom(v.data(), used, v.capacity() * sizeof(T), prefaultAheadBytes(used, fraction));
}

// Events a live store's column reserves up front (address space, as
// liveRoom() for spans): 1/512 of the RAM size, at most 32 M.
std::size_t liveEventRoom();

} // namespace irqlens
