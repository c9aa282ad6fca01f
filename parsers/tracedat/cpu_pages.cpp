#include "parsers/tracedat/cpu_pages.h"

#include <algorithm>
#include <array>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

namespace irqlens::tracedat {

namespace {

// Uncompressed pages are read this much at a time into one reused buffer.
constexpr std::uint64_t kReadWindowBytes = 1ull << 20;
// Chunks trace-cmd writes are ~80 pages; anything beyond this is damage.
constexpr std::uint32_t kMaxChunkBytes = 64u << 20;

std::uint32_t u32At(const unsigned char* p, bool bigEndian) {
    return bigEndian ? (std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 |
                        std::uint32_t(p[2]) << 8 | p[3])
                     : (std::uint32_t(p[3]) << 24 | std::uint32_t(p[2]) << 16 |
                        std::uint32_t(p[1]) << 8 | p[0]);
}

bool preadAll(int fd, void* out, std::size_t n, std::uint64_t offset) {
    auto* p = static_cast<unsigned char*>(out);
    while (n > 0) {
        const ssize_t got = ::pread(fd, p, n, static_cast<off_t>(offset));
        if (got <= 0) {
            return false;
        }
        p += got;
        n -= static_cast<std::size_t>(got);
        offset += static_cast<std::uint64_t>(got);
    }
    return true;
}

// The chunk table of a compressed CPU stream (u32 count, then per chunk
// u32 packed size, u32 unpacked size, packed bytes).  Chunks that run past
// the end of the file (a cut capture) end the table.
std::string readChunks(int fd, const Layout& layout, const CpuDataRange& range, CpuPages& cpu) {
    std::array<unsigned char, 8> header{};
    if (!preadAll(fd, header.data(), 4, range.offset)) {
        cpu.cutShort = true;
        return "";
    }
    const std::uint32_t count = u32At(header.data(), layout.bigEndian);
    std::uint64_t at = range.offset + 4;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (!preadAll(fd, header.data(), 8, at)) {
            cpu.cutShort = true;
            break;
        }
        Chunk chunk{at, u32At(header.data(), layout.bigEndian),
                    u32At(header.data() + 4, layout.bigEndian), cpu.bytes};
        if (chunk.unpacked == 0 || chunk.unpacked % layout.pageSize != 0 ||
            chunk.unpacked > kMaxChunkBytes || chunk.packed > kMaxChunkBytes) {
            return "corrupt: CPU " + std::to_string(range.cpu) + " chunk " + std::to_string(i) +
                   " at offset " + std::to_string(at) + " has impossible sizes";
        }
        if (at + 8 + chunk.packed > layout.fileSize) {
            cpu.cutShort = true;
            break;
        }
        cpu.chunks.push_back(chunk);
        cpu.bytes += chunk.unpacked;
        at += 8 + chunk.packed;
    }
    return "";
}

// The streams of one buffer: `ranges` with pages of `pageSize` bytes, their
// store columns from `firstColumn` on, compressed streams laid out in
// libtracecmd's source offsets from `firstSource` on.
std::string describeStreams(int fd, const Layout& layout, const std::vector<CpuDataRange>& ranges,
                            std::uint32_t pageSize, int firstColumn, std::uint64_t firstSource,
                            CpuDataPlan& plan) {
    plan.pageSize = pageSize;
    if (layout.compression.empty()) {
        plan.codec = Codec::None;
    } else if (layout.compression == "zstd") {
        plan.codec = Codec::Zstd;
    } else if (layout.compression == "zlib") {
        plan.codec = Codec::Zlib;
    } else {
        return "compressed with \"" + layout.compression + "\", which irqlens cannot read";
    }
    Layout bufferLayout = layout;
    bufferLayout.pageSize = pageSize;
    std::uint64_t nextSource = firstSource;
    for (const CpuDataRange& range : ranges) {
        CpuPages cpu;
        cpu.cpu = range.cpu;
        cpu.column = firstColumn + range.cpu;
        cpu.fileOffset = range.offset;
        if (range.size > 0 && plan.codec != Codec::None) {
            if (auto error = readChunks(fd, bufferLayout, range, cpu); !error.empty()) {
                return plan.buffer.empty() ? error : "buffer " + plan.buffer + ": " + error;
            }
            cpu.sourceBase = nextSource;
            nextSource = (nextSource + cpu.bytes + pageSize - 1) / pageSize * pageSize;
        } else if (range.size > 0) {
            const std::uint64_t inFile = range.offset >= layout.fileSize
                                             ? 0
                                             : std::min(range.size, layout.fileSize - range.offset);
            cpu.cutShort = inFile < range.size;
            cpu.bytes = inFile / pageSize * pageSize;
            cpu.sourceBase = range.offset;
        }
        if (cpu.cutShort && plan.truncatedAt == 0) {
            plan.truncatedAt = layout.fileSize;
        }
        plan.totalBytes += cpu.bytes;
        plan.cpus.push_back(std::move(cpu));
    }
    plan.nextSource = nextSource;
    return "";
}

} // namespace

