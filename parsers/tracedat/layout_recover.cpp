#include "parsers/tracedat/layout_recover.h"

#include "parsers/tracedat/layout_options.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace irqlens::tracedat::layout_detail {

namespace {

// The section id of BUFFER FLYRECORD data (the BUFFER option's id).
constexpr std::uint16_t kBufferSection = kOptBuffer;
constexpr int kMaxSections = 4096;
// trace-cmd writes chunks of 10 pages; anything beyond this is not a chunk.
constexpr std::uint32_t kMaxChunkBytes = 64u << 20;

std::uint64_t alignUp(std::uint64_t at, std::uint32_t page) {
    return (at + page - 1) / page * page;
}

// A range that runs past the end of the file: the page reader keeps the
// complete pages / chunks before the cut and marks the CPU cut short.
CpuDataRange cutRange(const FileBytes& f, int cpu, std::uint64_t at) {
    return {cpu, at, at < f.size() ? f.size() - at + 1 : 1};
}

// The number after `key` in a CPUSTAT text, or -1.
long long statValue(const std::string& text, const char* key) {
    const std::size_t at = text.find(key);
    if (at == std::string::npos) {
        return -1;
    }
    return std::strtoll(text.c_str() + at + std::strlen(key), nullptr, 10);
}

struct Streams {
    std::vector<CpuDataRange> cpus;
    bool cut = false; // the file ends inside this buffer's data
};

// One compressed stream at `at`: its size after the u32 count (the range's
// size as the BUFFER option gives it), or false when the file ends inside it.
bool chunkStream(const FileBytes& f, std::uint64_t at, std::uint32_t pageSize,
                 std::uint64_t& size) {
    if (at + 4 > f.size()) {
        return false;
    }
    const std::uint32_t count = f.u32(at, "chunk table");
    std::uint64_t pos = at + 4;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (pos + 8 > f.size()) {
            return false;
        }
        const std::uint32_t packed = f.u32(pos, "chunk header");
        const std::uint32_t unpacked = f.u32(pos + 4, "chunk header");
        if (unpacked == 0 || unpacked % pageSize != 0 || unpacked > kMaxChunkBytes ||
            packed > kMaxChunkBytes) {
            throw LayoutError{"corrupt: the CPU data found at offset " + offsetText(at) +
                              " (its description lies beyond the end of the file) has a chunk "
                              "with impossible sizes at offset " +
                              offsetText(pos)};
        }
        if (pos + 8 + packed > f.size()) {
            return false;
        }
        pos += 8 + packed;
    }
    size = pos - at - 4;
    return true;
}

// Compressed streams one after the other, each on a page boundary, from
// `at` to `end` (the section's end; past the file's when it is cut).
Streams chunkStreams(const FileBytes& f, std::uint64_t at, std::uint64_t end,
                     std::uint32_t pageSize, std::uint32_t maxCpus) {
    Streams out;
    for (std::uint32_t cpu = 0; cpu < maxCpus; ++cpu) {
        at = alignUp(at, pageSize);
        if (at >= end && end <= f.size()) {
            break; // the section's end: its data is complete
        }
        std::uint64_t size = 0;
        if (at >= f.size() || !chunkStream(f, at, pageSize, size)) {
            // The file ends here: this CPU's data (if it had any) is cut.
            out.cut = true;
            out.cpus.push_back(cutRange(f, static_cast<int>(cpu), at));
            break;
        }
        out.cpus.push_back({static_cast<int>(cpu), at, size});
        at += 4 + size;
    }
    return out;
}

// Uncompressed streams have nothing between them (a CPU's data is whole
// pages): a new CPU starts where the pages' timestamps go back, since each
// CPU's pages are in time order.  Returns false when there are more such
// steps than CPUs (the split would be a guess).
bool pageStreams(const FileBytes& f, std::uint64_t at, std::uint64_t end, std::uint32_t pageSize,
                 std::uint32_t maxCpus, Streams& out) {
    at = alignUp(at, pageSize);
    const std::uint64_t last = std::min(end, f.size());
    std::uint64_t start = at;
    std::uint64_t previous = 0;
    for (; at + pageSize <= last; at += pageSize) {
        const std::uint64_t timestamp = f.u64(at, "CPU data page");
        if (at > start && timestamp < previous) {
            out.cpus.push_back({static_cast<int>(out.cpus.size()), start, at - start});
            start = at;
        }
        previous = timestamp;
    }
    out.cut = end > f.size();
    if (out.cut) {
        out.cpus.push_back(cutRange(f, static_cast<int>(out.cpus.size()), start));
    } else if (last > start) {
        out.cpus.push_back({static_cast<int>(out.cpus.size()), start, last - start});
    }
    return out.cpus.size() <= maxCpus;
}

