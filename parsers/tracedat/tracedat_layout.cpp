#include "parsers/tracedat/tracedat_layout.h"

#include "parsers/tracedat/layout_options.h"
#include "parsers/tracedat/layout_recover.h"

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

using namespace layout_detail;

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

// libtracecmd divides by the page size and allocates pages of it without
// checking: values no kernel writes are refused before it sees the file.
bool validPageSize(std::uint32_t size) {
    return size >= 1024 && size <= (1u << 26) && (size & (size - 1)) == 0;
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

std::uint64_t walkV6Formats(const FileBytes& f, std::uint64_t at, Layout& layout) {
    auto& offsets = layout.sectionOffsets;
    const auto enter = [&](const char* section) {
        offsets[section] = at;
        f.enter(section);
    };
    enter("header_page");
    at = walkHeaderInfo(f, at);
    enter("ftrace event formats");
    at = walkFtraceFormats(f, at);
    enter("event formats");
    at = walkEventFormats(f, at);
    enter("kallsyms");
    at = skipSized(f, at, 4, "kallsyms");
    enter("trace_printk formats");
    at = skipSized(f, at, 4, "trace_printk formats");
    enter("saved cmdlines");
    at = skipSized(f, at, 8, "saved cmdlines");
    enter("CPU count");
    return at;
}

// libtracecmd's init_data reads the trace_clock text (8-byte size, then
// text) after the data section's tag or table and allocates that size
// first.  The text is kept: it names the clock when TRACECLOCK was masked.
void readTraceClock(const FileBytes& f, std::uint64_t at, Layout& layout) {
    if (at + 8 > f.size()) {
        return; // none: libtracecmd falls back to "local"
    }
    f.enter("trace_clock");
    const std::uint64_t size = f.u64(at, "trace_clock");
    f.require(at + 8, size, "trace_clock");
    if (layout.clock.empty() && size <= 4096) {
        std::string text(size, '\0');
        f.read(at + 8, text.data(), text.size(), "trace_clock");
        layout.clock = selectedClock(text);
    }
}

// The name of a BUFFER option (after its u64 offset): libtracecmd strdup()s
// it, so its NUL must lie inside the option.
std::string readBufferName(const FileBytes& f, std::uint64_t at, std::uint32_t size) {
    std::uint64_t name = at + 8;
    const std::string text = size >= 8 ? f.string(name, 4096, "BUFFER option") : std::string();
    if (size < 8 || name > at + size) {
        throw LayoutError{"corrupt BUFFER option at offset " + offsetText(at) +
                          ": its name does not end inside it"};
    }
    return text;
}

struct PendingBuffer {
    std::string name;
    std::uint64_t offset = 0;
};

// v6 "options  " sections (any number, each ended by option 0), then the
// data section's tag.  Returns the offset after the tag; `cpus` becomes the
// CPUCOUNT option's value when there is one (the CPU table then has that
// many entries).  BUFFER options go to `buffers` (nullptr: inside a buffer,
// where libtracecmd never opens them).
std::uint64_t walkV6Options(const FileBytes& f, std::uint64_t at, char (&tag)[10],
                            std::uint32_t& cpus, std::vector<PendingBuffer>* buffers,
                            Layout& layout) {
    for (int sections = 0;; ++sections) {
        f.enter("options");
        f.read(at, tag, 10, "data section tag");
        at += 10;
        if (std::memcmp(tag, "options  ", 10) != 0 || sections > 64) {
            return at;
        }
        for (;;) {
            const std::uint16_t id = f.u16(at, "option");
            if (id == kOptDone) {
                at += 2;
                break;
            }
            const std::uint32_t size = f.u32(at + 2, "option");
            checkOption(f, id, at, at + 6, size, layout);
            if (id == kOptCpuCount && size >= 4) {
                cpus = f.u32(at + 6, "CPUCOUNT option");
            } else if (id == kOptBuffer) {
                std::string name = readBufferName(f, at + 6, size);
                if (buffers) {
                    buffers->push_back({std::move(name), f.u64(at + 6, "BUFFER option")});
                }
            }
            at = skipSized(f, at + 2, 4, "option");
        }
    }
}

// The CPU table after a "flyrecord" tag: per CPU, offset and size.
std::uint64_t readCpuTable(const FileBytes& f, std::uint64_t at, std::uint32_t cpus,
                           std::vector<CpuDataRange>& out) {
    if (cpus > kMaxCpus) {
        throw LayoutError{"corrupt CPUCOUNT " + std::to_string(cpus) + " before offset " +
                          offsetText(at)};
    }
    f.enter("flyrecord CPU table");
    for (std::uint32_t cpu = 0; cpu < cpus; ++cpu) {
        out.push_back({static_cast<int>(cpu), f.u64(at, "CPU data offsets"),
                       f.u64(at + 8, "CPU data sizes")});
        at += 16;
    }
    return at;
}

// An extra buffer of a v6 file: at its offset, options (rare) and a
// flyrecord tag with its own CPU table, as libtracecmd reads it.
BufferLayout walkV6Buffer(const FileBytes& f, std::uint32_t cpus, const PendingBuffer& buffer,
                          Layout& layout) {
    char tag[10];
    const std::uint64_t at = walkV6Options(f, buffer.offset, tag, cpus, nullptr, layout);
    if (std::memcmp(tag, "flyrecord", 10) != 0) {
        throw LayoutError{"corrupt: buffer \"" + buffer.name +
                          "\" has no flyrecord section at offset " + offsetText(buffer.offset)};
    }
    BufferLayout out{buffer.name, {}, layout.pageSize, layout.instanceCount++};
    readCpuTable(f, at, cpus, out.cpuData);
    return out;
}

void walkV6(const FileBytes& f, std::uint64_t at, Layout& layout) {
    at = walkV6Formats(f, at, layout);
    std::uint32_t cpus = f.u32(at, "CPU count");
    if (cpus > kMaxCpus) {
        // libtracecmd allocates per-CPU state for this count before any check.
        throw LayoutError{"corrupt CPU count " + std::to_string(cpus) + " at offset " +
                          offsetText(at)};
    }
    at += 4;
    layout.sectionOffsets["options"] = at;
    char tag[10];
    std::vector<PendingBuffer> buffers;
    at = walkV6Options(f, at, tag, cpus, &buffers, layout);
    if (std::memcmp(tag, "latency  ", 10) == 0) {
        // libtracecmd reads a trace_clock size right after this tag too.
        readTraceClock(f, at, layout);
        return;
    }
    if (std::memcmp(tag, "flyrecord", 10) != 0) {
        throw LayoutError{"corrupt header: no flyrecord section at offset " + offsetText(at - 10)};
    }
    at = readCpuTable(f, at, cpus, layout.cpuData);
    readTraceClock(f, at, layout);
    for (const PendingBuffer& buffer : buffers) {
        if (buffer.offset >= f.size()) {
            // v6 appends a buffer's section after the top buffer's data: a
            // file cut inside that data has lost the buffer, not the rest.
            layout.cpuDataCutAt = f.size();
            layout.buffersCut.push_back(buffer.name);
            continue;
        }
        layout.buffers.push_back(walkV6Buffer(f, cpus, buffer, layout));
    }
}

// A v7 BUFFER option: flyrecord section offset, name, clock, page size and
// per CPU (id, offset, size).  libtracecmd strdup()s the two strings, so
// their NULs must lie inside the option.
void readV7Buffer(const FileBytes& f, std::uint64_t at, std::uint64_t end, Layout& layout) {
    const std::uint64_t option = at;
    const std::uint64_t flyrecord = f.u64(at, "BUFFER option");
    f.require(flyrecord, 16, "flyrecord section header");
    at += 8;
    const std::string name = f.string(at, 4096, "BUFFER option");
    f.string(at, 4096, "BUFFER option clock");
    const std::uint32_t pageSize = at + 4 <= end ? f.u32(at, "BUFFER option") : 0;
    at += 4;
    const std::uint32_t cpus = at + 4 <= end ? f.u32(at, "BUFFER option") : 0;
    at += 4;
    if (at > end || cpus > kMaxCpus || at + std::uint64_t(cpus) * 20 > end) {
        throw LayoutError{"corrupt BUFFER option at offset " + offsetText(option)};
    }
    if (!name.empty() && !validPageSize(pageSize)) {
        throw LayoutError{"corrupt BUFFER option at offset " + offsetText(option) + ": page size " +
                          std::to_string(pageSize)};
    }
    layout.describedSections.push_back(flyrecord);
    BufferLayout buffer{name, {}, pageSize, name.empty() ? 0 : layout.instanceCount++};
    for (std::uint32_t i = 0; i < cpus; ++i, at += 20) {
        buffer.cpuData.push_back({static_cast<int>(f.u32(at, "BUFFER option")),
                                  f.u64(at + 4, "BUFFER option"), f.u64(at + 12, "BUFFER option")});
    }
    if (name.empty()) {
        layout.cpuData = std::move(buffer.cpuData);
    } else {
        layout.buffers.push_back(std::move(buffer));
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

// BUFFER_TEXT (a latency-format instance): offset, name and clock, the
// strings strdup()ed by libtracecmd like BUFFER's.
// A named one is one of libtracecmd's buffer instances (not loaded: it
// holds text, not ring-buffer pages), counted to index the others.
void checkBufferText(const FileBytes& f, std::uint64_t at, std::uint32_t size, Layout& layout) {
    std::uint64_t strings = at + 8;
    std::string name;
    if (size >= 8) {
        f.require(f.u64(at, "BUFFER_TEXT option"), 16, "text section header");
        name = f.string(strings, 4096, "BUFFER_TEXT option");
        f.string(strings, 4096, "BUFFER_TEXT option");
    }
    if (size < 8 || strings > at + size) {
        throw LayoutError{"corrupt BUFFER_TEXT option at offset " + offsetText(at)};
    }
    if (!name.empty()) {
        ++layout.instanceCount;
    }
}

// Walks one options section; returns the offset of the next one (0: none).
std::uint64_t walkV7Options(const FileBytes& f, std::uint64_t at, Layout& layout) {
    f.enter("options");
    const std::uint16_t id = f.u16(at, "options section");
    const std::uint16_t flags = f.u16(at + 2, "options section");
    const std::uint64_t size = f.u64(at + 8, "options section");
    if (id != kOptDone) {
        throw LayoutError{"corrupt options section at offset " + offsetText(at)};
    }
    layout.sectionOffsets.emplace("options", at);
    checkSection(f, at, layout);
    if (flags & 1) {
        // No trace-cmd version compresses options (3.0 to 3.4 write them
        // plain), and compressed ones could not be checked or masked.
        throw LayoutError{"corrupt: compressed options section at offset " + offsetText(at)};
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
        checkOption(f, option, at - 6, at, optionSize, layout);
        if (option == kOptCpuCount && optionSize >= 4) {
            layout.declaredCpus = f.u32(at, "CPUCOUNT option");
        } else if (option == kOptCpuStat && optionSize <= 4096) {
            std::string text(optionSize, '\0');
            f.read(at, text.data(), text.size(), "CPUSTAT option");
            noteCpuStat(text, layout);
        }
        if (option == kOptBuffer) {
            readV7Buffer(f, at, at + optionSize, layout);
        } else if (option >= kOptHeaderInfo && option <= kOptCmdlines && optionSize >= 8) {
            const std::uint64_t section = f.u64(at, "section offset");
            layout.sectionOffsets.emplace(kV7SectionNames[option - kOptHeaderInfo], section);
            f.enter(kV7SectionNames[option - kOptHeaderInfo]);
            checkSection(f, section, layout);
            f.enter("options");
        } else if (option == kOptBufferText) {
            checkBufferText(f, at, optionSize, layout);
        }
        at += optionSize;
    }
    return 0;
}

// A file cut after its metadata: an options section after the first lies
// (partly) beyond the end of the file, and the sections the pages are
// decoded with (header_page, the event formats) were found in the ones
// before it.  trace-cmd writes the BUFFER options that describe the CPU
// data after that data, so such a cut is one inside (or just after) the
// CPU data.
bool cutAfterMetadata(const LayoutError& e, std::size_t optionsSections, const Layout& layout) {
    if (optionsSections < 2 || e.message.rfind("truncated:", 0) != 0) {
        return false;
    }
    const auto& found = layout.sectionOffsets;
    return found.count("header_page") != 0 && found.count("event formats") != 0;
}

void walkV7(const FileBytes& f, std::uint64_t at, Layout& layout) {
    layout.compression = f.string(at, 64, "compression name");
    layout.compressionVersion = f.string(at, 64, "compression version");
    if (layout.compression == "none") {
        layout.compression.clear();
    }
    std::uint64_t next = f.u64(at, "options offset");
    const std::uint64_t firstSection = at + 8;
    std::set<std::uint64_t> seen;
    while (next != 0) {
        if (!seen.insert(next).second || seen.size() > 4096) {
            throw LayoutError{"corrupt: options sections loop at offset " + offsetText(next)};
        }
        try {
            next = walkV7Options(f, next, layout);
        } catch (const LayoutError& e) {
            if (!cutAfterMetadata(e, seen.size(), layout)) {
                throw;
            }
            recoverV7Buffers(f, firstSection, next, layout);
            return;
        }
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
                          "\", which irqlens cannot read (it reads zstd and zlib)"};
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
    if (cpu.size == 0 || (cpu.offset <= f.size() && cpu.size <= f.size() - cpu.offset)) {
        return false;
    }
    layout.cpuDataCutAt = f.size();
    return true;
}

// Every CPU's data: inside the file (an empty CPU's offset may lie past
// its end: trace-cmd 2.9 wrote such files, and libtracecmd accepts them;
// a CPU cut short by the end of the file is noted in the layout), and its
// first page or its chunk table checked.  Returns the bytes of data,
// uncompressed.
std::uint64_t checkCpuData(const FileBytes& f, const std::vector<CpuDataRange>& cpus,
                           Layout& layout) {
    std::uint64_t bytes = 0;
    for (const auto& cpu : cpus) {
        if (cpu.size == 0 || cpuDataCut(f, cpu, layout)) {
            continue; // the page reader keeps what lies before a cut
        }
        if (!layout.compression.empty()) {
            bytes += checkChunks(f, cpu, layout);
        } else {
            checkPages(f, cpu, layout);
            bytes += cpu.size;
        }
    }
    return bytes;
}

Layout inspectOpenFile(FileBytes& f) {
    Layout layout;
    layout.fileSize = f.size();
    f.enter("header");
    std::uint64_t at = kTraceDatMagicSize;
    const std::string version = f.string(at, 8, "version");
    layout.version = std::atoi(version.c_str());
    unsigned char endianAndLong[2];
    f.read(at, endianAndLong, 2, "header");
    layout.bigEndian = endianAndLong[0] != 0;
    layout.longSize = endianAndLong[1];
    f.bigEndian = layout.bigEndian;
    layout.pageSize = f.u32(at + 2, "header");
    if (!validPageSize(layout.pageSize)) {
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
    f.enter("CPU data");
    layout.dataBytes = checkCpuData(f, layout.cpuData, layout);
    for (const BufferLayout& buffer : layout.buffers) {
        Layout pages = layout; // the buffer's page size (v7 records one per buffer)
        pages.pageSize = buffer.pageSize;
        checkCpuData(f, buffer.cpuData, pages);
        layout.cpuDataCutAt = std::max(layout.cpuDataCutAt, pages.cpuDataCutAt);
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