std::string CpuDataPlan::streamName(int cpu) const {
    return (buffer.empty() ? "CPU " : "buffer " + buffer + " CPU ") + std::to_string(cpu);
}

std::string describeCpuData(int fd, const Layout& layout, CpuDataPlan& plan) {
    // libtracecmd lays decompressed streams out from one page in, each
    // starting on a page boundary (trace-input.c, init_cpu_zpage).
    return describeStreams(fd, layout, layout.cpuData, layout.pageSize, 0, layout.pageSize, plan);
}

std::string describeBufferData(int fd, const Layout& layout, const BufferLayout& buffer,
                               int firstColumn, const CpuDataPlan& top, CpuDataPlan& plan) {
    plan.buffer = buffer.name;
    // An instance handle continues the layout where its parent's ended
    // (tracecmd_buffer_instance_handle copies the parent's next offset).
    return describeStreams(fd, layout, buffer.cpuData, buffer.pageSize, firstColumn, top.nextSource,
                           plan);
}

PageReader::PageReader(int fd, const CpuDataPlan& plan)
    : fd_(fd), plan_(plan), codec_(plan.codec), pageSize_(plan.pageSize) {}

std::string PageReader::readUncompressed(const CpuPages& cpu, std::uint64_t begin,
                                         std::uint64_t end, const Batch& batch) {
    const std::uint64_t window =
        std::max<std::uint64_t>(kReadWindowBytes / pageSize_, 1) * pageSize_;
    out_.resize(window);
    for (std::uint64_t at = begin; at < end;) {
        const std::uint64_t n = std::min(window, end - at);
        if (!preadAll(fd_, out_.data(), n, cpu.fileOffset + at)) {
            return plan_.streamName(cpu.cpu) + ": cannot read the pages at offset " +
                   std::to_string(cpu.fileOffset + at);
        }
        if (!batch(out_.data(), n, cpu.sourceBase + at)) {
            return "";
        }
        at += n;
    }
    return "";
}

bool PageReader::decompress(const Chunk& chunk) {
    in_.resize(chunk.packed);
    out_.resize(chunk.unpacked);
    if (!preadAll(fd_, in_.data(), chunk.packed, chunk.fileOffset + 8)) {
        return false;
    }
    if (codec_ == Codec::Zstd) {
        const std::size_t n = ZSTD_decompress(out_.data(), out_.size(), in_.data(), in_.size());
        return !ZSTD_isError(n) && n == chunk.unpacked;
    }
    uLongf n = chunk.unpacked;
    return ::uncompress(out_.data(), &n, in_.data(), chunk.packed) == Z_OK && n == chunk.unpacked;
}

std::string PageReader::read(const CpuPages& cpu, std::uint64_t begin, std::uint64_t end,
                             const Batch& batch) {
    if (cpu.chunks.empty()) {
        return readUncompressed(cpu, begin, end, batch);
    }
    std::string error;
    auto it = std::lower_bound(cpu.chunks.begin(), cpu.chunks.end(), begin,
                               [](const Chunk& c, std::uint64_t at) { return c.start < at; });
    for (; it != cpu.chunks.end() && it->start < end; ++it) {
        if (!decompress(*it)) {
            // The chunk's pages are lost; the ones after it are still read.
            if (error.empty()) {
                error = plan_.streamName(cpu.cpu) + ": the chunk at offset " +
                        std::to_string(it->fileOffset) + " does not decompress";
            }
            continue;
        }
        if (!batch(out_.data(), out_.size(), cpu.sourceBase + it->start)) {
            break;
        }
    }
    return error;
}

} // namespace irqlens::tracedat
