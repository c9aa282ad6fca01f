#include "parsers/writer/tracedat_writer.h"

#include "parsers/writer/tracedat_layout.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace irqlens {

namespace {

std::uint64_t roundUp(std::uint64_t value, std::uint64_t unit) {
    return (value + unit - 1) / unit * unit;
}

// Writes all of `bytes` at `offset`; returns how many bytes were written.
std::size_t pwriteAll(int fd, const char* data, std::size_t bytes, std::uint64_t offset) {
    std::size_t done = 0;
    while (done < bytes) {
        const ssize_t n =
            ::pwrite(fd, data + done, bytes - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    return done;
}

std::string errnoText() {
    return std::strerror(errno);
}

// The largest slot (halving from `wanted`) the file system accepts for
// `cpus` slots after `base` (vfat caps files at 4 GiB, ext4 at 16 TiB).
std::uint64_t fittingSlot(int fd, std::uint64_t base, int cpus, std::uint64_t wanted,
                          std::uint64_t pageSize) {
    const std::uint64_t minimum = std::max<std::uint64_t>(pageSize * 256, 1 << 20);
    std::uint64_t slot = roundUp(wanted, pageSize);
    while (slot > minimum && ::ftruncate(fd, static_cast<off_t>(base + slot * cpus)) != 0)
        slot = roundUp(slot / 2, pageSize);
    return slot;
}

bool validMetadata(const TraceMetadata& metadata, const std::string& path, std::string& error) {
    if (metadata.cpus < 1 || metadata.pageSize < 64 || metadata.pageSize % 8 != 0 ||
        (metadata.longSize != 4 && metadata.longSize != 8)) {
        error = path + ": bad target description (cpus " + std::to_string(metadata.cpus) +
                ", page size " + std::to_string(metadata.pageSize) + ", long size " +
                std::to_string(metadata.longSize) + ")";
        return false;
    }
    return true;
}

} // namespace

TraceDatWriter::TraceDatWriter(std::string path, int fd, TraceMetadata metadata,
                               const TraceDatWriterOptions& options)
    : path_(std::move(path)), fd_(fd), meta_(std::move(metadata)), options_(options),
      cpuOffset_(static_cast<std::size_t>(meta_.cpus)),
      cpuSize_(static_cast<std::size_t>(meta_.cpus)),
      cpuStats_(static_cast<std::size_t>(meta_.cpus)) {}

TraceDatWriter::~TraceDatWriter() {
    finish(meta_.savedCmdlines);
}

std::unique_ptr<TraceDatWriter> TraceDatWriter::create(const std::string& path,
                                                       const TraceMetadata& metadata,
                                                       std::string& error,
                                                       const TraceDatWriterOptions& options) {
    if (!validMetadata(metadata, path, error))
        return nullptr;
    // 0600: the file holds /proc/kallsyms read as root.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        error = path + ": cannot create: " + errnoText();
        return nullptr;
    }
    return adopt(fd, path, metadata, error, options);
}

std::unique_ptr<TraceDatWriter> TraceDatWriter::adopt(int fd, const std::string& path,
                                                      const TraceMetadata& metadata,
                                                      std::string& error,
                                                      const TraceDatWriterOptions& options) {
    if (!validMetadata(metadata, path, error)) {
        ::close(fd);
        return nullptr;
    }
    std::unique_ptr<TraceDatWriter> writer(new TraceDatWriter(path, fd, metadata, options));
    if (!writer->writeFixedPart(error))
        return nullptr;
    return writer;
}

bool TraceDatWriter::writeFixedPart(std::string& error) {
    const std::string fixed = tracedat::buildFixedPart(meta_);
    tailOffset_ = fixed.size();
    std::vector<tracedat::CpuSection> sections(cpuOffset_.size());
    const auto tail = tracedat::buildTail(meta_, meta_.savedCmdlines, cpuStats_, sections);
    dataBase_ = roundUp(tailOffset_ + tail.bytes.size() + options_.tailReserve, meta_.pageSize);
    options_.slotBytes =
        fittingSlot(fd_, dataBase_, meta_.cpus, options_.slotBytes, meta_.pageSize);
    for (std::size_t cpu = 0; cpu < cpuOffset_.size(); ++cpu)
        cpuOffset_[cpu] = dataBase_ + cpu * options_.slotBytes;
    // The file keeps the whole reserved length (sparse, no disk) until
    // compact(): a reader of the growing file (the GUI's live view, trace-cmd
    // report) takes the file size before it reads the CPU table, and with a
    // file that grows with every page, the table it reads already points
    // past that size ("file possibly truncated"; libtracecmd then crashes).
    if (::ftruncate(
            fd_, static_cast<off_t>(dataBase_ + options_.slotBytes *
                                                    static_cast<std::uint64_t>(meta_.cpus))) != 0 ||
        pwriteAll(fd_, fixed.data(), fixed.size(), 0) != fixed.size() ||
        !writeTail(meta_.savedCmdlines, error)) {
        if (error.empty())
            error = path_ + ": cannot write the header: " + errnoText();
        return false;
    }
    return true;
}

bool TraceDatWriter::writeTail(const std::string& savedCmdlines, std::string& error) {
    std::vector<tracedat::CpuSection> sections(cpuOffset_.size());
    for (std::size_t cpu = 0; cpu < sections.size(); ++cpu)
        sections[cpu] = {cpuOffset_[cpu], cpuSize_[cpu].load()};
    std::vector<std::string> stats;
    {
        std::lock_guard lock(mutex_);
        stats = cpuStats_;
    }
    auto tail = tracedat::buildTail(meta_, savedCmdlines, stats, sections);
    if (tailOffset_ + tail.bytes.size() > dataBase_) {
        // saved_cmdlines grew past the reserve: keep the one written at the start.
        tail = tracedat::buildTail(meta_, meta_.savedCmdlines, stats, sections);
        if (tailOffset_ + tail.bytes.size() > dataBase_) {
            error = path_ + ": header does not fit in its reserved space";
            return false;
        }
    }
    tableOffset_ = tailOffset_ + tail.tableOffset;
    // A shorter tail than the last one (saved_cmdlines shrinks when long
    // names leave its ring) must not leave the old bytes behind it.
    const std::size_t written = tail.bytes.size();
    if (written < tailBytes_)
        tail.bytes.resize(tailBytes_, '\0');
    tailBytes_ = written;
    if (pwriteAll(fd_, tail.bytes.data(), tail.bytes.size(), tailOffset_) != tail.bytes.size()) {
        error = path_ + ": cannot write the header: " + errnoText();
        return false;
    }
    return true;
}

bool TraceDatWriter::updateTableEntry(int cpu, std::uint64_t offset, std::uint64_t size) {
    const std::string entry = tracedat::encodeTableEntry(meta_, {offset, size});
    return pwriteAll(fd_, entry.data(), entry.size(), tableOffset_ + 16 * cpu) == entry.size();
}

void TraceDatWriter::fail(const std::string& what) {
    std::lock_guard lock(mutex_);
    if (error_.empty())
        error_ = path_ + ": " + what;
    failed_ = true;
}

bool TraceDatWriter::appendPages(int cpu, const void* data, std::size_t bytes) {
    if (failed_ || cpu < 0 || cpu >= meta_.cpus)
        return false;
    const auto index = static_cast<std::size_t>(cpu);
    const std::uint64_t size = cpuSize_[index].load();
    if (size + bytes > options_.slotBytes) {
        fail("CPU " + std::to_string(cpu) + " filled its " +
             std::to_string(options_.slotBytes >> 20) + " MiB of room; recording stopped");
        return false;
    }
    const std::size_t written =
        pwriteAll(fd_, static_cast<const char*>(data), bytes, cpuOffset_[index] + size);
    const int savedErrno = errno;
    // Only whole pages count: a torn last page is left out of the table.
    const std::uint64_t whole = written / meta_.pageSize * meta_.pageSize;
    cpuSize_[index] = size + whole;
    if (whole > 0 && !updateTableEntry(cpu, cpuOffset_[index], size + whole)) {
        fail("cannot update the CPU table: " + errnoText());
        return false;
    }
    if (written != bytes) {
        errno = savedErrno;
        fail("write failed after " + std::to_string(bytesWritten()) +
             " bytes of pages: " + errnoText());
        return false;
    }
    return true;
}

void TraceDatWriter::setCpuStats(int cpu, std::string stats) {
    std::lock_guard lock(mutex_);
    if (cpu >= 0 && cpu < meta_.cpus)
        cpuStats_[static_cast<std::size_t>(cpu)] = std::move(stats);
}

// Moves each CPU's pages down next to the previous CPU's, updating its
// table entry only once the copy is complete, so the file stays valid at
// every step.  Stops (leaving a valid sparse file) if a copy would overlap
// its own source or cannot be written.
bool TraceDatWriter::compact(std::string& error) {
    std::uint64_t end = dataBase_ + cpuSize_[0].load();
    std::vector<char> buffer(1 << 20);
    for (std::size_t cpu = 1; cpu < cpuOffset_.size(); ++cpu) {
        const std::uint64_t size = cpuSize_[cpu].load();
        const std::uint64_t from = cpuOffset_[cpu];
        if (end + size > from && end != from) {
            end = from + size;
            continue;
        }
        for (std::uint64_t done = 0; done < size && end != from;) {
            const std::size_t chunk =
                static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), size - done));
            const ssize_t n = ::pread(fd_, buffer.data(), chunk, static_cast<off_t>(from + done));
            if (n != static_cast<ssize_t>(chunk) ||
                pwriteAll(fd_, buffer.data(), chunk, end + done) != chunk) {
                error = path_ + ": pages kept in a sparse file (compaction failed: " + errnoText() +
                        ")";
                return false;
            }
            done += chunk;
        }
        if (end != from) {
            cpuOffset_[cpu] = end;
            if (!updateTableEntry(static_cast<int>(cpu), end, size)) {
                error = path_ + ": cannot update the CPU table: " + errnoText();
                return false;
            }
        }
        end += size;
    }
    if (::ftruncate(fd_, static_cast<off_t>(end)) != 0) {
        error = path_ + ": cannot trim the file: " + errnoText();
        return false;
    }
    return true;
}