// trace-cmd writes only the CPUs that have data, in CPU order: with the
// CPUSTAT options it is known which ones; without them (or when they count
// fewer CPUs than streams were found) the streams are numbered in file order.
bool numberByCpuStats(const Layout& layout, std::vector<CpuDataRange>& cpus) {
    const auto& withEvents = layout.cpusWithEvents;
    if (withEvents.empty() || cpus.size() > withEvents.size()) {
        return false;
    }
    for (std::size_t i = 0; i < cpus.size(); ++i) {
        cpus[i].cpu = withEvents[i];
    }
    return true;
}

// The BUFFER section at `section` that no option described; `end` is where
// it ends (beyond the end of the file when cut).
void recoverBuffer(const FileBytes& f, std::uint64_t section, std::uint64_t end,
                   std::uint64_t cutOptions, Layout& layout) {
    // trace-cmd writes the top buffer's data first; the name of a later one
    // is in the strings section at the end of the file.
    const bool top = layout.cpuData.empty() && layout.buffers.empty();
    std::uint32_t maxCpus = layout.declaredCpus ? layout.declaredCpus : kMaxCpus;
    if (top && !layout.cpusWithEvents.empty()) {
        maxCpus = static_cast<std::uint32_t>(layout.cpusWithEvents.size());
    }
    Streams streams;
    if (layout.compression.empty()) {
        if (!pageStreams(f, section + 16, end, layout.pageSize, maxCpus, streams)) {
            throw LayoutError{"truncated: the options section at offset " + offsetText(cutOptions) +
                              ", which describes the CPU data, lies beyond the end of the file (" +
                              offsetText(f.size()) +
                              " bytes), and the data's pages cannot be told apart by CPU"};
        }
    } else {
        streams = chunkStreams(f, section + 16, end, layout.pageSize, maxCpus);
    }
    const std::string name = top ? "" : "(name lost at offset " + offsetText(section) + ")";
    const bool numbered = top && numberByCpuStats(layout, streams.cpus);
    if (top) {
        layout.cpuData = std::move(streams.cpus);
    } else {
        layout.buffers.push_back(
            {name, std::move(streams.cpus), layout.pageSize, layout.instanceCount++});
    }
    layout.recovered += std::string(layout.recovered.empty() ? "" : "; ") +
                        "the options section at offset " + offsetText(cutOptions) +
                        ", which describes the CPU data, lies beyond the end of the file: " +
                        (top ? std::string("the CPU data") : "the data of a buffer " + name) +
                        " at offset " + offsetText(section) + " was found by walking the file" +
                        (numbered ? std::string(" (CPUs numbered by their CPUSTAT options)")
                                  : std::string(" (CPUs numbered in file order)"));
}

} // namespace

void noteCpuStat(const std::string& text, Layout& layout) {
    const long long cpu = statValue(text, "CPU: ");
    if (cpu < 0 || cpu >= kMaxCpus) {
        return;
    }
    if (statValue(text, "entries: ") > 0 || statValue(text, "read events: ") > 0 ||
        statValue(text, "bytes: ") > 0) {
        layout.cpusWithEvents.push_back(static_cast<int>(cpu));
    }
}

void recoverV7Buffers(const FileBytes& f, std::uint64_t at, std::uint64_t cutOptions,
                      Layout& layout) {
    f.enter("CPU data");
    bool found = false;
    for (int sections = 0; at + 16 <= f.size() && sections < kMaxSections; ++sections) {
        const std::uint16_t id = f.u16(at, "section header");
        const std::uint64_t size = f.u64(at + 8, "section header");
        // A recorder that died before it wrote the section's size left 0.
        const bool whole = (id != kBufferSection || size != 0) && size <= f.size() - at - 16;
        const auto& described = layout.describedSections;
        if (id == kBufferSection &&
            std::find(described.begin(), described.end(), at) == described.end()) {
            recoverBuffer(f, at, whole ? at + 16 + size : f.size() + 1, cutOptions, layout);
            found = true;
        }
        if (!whole) {
            break;
        }
        at += 16 + size;
    }
    if (!found) {
        throw LayoutError{"truncated: the options section at offset " + offsetText(cutOptions) +
                          ", which describes the CPU data, lies beyond the end of the file (" +
                          offsetText(f.size()) + " bytes), and no CPU data lies before it"};
    }
    layout.optionsCutAt = cutOptions;
    layout.cpuDataCutAt = f.size();
}

} // namespace irqlens::tracedat::layout_detail
