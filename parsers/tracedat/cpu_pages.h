// Where each CPU's ring-buffer pages lie in a trace.dat and how to read
// them: v6 (and uncompressed v7) pages are read with pread into a reused
// buffer, v7 chunks are decompressed (zstd or zlib) into a reused buffer.
// Nothing is mapped, so memory stays at one chunk / window per thread.
#pragma once

#include "parsers/tracedat/tracedat_layout.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace irqlens::tracedat {

enum class Codec { None, Zstd, Zlib };

// One compressed chunk of a v7 CPU stream.
struct Chunk {
    std::uint64_t fileOffset = 0; // of its 8-byte header
    std::uint32_t packed = 0;
    std::uint32_t unpacked = 0;
    std::uint64_t start = 0; // offset of its first page in the uncompressed stream
};

// One CPU's stream: `bytes` of whole pages (uncompressed).
struct CpuPages {
    int cpu = 0;    // in its buffer
    int column = 0; // in the store: the CPU for the top buffer, after them for extra buffers
    std::uint64_t fileOffset = 0; // first page (uncompressed data only)
    std::uint64_t bytes = 0;
    // The source offset of the stream's byte 0: the file offset for
    // uncompressed data; for compressed data libtracecmd's offset (it lays
    // the decompressed streams one after the other from one page in), so
    // EventSource can re-read an event with tracecmd_read_at.
    std::uint64_t sourceBase = 0;
    std::vector<Chunk> chunks; // empty for uncompressed data
    // The file ends inside this CPU's data (only whole pages/chunks before
    // the cut are kept in `bytes`).
    bool cutShort = false;
};

// The CPU streams of one buffer.
struct CpuDataPlan {
    std::string buffer; // "" for the top buffer
    Codec codec = Codec::None;
    std::uint32_t pageSize = 4096;
    std::vector<CpuPages> cpus; // in the file's CPU order
    std::uint64_t totalBytes = 0;
    // Where the file was cut inside CPU data (0: not cut).
    std::uint64_t truncatedAt = 0;
    // libtracecmd's source offset after this buffer's compressed streams
    // (where the streams of an extra buffer start).
    std::uint64_t nextSource = 0;
    // "CPU 3" or "buffer irqs CPU 3", for messages.
    std::string streamName(int cpu) const;
};

// Describes the top buffer's CPU data of `layout` (reads v7 chunk tables
// from `fd`); "" or the reason it cannot (unknown codec, damaged chunk table).
std::string describeCpuData(int fd, const Layout& layout, CpuDataPlan& plan);

// The same for extra buffer `buffer`, its CPUs in store columns from
// `firstColumn` on; `top` is the top buffer's plan.
std::string describeBufferData(int fd, const Layout& layout, const BufferLayout& buffer,
                               int firstColumn, const CpuDataPlan& top, CpuDataPlan& plan);

// Reads a stream's pages in batches; one per thread (its buffers are reused).
class PageReader {
public:
    PageReader(int fd, const CpuDataPlan& plan);
    using Batch = std::function<bool(const unsigned char* pages, std::size_t size,
                                     std::uint64_t sourceOffset)>;
    // Calls `batch` for the pages of [begin, end) of the stream (offsets in
    // the uncompressed stream, page-aligned; chunk-aligned when compressed)
    // until it returns false.  Returns "" or what could not be read (the
    // batches before it were delivered).
    std::string read(const CpuPages& cpu, std::uint64_t begin, std::uint64_t end,
                     const Batch& batch);

private:
    std::string readUncompressed(const CpuPages& cpu, std::uint64_t begin, std::uint64_t end,
                                 const Batch& batch);
    bool decompress(const Chunk& chunk);

    int fd_;
    const CpuDataPlan& plan_;
    Codec codec_;
    std::uint32_t pageSize_;
    std::vector<unsigned char> in_;
    std::vector<unsigned char> out_;
};

} // namespace irqlens::tracedat