bool TraceDatWriter::finish(const std::string& savedCmdlines) {
    {
        std::lock_guard lock(mutex_);
        if (finished_)
            return error_.empty();
        finished_ = true;
    }
    std::string error;
    if (writeTail(savedCmdlines.empty() ? meta_.savedCmdlines : savedCmdlines, error))
        compact(error);
    if (!error.empty())
        fail(error.substr(path_.size() + 2));
    // Only fsync() and close() say whether the data reached the disk (a
    // full disk on NFS or a thin volume, an I/O error): never ignored.
    if (::fsync(fd_) != 0)
        fail(std::string("cannot write to the disk (fsync): ") + errnoText());
    if (::close(fd_) != 0)
        fail(std::string("cannot write to the disk (close): ") + errnoText());
    fd_ = -1;
    std::lock_guard lock(mutex_);
    return error_.empty();
}

std::uint64_t TraceDatWriter::pagesWritten(int cpu) const {
    if (cpu < 0 || cpu >= meta_.cpus)
        return 0;
    return cpuSize_[static_cast<std::size_t>(cpu)].load() / meta_.pageSize;
}

std::uint64_t TraceDatWriter::bytesWritten() const {
    std::uint64_t total = 0;
    for (const auto& size : cpuSize_)
        total += size.load();
    return total;
}

std::string TraceDatWriter::error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

} // namespace irqlens
