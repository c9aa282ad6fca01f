#include "parsers/tracedat/tracedat_layout.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

namespace irqlens::tracedat {

namespace {

// Option ids of trace.dat v7 (trace-cmd.dat.v7(5)).
enum OptionId : std::uint16_t {
    kOptDone = 0,
    kOptBuffer = 3,
    kOptHook = 6,
    kOptCpuCount = 8,
    kOptHeaderInfo = 16,
    kOptKallsyms = 19,
    kOptCmdlines = 21,
    kOptBufferText = 22,
};

struct LayoutError {
    std::string message;
};

std::string offsetText(std::uint64_t offset) {
    return std::to_string(offset);
}

// Bounds-checked reads at explicit offsets, in the file's byte order.
class FileBytes {
public:
    FileBytes(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
    // Bytes in memory (a decompressed v7 section).
    explicit FileBytes(const std::vector<char>& bytes, bool bigEndianBytes)
        : bigEndian(bigEndianBytes), fd_(-1), size_(bytes.size()), mem_(bytes.data()) {}
    std::uint64_t size() const { return size_; }
    int fd() const { return fd_; }
    bool bigEndian = false;

    void read(std::uint64_t offset, void* out, std::size_t n, const char* what) const {
        if (offset > size_ || n > size_ - offset) {
            throw LayoutError{std::string("truncated: ") + what + " at offset " +
                              offsetText(offset) + " ends beyond the end of the file (" +
                              offsetText(size_) + " bytes)"};
        }
        if (mem_) {
            std::memcpy(out, mem_ + offset, n);
            return;
        }
        if (::pread(fd_, out, n, static_cast<off_t>(offset)) != static_cast<ssize_t>(n)) {
            throw LayoutError{std::string("cannot read ") + what + " at offset " +
                              offsetText(offset)};
        }
    }
    std::uint64_t number(std::uint64_t offset, std::size_t n, const char* what) const {
        std::array<unsigned char, 8> b{};
        read(offset, b.data(), n, what);
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t shift = bigEndian ? (n - 1 - i) * 8 : i * 8;
            v |= std::uint64_t(b[i]) << shift;
        }
        return v;
    }
    std::uint16_t u16(std::uint64_t o, const char* what) const {
        return static_cast<std::uint16_t>(number(o, 2, what));
    }
    std::uint32_t u32(std::uint64_t o, const char* what) const {
        return static_cast<std::uint32_t>(number(o, 4, what));
    }
    std::uint64_t u64(std::uint64_t o, const char* what) const { return number(o, 8, what); }
    // A NUL-terminated string of at most `max` characters; advances `offset` past the NUL.
    std::string string(std::uint64_t& offset, std::size_t max, const char* what) const {
        std::string out;
        for (;;) {
            char c = 0;
            read(offset++, &c, 1, what);
            if (c == '\0') {
                return out;
            }
            if (out.size() >= max) {
                throw LayoutError{std::string("corrupt ") + what + " at offset " +
                                  offsetText(offset - out.size() - 1) + " (no terminator)"};
            }
            out.push_back(c);
        }
    }
    // A block of `size` bytes at `offset` must lie inside the file.
    void require(std::uint64_t offset, std::uint64_t size, const char* what) const {
        if (offset > size_ || size > size_ - offset) {
            throw LayoutError{std::string("truncated: ") + what + " at offset " +
                              offsetText(offset) + " needs " + offsetText(size) +
                              " bytes, the file ends at " + offsetText(size_)};
        }
    }

private:
    int fd_;
    std::uint64_t size_;
    const char* mem_ = nullptr;
};

constexpr std::uint32_t kMaxChunkBytes = 64u << 20;
// Larger than any metadata section a kernel produces (kallsyms is ~10 MB).
constexpr std::uint32_t kMaxSectionBytes = 1u << 30;

// A ring-buffer page starts with a u64 timestamp and a long-sized commit
// word (bytes of event data in the low 27 bits, flags above).  libtraceevent's
// kbuffer trusts the commit: one larger than the page made it read past the
// page (SIGSEGV, found by fuzz_tracedat_loader), so every page is checked.
constexpr std::uint64_t kCommitMask = (1u << 27) - 1;

std::uint64_t pageCommit(const unsigned char* header, const Layout& layout) {
    std::uint64_t v = 0;
    const int n = layout.longSize;
    for (int i = 0; i < n; ++i) {
        const int shift = layout.bigEndian ? (n - 1 - i) * 8 : i * 8;
        v |= std::uint64_t(header[8 + i]) << shift;
    }
    return v & kCommitMask;
}

void checkPage(const unsigned char* header, const Layout& layout, int cpu, std::uint64_t at) {
    const std::uint64_t room = layout.pageSize - 8 - std::uint64_t(layout.longSize);
    if (const std::uint64_t commit = pageCommit(header, layout); commit > room) {
        throw LayoutError{"corrupt: CPU " + std::to_string(cpu) + " page at offset " +
                          offsetText(at) + " claims " + std::to_string(commit) +
                          " bytes of events, more than the page holds (" + std::to_string(room) +
                          ")"};
    }
}

// Uncompressed CPU data: the first page's header, which libtracecmd's
// init_data loads (kbuffer_load_subbuffer) when it opens the file.  The
// page decoder checks every page it decodes; EventSource (libtracecmd) is
// only attached to a capture whose pages all passed that check.
void checkPages(const FileBytes& f, const CpuDataRange& cpu, const Layout& layout) {
    if (cpu.size < layout.pageSize) {
        return;
    }
    std::array<unsigned char, 16> header{};
    f.read(cpu.offset, header.data(), 8 + std::size_t(layout.longSize), "CPU data page");
    checkPage(header.data(), layout, cpu.cpu, cpu.offset);
}

// The pages of a decompressed chunk (`at`: the chunk's offset, for messages).
void checkChunkPages(const std::vector<char>& pages, const Layout& layout, int cpu,
                     std::uint64_t at) {
    for (std::size_t p = 0; p + layout.pageSize <= pages.size(); p += layout.pageSize) {
        checkPage(reinterpret_cast<const unsigned char*>(pages.data()) + p, layout, cpu, at);
    }
}

// The first chunk is decompressed here (only later chunks' damage reaches
// libtracecmd, which stops reading that CPU there) and its pages checked.
bool zstdChunkIntact(const FileBytes& f, std::uint64_t at, std::uint32_t packed,
                     std::uint32_t unpacked, const Layout& layout, int cpu) {
    std::vector<char> in(packed);
    std::vector<char> out(unpacked);
    f.read(at + 8, in.data(), packed, "chunk");
    const std::size_t n = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
    if (ZSTD_isError(n) || n != unpacked) {
        return false;
    }
    checkChunkPages(out, layout, cpu, at);
    return true;
}

// v6: sections follow each other; each has a size prefix we skip over.
std::uint64_t skipSized(const FileBytes& f, std::uint64_t at, std::size_t sizeBytes,
                        const char* what) {
    const std::uint64_t size = f.number(at, sizeBytes, what);
    f.require(at + sizeBytes, size, what);
    return at + sizeBytes + size;
}

// The sized blocks libtracecmd reads (and allocates) from the metadata:
// the same layout in v6 (one after the other) and in v7 (one per section).
std::uint64_t walkHeaderInfo(const FileBytes& f, std::uint64_t at) {
    char tag[13];
    f.read(at, tag, 12, "header_page");
    if (std::memcmp(tag, "header_page", 12) != 0) {
        throw LayoutError{"corrupt header: no header_page at offset " + offsetText(at)};
    }
    at = skipSized(f, at + 12, 8, "header_page");
    f.read(at, tag, 13, "header_event");
    if (std::memcmp(tag, "header_event", 13) != 0) {
        throw LayoutError{"corrupt header: no header_event at offset " + offsetText(at)};
    }
    return skipSized(f, at + 13, 8, "header_event");
}

std::uint64_t walkFtraceFormats(const FileBytes& f, std::uint64_t at) {
    const std::uint32_t ftraceCount = f.u32(at, "ftrace formats");
    at += 4;
    for (std::uint32_t i = 0; i < ftraceCount; ++i) {
        at = skipSized(f, at, 8, "ftrace format");
    }
    return at;
}

std::uint64_t walkEventFormats(const FileBytes& f, std::uint64_t at) {
    const std::uint32_t systems = f.u32(at, "event formats");
    at += 4;
    for (std::uint32_t s = 0; s < systems; ++s) {
        f.string(at, 4096, "event system name");
        const std::uint32_t events = f.u32(at, "event formats");
        at += 4;
        for (std::uint32_t e = 0; e < events; ++e) {
            at = skipSized(f, at, 8, "event format");
        }
    }
    return at;
}

// The CPUCOUNT option replaces the header's CPU count, and libtracecmd
// callocs per-CPU state for it (a fuzzed 16 M: 3 GB).
constexpr std::uint32_t kMaxCpus = 65536;

// A HOOK option (trace-cmd record -H "start/end") that libtracecmd cannot
// parse makes it dereference NULL (fuzz find): one without '/' is refused.
void checkHookOption(const FileBytes& f, std::uint64_t at, std::uint32_t size) {
    std::string text(std::min<std::uint32_t>(size, 4096), '\0');
    f.read(at, text.data(), text.size(), "HOOK option");
    const auto slash = text.find('/');
    if (slash == std::string::npos || text.find(',') > slash ||
        text.find(',', slash) == std::string::npos) {
        throw LayoutError{"corrupt HOOK option at offset " + offsetText(at)};
    }
}

// Text options libtracecmd strdup()s (DATE, CPUSTAT, TRACECLOCK, UNAME,
// HOOK, VERSION): without a NUL inside the option it read past its buffer
// (fuzz find: heap-buffer-overflow on a VERSION option).
void checkTextOption(const FileBytes& f, std::uint16_t id, std::uint64_t at, std::uint32_t size) {
    if (id != 1 && id != 2 && id != 4 && id != 5 && id != kOptHook && id != 9) {
        return;
    }
    std::string text(std::min<std::uint32_t>(size, 1u << 20), '\0');
    f.read(at, text.data(), text.size(), "option");
    if (size > text.size() || text.find('\0') == std::string::npos) {
        throw LayoutError{"corrupt option " + std::to_string(id) + " at offset " + offsetText(at) +
                          " (text without an end)"};
    }
}

void checkCpuCountOption(const FileBytes& f, std::uint16_t id, std::uint64_t at,
                         std::uint32_t size) {
    checkTextOption(f, id, at, size);
    if (id == kOptHook) {
        checkHookOption(f, at, size);
    }
    if (id == kOptCpuCount && size >= 4) {
        if (const std::uint32_t cpus = f.u32(at, "CPUCOUNT option"); cpus > kMaxCpus) {
            throw LayoutError{"corrupt CPUCOUNT option " + std::to_string(cpus) + " at offset " +
                              offsetText(at)};
        }
    }
}

std::uint64_t walkV6Formats(const FileBytes& f, std::uint64_t at, Layout& layout) {
    auto& offsets = layout.sectionOffsets;
    offsets["header_page"] = at;
    at = walkHeaderInfo(f, at);
    offsets["ftrace event formats"] = at;
    at = walkFtraceFormats(f, at);
    offsets["event formats"] = at;
    at = walkEventFormats(f, at);
    offsets["kallsyms"] = at;
    at = skipSized(f, at, 4, "kallsyms");
    offsets["trace_printk formats"] = at;
    at = skipSized(f, at, 4, "trace_printk formats");
    offsets["saved cmdlines"] = at;
    at = skipSized(f, at, 8, "saved cmdlines");
    offsets["CPU count"] = at;
    return at;
}

// libtracecmd's init_data reads the trace_clock text (8-byte size, then
// text) after the data section's tag or table and allocates that size first.
void checkTraceClock(const FileBytes& f, std::uint64_t at) {
    if (at + 8 <= f.size()) {
        f.require(at + 8, f.u64(at, "trace_clock"), "trace_clock");
    }
}

void walkV6(const FileBytes& f, std::uint64_t at, Layout& layout) {
    at = walkV6Formats(f, at, layout);
    const std::uint32_t cpus = f.u32(at, "CPU count");
    if (cpus > 65536) {
        // libtracecmd allocates per-CPU state for this count before any check.
        throw LayoutError{"corrupt CPU count " + std::to_string(cpus) + " at offset " +
                          offsetText(at)};
    }
    at += 4;
    layout.sectionOffsets["options"] = at;
    char tag[10];
    for (int sections = 0;; ++sections) {
        f.read(at, tag, 10, "data section tag");
        at += 10;
        if (std::memcmp(tag, "options  ", 10) != 0 || sections > 64) {
            break;
        }
        for (;;) {
            const std::uint16_t id = f.u16(at, "option");
            at += 2;
            if (id == kOptDone) {
                break;
            }
            checkCpuCountOption(f, id, at + 4, f.u32(at, "option"));
            at = skipSized(f, at, 4, "option");
        }
    }
    if (std::memcmp(tag, "latency  ", 10) == 0) {
        // libtracecmd reads a trace_clock size right after this tag too.
        checkTraceClock(f, at);
        return;
    }
    if (std::memcmp(tag, "flyrecord", 10) != 0) {
        throw LayoutError{"corrupt header: no flyrecord section at offset " + offsetText(at - 10)};
    }
    for (std::uint32_t cpu = 0; cpu < cpus; ++cpu) {
        CpuDataRange range{static_cast<int>(cpu), f.u64(at, "CPU data offsets"),
                           f.u64(at + 8, "CPU data sizes")};
        at += 16;
        layout.cpuData.push_back(range);
    }
    checkTraceClock(f, at);
}

void readV7Buffer(const FileBytes& f, std::uint64_t at, std::uint64_t end, Layout& layout) {
    const std::uint64_t flyrecord = f.u64(at, "BUFFER option");
    f.require(flyrecord, 16, "flyrecord section header");
    at += 8;
    const std::string name = f.string(at, 4096, "BUFFER option");
    f.string(at, 4096, "BUFFER option clock");
    at += 4; // page size
    const std::uint32_t cpus = f.u32(at, "BUFFER option");
    at += 4;
    if (cpus > 65536 || at + std::uint64_t(cpus) * 20 > end) {
        throw LayoutError{"corrupt BUFFER option at offset " + offsetText(at)};
    }
    for (std::uint32_t i = 0; i < cpus; ++i, at += 20) {
        CpuDataRange range{static_cast<int>(f.u32(at, "BUFFER option")),
                           f.u64(at + 4, "BUFFER option"), f.u64(at + 12, "BUFFER option")};
        if (name.empty()) {
            layout.cpuData.push_back(range);
        }
    }
}

// v7 section ids 16..21 by the names the v6 layout gives them.
constexpr const char* kV7SectionNames[] = {"header_page", "ftrace event formats", "event formats",
                                           "kallsyms",    "trace_printk formats", "saved cmdlines"};

// The contents of v7 metadata section `id` (16..21), walked like v6's.
void walkV7SectionContent(const FileBytes& f, std::uint16_t id) {
    switch (id) {
    case kOptHeaderInfo:
        walkHeaderInfo(f, 0);
        break;
    case kOptHeaderInfo + 1:
        walkFtraceFormats(f, 0);
        break;
    case kOptHeaderInfo + 2:
        walkEventFormats(f, 0);
        break;
    case kOptKallsyms:
    case kOptKallsyms + 1:
        skipSized(f, 0, 4, id == kOptKallsyms ? "kallsyms" : "trace_printk formats");
        break;
    case kOptCmdlines:
        skipSized(f, 0, 8, "saved cmdlines");
        break;
    default:
        break;
    }
}

// A v7 section header (u16 id, u16 flags, u32 description, u64 size) and,
// when compressed, its block sizes (u32 compressed, u32 uncompressed):
// libtracecmd allocates both before reading, so absurd values are refused
// here (multi-GB mallocs; allocation-size-too-big under ASan).  The sizes
// inside a metadata section are allocated too: a zstd section is
// decompressed and walked (a flipped bit in it decompresses into garbage).
void checkSection(const FileBytes& f, std::uint64_t section, const Layout& layout) {
    f.require(section, 16, "section header");
    const std::uint16_t id = f.u16(section, "section header");
    const std::uint16_t flags = f.u16(section + 2, "section header");
    const std::uint64_t size = f.u64(section + 8, "section header");
    f.require(section + 16, size, "section");
    if ((flags & 1) == 0) {
        return; // uncompressed metadata is walked by libtracecmd against the file size
    }
    const std::uint32_t packed = size >= 8 ? f.u32(section + 16, "compressed section") : 0;
    const std::uint32_t unpacked = size >= 8 ? f.u32(section + 20, "compressed section") : 0;
    if (size < 8 || packed > size - 8 || unpacked > kMaxSectionBytes) {
        throw LayoutError{"corrupt: compressed section at offset " + offsetText(section) +
                          " has impossible sizes (" + std::to_string(packed) + " -> " +
                          std::to_string(unpacked) + " bytes in " + std::to_string(size) + ")"};
    }
    if (layout.compression != "zstd" || id < kOptHeaderInfo || id > kOptCmdlines) {
        return;
    }
    std::vector<char> in(packed);
    std::vector<char> out(unpacked);
    f.read(section + 24, in.data(), packed, "compressed section");
    const std::size_t n = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
    if (ZSTD_isError(n) || n != unpacked) {
        throw LayoutError{"corrupt: compressed section at offset " + offsetText(section) +
                          " does not decompress"};
    }
    try {
        walkV7SectionContent(FileBytes(out, f.bigEndian), id);
    } catch (const LayoutError& e) {
        throw LayoutError{"corrupt: " + std::string(kV7SectionNames[id - kOptHeaderInfo]) +
                          " section at offset " + offsetText(section) + " (" + e.message + ")"};
    }
}

// Walks one options section; returns the offset of the next one (0: none).
std::uint64_t walkV7Options(const FileBytes& f, std::uint64_t at, Layout& layout) {
    const std::uint16_t id = f.u16(at, "options section");
    const std::uint16_t flags = f.u16(at + 2, "options section");
    const std::uint64_t size = f.u64(at + 8, "options section");
    if (id != kOptDone) {
        throw LayoutError{"corrupt options section at offset " + offsetText(at)};
    }
    layout.sectionOffsets.emplace("options", at);
    checkSection(f, at, layout);
    if (flags & 1) {
        return 0; // compressed options: leave the rest to libtracecmd
    }
    const std::uint64_t end = at + 16 + size;
    for (at += 16; at + 6 <= end;) {
        const std::uint16_t option = f.u16(at, "option");
        const std::uint32_t optionSize = f.u32(at + 2, "option");
        at += 6;
        if (optionSize > end - at) {
            throw LayoutError{"corrupt option " + std::to_string(option) + " at offset " +
                              offsetText(at - 6)};
        }
        if (option == kOptDone && optionSize >= 8) {
            return f.u64(at, "DONE option");
        }
        checkCpuCountOption(f, option, at, optionSize);
        if (option == kOptBuffer) {
            readV7Buffer(f, at, at + optionSize, layout);
        } else if (option >= kOptHeaderInfo && option <= kOptCmdlines && optionSize >= 8) {
            const std::uint64_t section = f.u64(at, "section offset");
            layout.sectionOffsets.emplace(kV7SectionNames[option - kOptHeaderInfo], section);
            checkSection(f, section, layout);
        } else if (option == kOptBufferText && optionSize >= 8) {
            f.require(f.u64(at, "BUFFER_TEXT option"), 16, "text section header");
        }
        at += optionSize;
    }
    return 0;
}

void walkV7(const FileBytes& f, std::uint64_t at, Layout& layout) {
    layout.compression = f.string(at, 64, "compression name");
    layout.compressionVersion = f.string(at, 64, "compression version");
    if (layout.compression == "none") {
        layout.compression.clear();
    }
    std::uint64_t next = f.u64(at, "options offset");
    std::set<std::uint64_t> seen;
    while (next != 0) {
        if (!seen.insert(next).second || seen.size() > 4096) {
            throw LayoutError{"corrupt: options sections loop at offset " + offsetText(next)};
        }
        next = walkV7Options(f, next, layout);
    }
}

// v7 compressed CPU data is a table of chunks (u32 count, then per chunk
// u32 compressed size, u32 uncompressed size, data).  libtracecmd 3.1.6
// crashes while cleaning up when it cannot decompress a CPU's first chunk,
// so the table is checked here and the first chunk decompressed once.
// Returns the CPU's uncompressed bytes.
std::uint64_t checkChunks(const FileBytes& f, const CpuDataRange& cpu, const Layout& layout) {
    std::uint64_t total = 0;
    const std::string where = "CPU " + std::to_string(cpu.cpu) + " data at offset ";
    if (layout.compression != "zstd" && layout.compression != "zlib") {
        throw LayoutError{"compressed with \"" + layout.compression +
                          "\", which libtracecmd cannot read"};
    }
    const std::uint32_t count = f.u32(cpu.offset, "chunk table");
    std::uint64_t at = cpu.offset + 4;
    const std::uint64_t end = cpu.offset + 4 + cpu.size;
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::uint32_t packed = f.u32(at, "chunk header");
        const std::uint32_t unpacked = f.u32(at + 4, "chunk header");
        if (at + 8 + packed > end || unpacked == 0 || unpacked % layout.pageSize != 0 ||
            unpacked > kMaxChunkBytes) {
            throw LayoutError{"corrupt: " + where + offsetText(cpu.offset) + ": chunk " +
                              std::to_string(i) + " at offset " + offsetText(at) +
                              " has impossible sizes"};
        }
        if (i == 0 && layout.compression == "zstd" &&
            !zstdChunkIntact(f, at, packed, unpacked, layout, cpu.cpu)) {
            throw LayoutError{"corrupt: " + where + offsetText(cpu.offset) +
                              ": its first chunk does not decompress"};
        }
        at += 8 + packed;
        total += unpacked;
    }
    return total;
}

// A file cut short inside its CPU data (full disk, crashed recorder): the
// CPU's range runs past the end.  Noted, not refused: the complete pages
// before the cut are loaded.  The data of the other CPUs is still checked.
bool cpuDataCut(const FileBytes& f, const CpuDataRange& cpu, Layout& layout) {
    const std::uint64_t end = cpu.offset + cpu.size;
    if (cpu.size == 0 || (cpu.offset <= f.size() && end <= f.size())) {
        return false;
    }
    layout.cpuDataCutAt = f.size();
    return true;
}

Layout inspectOpenFile(FileBytes& f) {
    Layout layout;
    layout.fileSize = f.size();
    std::uint64_t at = kTraceDatMagicSize;
    const std::string version = f.string(at, 8, "version");
    layout.version = std::atoi(version.c_str());
    unsigned char endianAndLong[2];
    f.read(at, endianAndLong, 2, "header");
    layout.bigEndian = endianAndLong[0] != 0;
    layout.longSize = endianAndLong[1];
    f.bigEndian = layout.bigEndian;
    layout.pageSize = f.u32(at + 2, "header");
    // libtracecmd divides by the page size and allocates pages of it without
    // checking: refuse values no kernel writes before handing it the file.
    if (layout.pageSize < 1024 || layout.pageSize > (1u << 26) ||
        (layout.pageSize & (layout.pageSize - 1)) != 0) {
        throw LayoutError{"corrupt header: page size " + std::to_string(layout.pageSize) +
                          " at offset " + offsetText(at + 2)};
    }
    if (layout.longSize != 4 && layout.longSize != 8) {
        throw LayoutError{"corrupt header: long size " + std::to_string(layout.longSize) +
                          " at offset " + offsetText(at + 1)};
    }
    at += 6;
    if (layout.version == 6) {
        walkV6(f, at, layout);
    } else if (layout.version == 7) {
        walkV7(f, at, layout);
    } else {
        throw LayoutError{"unsupported trace.dat version \"" + version + "\""};
    }
    for (const auto& cpu : layout.cpuData) {
        if (cpuDataCut(f, cpu, layout)) {
            continue; // the page reader keeps what lies before the cut
        }
        if (!layout.compression.empty() && cpu.size > 0) {
            layout.dataBytes += checkChunks(f, cpu, layout);
        } else if (layout.compression.empty()) {
            checkPages(f, cpu, layout);
            layout.dataBytes += cpu.size;
        }
    }
    return layout;
}

} // namespace

bool hasTraceDatMagic(const unsigned char* bytes, std::size_t size) {
    static constexpr unsigned char magic[kTraceDatMagicSize] = {0x17, 0x08, 0x44, 't', 'r',
                                                                'a',  'c',  'i',  'n', 'g'};
    return size >= kTraceDatMagicSize && std::memcmp(bytes, magic, kTraceDatMagicSize) == 0;
}

std::variant<Layout, std::string> inspectLayout(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::string("cannot open: ") + std::strerror(errno);
    }
    struct stat st {};
    ::fstat(fd, &st);
    FileBytes bytes(fd, static_cast<std::uint64_t>(st.st_size));
    std::variant<Layout, std::string> result;
    try {
        result = inspectOpenFile(bytes);
    } catch (const LayoutError& e) {
        result = e.message;
    }
    ::close(fd);
    return result;
}

} // namespace irqlens::tracedat
