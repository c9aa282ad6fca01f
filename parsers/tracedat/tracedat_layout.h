// Our own structural check of a trace.dat file (v6 and v7), done before the
// file is handed to libtracecmd.  libtracecmd answers most truncations by
// printing to stdout and yielding an empty trace, so we walk the header and
// section chain ourselves and name the first thing that lies beyond the end
// of the file.  Only offsets and sizes are checked; contents are left to
// libtracecmd.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace irqlens::tracedat {

struct CpuDataRange {
    int cpu = 0;
    std::uint64_t offset = 0;
    std::uint64_t size = 0; // bytes in the file (compressed size for v7)
};

struct Layout {
    int version = 0;
    bool bigEndian = false;
    int longSize = 8;
    std::uint32_t pageSize = 0;
    std::string compression; // "" when the file is not compressed
    std::string compressionVersion;
    std::vector<CpuDataRange> cpuData; // the top instance's per-CPU data
    std::uint64_t fileSize = 0;
    std::uint64_t dataBytes = 0; // the top instance's CPU data, uncompressed
    // Non-zero when the file ends inside the CPU data (its size): a cut-short
    // capture whose complete pages can still be read.
    std::uint64_t cpuDataCutAt = 0;
    // Where each metadata section starts ("header_page", "kallsyms", ...), to
    // name the offset of a section libtracecmd cannot read.
    std::map<std::string, std::uint64_t> sectionOffsets;
};

// True when the first bytes are the trace.dat magic (0x17 0x08 0x44 "tracing").
bool hasTraceDatMagic(const unsigned char* bytes, std::size_t size);
inline constexpr std::size_t kTraceDatMagicSize = 10;

// The layout, or a one-line reason the file cannot be read ("truncated: ...").
std::variant<Layout, std::string> inspectLayout(const std::string& path);

} // namespace irqlens::tracedat
