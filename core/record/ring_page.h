// Reads just enough of one raw ring-buffer page (trace_pipe_raw) to count
// its events and the events the kernel lost before it, for live counters.
#pragma once

#include <cstddef>
#include <cstdint>

namespace irqlens {

struct PageLayout {
    bool bigEndian = false;
    int longSize = 8;         // size of the page header's commit field
    std::size_t pageSize = 0; // sub-buffer size (0: one page per call)
};

struct PageSummary {
    std::uint64_t events = 0;   // data records (padding and time stamps excluded)
    std::uint64_t missed = 0;   // events lost before this page, when the kernel stored the count
    bool missedUnknown = false; // events were lost but the kernel did not say how many
    std::uint64_t timestamp = 0;
    bool valid = true; // false when the page is malformed
};

PageSummary summarizePage(const void* page, std::size_t bytes, const PageLayout& layout);

} // namespace irqlens
