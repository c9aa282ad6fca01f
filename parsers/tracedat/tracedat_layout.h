// Our own structural check of a trace.dat file (v6 and v7), done before the
// file is handed to libtracecmd.  libtracecmd answers most truncations by
// printing to stdout and yielding an empty trace, so we walk the header and
// section chain ourselves and name the first thing that lies beyond the end
// of the file.  Offsets and sizes are checked, and the contents libtracecmd
// would mishandle (layout_options.h; docs/COMPATIBILITY.md lists them).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace irqlens::tracedat {

struct CpuDataRange {
    int cpu = 0;
    std::uint64_t offset = 0;
    std::uint64_t size = 0; // bytes in the file (compressed size for v7)
};

// An extra ftrace buffer (trace-cmd record -B NAME; a v7 instance).
struct BufferLayout {
    std::string name;
    std::vector<CpuDataRange> cpuData;
    std::uint32_t pageSize = 0; // v7 records it per buffer; v6: the file's
    // libtracecmd's index of the buffer (tracecmd_buffer_instance_handle):
    // latency-format instances (BUFFER_TEXT) count too.
    int instance = 0;
};

// An option libtracecmd would read past or before (an unterminated text,
// an empty CPUSTAT, ...) but that only informs: libtracecmd is handed a copy
// of the file with the option's id replaced by kMaskedOptionId, which it
// skips, and irqlens keeps the text itself (Layout::clock, uname, ...).
struct MaskedOption {
    std::uint64_t idOffset = 0; // where the option's u16 id lies in the file
    std::uint16_t id = 0;
    std::string text; // up to its first NUL
};
// An id no trace-cmd version defines: libtracecmd skips it ("unknown option").
inline constexpr std::uint16_t kMaskedOptionId = 0x7fff;

class MaskedCopy;

struct Layout {
    int version = 0;
    bool bigEndian = false;
    int longSize = 8;
    std::uint32_t pageSize = 0;
    std::string compression; // "" when the file is not compressed
    std::string compressionVersion;
    std::vector<CpuDataRange> cpuData; // the top instance's per-CPU data
    std::vector<BufferLayout> buffers; // extra buffers, in file order
    int instanceCount = 0;             // libtracecmd's buffer instances (BufferLayout::instance)
    std::uint64_t fileSize = 0;
    std::uint64_t dataBytes = 0; // the top instance's CPU data, uncompressed
    // Non-zero when the file ends inside the CPU data (its size): a cut-short
    // capture whose complete pages can still be read.
    std::uint64_t cpuDataCutAt = 0;
    // Extra buffers whose section lies beyond the end of such a file (v6).
    std::vector<std::string> buffersCut;
    // v7: the options section that lies beyond the end of a cut file (0:
    // none).  Its BUFFER options described the CPU data, so the data was
    // found by walking the sections instead (layout_recover.h); `recovered`
    // says what is missing, for the load's warnings.
    std::uint64_t optionsCutAt = 0;
    std::string recovered;
    // v7: the CPUCOUNT option's value (0: none), and the flyrecord sections
    // the BUFFER options read describe.
    std::uint32_t declaredCpus = 0;
    std::vector<std::uint64_t> describedSections;
    // v7: the CPUs whose CPUSTAT option shows events (trace-cmd writes no
    // data for the others), in order: recovered data is numbered by them.
    std::vector<int> cpusWithEvents;
    // Where each metadata section starts ("header_page", "kallsyms", ...), to
    // name the offset of a section libtracecmd cannot read.
    std::map<std::string, std::uint64_t> sectionOffsets;
    std::vector<MaskedOption> maskedOptions;
    // What the walk read itself: the clock (a masked TRACECLOCK, or the v6
    // trace_clock text), and the texts of masked UNAME / VERSION options.
    std::string clock;
    std::string uname;
    std::string writerVersion;
    // Set by prepareForLibtracecmd() (safe_open.h) when options are masked:
    // the copy libtracecmd reads instead of the file.
    std::shared_ptr<const MaskedCopy> maskedCopy;
};

// True when the first bytes are the trace.dat magic (0x17 0x08 0x44 "tracing").
bool hasTraceDatMagic(const unsigned char* bytes, std::size_t size);
inline constexpr std::size_t kTraceDatMagicSize = 10;

// The layout, or a one-line reason the file cannot be read ("truncated: ...").
std::variant<Layout, std::string> inspectLayout(const std::string& path);

} // namespace irqlens::tracedat
