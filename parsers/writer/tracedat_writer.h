// Writes a trace.dat version 6 file (man 5 trace-cmd.dat.v6) from raw
// ring-buffer pages as they arrive, so that the file is readable by
// `trace-cmd report`, KernelShark and libtracecmd at every moment:
//
//   [magic .. header_page/event, formats, kallsyms, printk]   fixed, written at create()
//   [saved_cmdlines, CPU count, options, "flyrecord", table]   the "tail", rewritten at finish()
//   [reserve]                                                 room for the tail to grow
//   [CPU 0 pages][hole][CPU 1 pages][hole]...                 one sparse slot per CPU
//
// Each CPU owns a slot at a fixed offset, so its pages stay contiguous (v6
// needs one offset+size per CPU) without temp files.  After every append the
// CPU's size in the table is updated, so a crash, SIGKILL or a full disk
// leave a valid (sparse) file holding every page written so far.  finish()
// rewrites the tail (final saved_cmdlines and per-CPU stats) and compacts
// the slots so the finished file has no holes.
#pragma once

#include "core/record/trace_metadata.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace irqlens {

struct TraceDatWriterOptions {
    // Room reserved per CPU (sparse: costs no disk until written).
    std::uint64_t slotBytes = std::uint64_t{64} << 30;
    // Room reserved for the tail to grow (saved_cmdlines read again at the end).
    std::uint64_t tailReserve = std::uint64_t{4} << 20;
};

class TraceDatWriter {
public:
    // Creates (truncates) `path` (mode 0600, never through a symlink) and
    // writes everything but the pages.  On failure returns nullptr and sets
    // `error` to one line naming the file.
    static std::unique_ptr<TraceDatWriter> create(const std::string& path,
                                                  const TraceMetadata& metadata, std::string& error,
                                                  const TraceDatWriterOptions& options = {});
    // The same on an empty file the caller opened read-write (`fd` is taken
    // over and closed, also on failure); `path` names it in messages.
    static std::unique_ptr<TraceDatWriter> adopt(int fd, const std::string& path,
                                                 const TraceMetadata& metadata, std::string& error,
                                                 const TraceDatWriterOptions& options = {});
    ~TraceDatWriter();
    TraceDatWriter(const TraceDatWriter&) = delete;
    TraceDatWriter& operator=(const TraceDatWriter&) = delete;

    // Appends whole pages (bytes is a multiple of the page size) of one CPU.
    // Thread-safe for different CPUs (one reader thread per CPU).  Returns
    // false after a write error (full disk ...): see error(); pages already
    // written stay readable.
    bool appendPages(int cpu, const void* data, std::size_t bytes);

    // Text of per_cpu/cpuN/stats (entries, overrun, dropped events ...),
    // stored as a CPUSTAT option by finish().
    void setCpuStats(int cpu, std::string stats);

    // Rewrites the tail with the final saved_cmdlines and stats, removes the
    // holes, and syncs and closes the file: false (see error()) when any of
    // it failed, e.g. a full disk or an I/O error reported by fsync() or
    // close(); what was written stays.  Safe to call again; the destructor
    // calls it.
    bool finish(const std::string& savedCmdlines);

    std::uint64_t pagesWritten(int cpu) const;
    std::uint64_t bytesWritten() const;
    const std::string& path() const { return path_; }
    std::string error() const;

private:
    TraceDatWriter(std::string path, int fd, TraceMetadata metadata,
                   const TraceDatWriterOptions& options);
    bool writeFixedPart(std::string& error);
    bool writeTail(const std::string& savedCmdlines, std::string& error);
    bool updateTableEntry(int cpu, std::uint64_t offset, std::uint64_t size);
    bool compact(std::string& error);
    void fail(const std::string& what);

    std::string path_;
    int fd_ = -1;
    TraceMetadata meta_;
    TraceDatWriterOptions options_;
    std::uint64_t tailOffset_ = 0;  // where saved_cmdlines starts
    std::size_t tailBytes_ = 0;     // length of the tail written last
    std::uint64_t tableOffset_ = 0; // where the per-CPU offset/size table starts
    std::uint64_t dataBase_ = 0;    // first CPU slot
    std::vector<std::uint64_t> cpuOffset_;
    std::vector<std::atomic<std::uint64_t>> cpuSize_;
    std::vector<std::string> cpuStats_;
    mutable std::mutex mutex_; // guards cpuStats_, error_, finished_
    std::string error_;
    std::atomic<bool> failed_{false};
    bool finished_ = false;
};

} // namespace irqlens
