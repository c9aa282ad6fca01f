#include "core/record/ring_page.h"

namespace irqlens {

namespace {

std::uint64_t readNumber(const unsigned char* p, int width, bool bigEndian) {
    std::uint64_t v = 0;
    for (int i = 0; i < width; ++i) {
        const int index = bigEndian ? i : width - 1 - i;
        v = (v << 8) | p[index];
    }
    return v;
}

// Ring-buffer record types (kernel's ring_buffer.h).
constexpr unsigned kPadding = 29, kTimeExtend = 30, kTimeStamp = 31;
constexpr std::uint64_t kMissedEvents = 1u << 31, kMissedStored = 1u << 30;

} // namespace

PageSummary summarizePage(const void* page, std::size_t bytes, const PageLayout& layout) {
    PageSummary s;
    const auto* p = static_cast<const unsigned char*>(page);
    const auto header = static_cast<std::size_t>(8 + layout.longSize);
    if (bytes < header) {
        s.valid = false;
        return s;
    }
    s.timestamp = readNumber(p, 8, layout.bigEndian);
    const std::uint64_t commit = readNumber(p + 8, layout.longSize, layout.bigEndian);
    const std::uint64_t dataSize = commit & (kMissedStored - 1) & 0xffffffffu;
    const std::uint64_t end = header + dataSize;
    if (end > bytes) {
        s.valid = false;
        return s;
    }
    if (commit & kMissedEvents) {
        if ((commit & kMissedStored) && end + static_cast<std::uint64_t>(layout.longSize) <= bytes)
            s.missed = readNumber(p + end, layout.longSize, layout.bigEndian);
        else
            s.missedUnknown = true;
    }
    for (std::uint64_t at = header; at + 4 <= end;) {
        const auto word = static_cast<std::uint32_t>(readNumber(p + at, 4, layout.bigEndian));
        const unsigned typeLen = layout.bigEndian ? word >> 27 : word & 31u;
        std::uint64_t length = 0;
        const std::uint32_t delta = layout.bigEndian ? word & 0x7ffffffu : word >> 5;
        if (typeLen == kPadding && delta == 0)
            break; // the rest of the page is empty
        if (typeLen == kPadding || typeLen == 0) {
            // Discarded event or large record: length in the next word,
            // counted from the end of the header word.
            if (at + 8 > end)
                break;
            length = 4 + readNumber(p + at + 4, 4, layout.bigEndian);
            if (typeLen == 0)
                ++s.events;
        } else if (typeLen == kTimeExtend || typeLen == kTimeStamp) {
            length = 8;
        } else {
            length = 4 + 4 * static_cast<std::uint64_t>(typeLen);
            ++s.events;
        }
        at += (length + 3) & ~std::uint64_t{3};
    }
    return s;
}

} // namespace irqlens
