#include "core/model/prefault.h"

#include <algorithm>
#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

namespace irqlens {

namespace {
void prefaultRoom(const void* data, std::size_t usedBytes, std::size_t capacityBytes,
                  std::size_t aheadBytes) {
    static const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto base = reinterpret_cast<std::uintptr_t>(data);
    const std::size_t endBytes =
        capacityBytes - usedBytes < aheadBytes ? capacityBytes : usedBytes + aheadBytes;
    // Whole pages only: the page holding the last used byte is mapped already
    // (it was written), so starting past it loses nothing.
    const std::uintptr_t from = (base + usedBytes + page - 1) / page * page;
    const std::uintptr_t to = (base + endBytes) / page * page;
    if (to > from) {
        // Errors (an old kernel: EINVAL; no memory: ENOMEM) leave the faults
        // to the writer, as without this call.
        static_cast<void>(::madvise(reinterpret_cast<void*>(from), to - from, MADV_POPULATE_WRITE));
    }
}
} // namespace

void prefault(const PrefaultList& ranges) {
    for (const PrefaultRange& r : ranges) {
        prefaultRoom(r.data, r.usedBytes, r.capacityBytes, r.aheadBytes);
    }
}

std::size_t liveEventRoom() {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pageSize <= 0) {
        return 0;
    }
    const auto ram = static_cast<std::size_t>(pages) * static_cast<std::size_t>(pageSize);
    return std::min<std::size_t>(ram / 512, std::size_t(32) << 20);
}

} // namespace irqlens
