// The independent side of the truncation sweep for cuts inside CPU data:
// how many events the complete pages (uncompressed data) or complete chunks
// (compressed v7 data) before a cut hold.
//  - v6, uncompressed v7 and zstd v7: `trace-cmd report` on a full-length
//    copy whose CPU descriptions are shortened to those pages / chunks (the
//    v6 CPU table's or the v7 BUFFER options' sizes, and the chunk counts).
//  - zlib v7 (Debian's trace-cmd reads zstd only): the complete chunks are
//    inflated here and their ring-buffer records counted by a walker of its
//    own (record headers only, no formats), itself checked on the whole file
//    against the counts upstream trace-cmd gave (counts.json).
// None of it goes through irqlens' page decoder.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace irqlens::test {

struct CutCounts {
    std::uint64_t total = 0;
    std::map<int, std::uint64_t> perCpu; // top buffer's CPUs (only when there is one buffer)
};

class CutReference {
public:
    explicit CutReference(const std::string& path);
    // "" when cuts inside the CPU data can be checked, else why not.
    const std::string& unsupported() const { return unsupported_; }
    bool compressed() const { return !codec_.empty(); }
    const std::string& codec() const { return codec_; }
    bool singleBuffer() const { return buffers_ == 1; }
    // The cut lies inside some CPU's data (not at its very start).
    bool insideData(std::uint64_t cut) const;
    // Offsets inside each CPU's data worth cutting at: its first bytes, a few
    // points across it, chunk boundaries and one byte short of them, its end.
    std::vector<std::uint64_t> dataCuts() const;
    // The events of the complete pages / chunks before `cut` (`scratch`: a
    // path for the shortened copy).
    // `again`: trace-cmd report runs again even when this cut's pages were
    // counted before (a report that disagrees with the load is retried).
    CutCounts eventsBefore(std::uint64_t cut, const std::string& scratch, bool again = false);
    // The whole file as the walker counts it (zlib only).
    std::uint64_t walkedTotal() const;

private:
    struct Chunk {
        std::uint64_t at = 0; // its 8-byte header
        std::uint32_t packed = 0, unpacked = 0;
    };
    struct Stream {
        int cpu = 0;
        bool top = true;
        std::uint64_t offset = 0, size = 0;
        std::uint64_t sizeField = 0; // where the file gives `size`
        std::uint32_t pageSize = 4096;
        std::vector<Chunk> chunks; // compressed data
    };
    void locateV6(const std::vector<Stream>& streams);
    void locateV7(std::vector<Stream> streams);
    void readChunks(Stream& s) const;
    std::uint64_t u64(std::uint64_t at) const;
    std::uint32_t u32(std::uint64_t at) const;
    CutCounts walk(std::uint64_t cut) const;

    std::string bytes_;
    std::string codec_;
    std::string unsupported_;
    int buffers_ = 0;
    std::vector<Stream> streams_;
    std::map<std::string, CutCounts> cache_;
};

} // namespace irqlens::test
