#include "parsers/writer/tracedat_file_sink.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace irqlens {

namespace {

std::string errnoText() {
    return std::strerror(errno);
}

// Renames `from` to `to` unless `to` exists (whatever it is, even a
// dangling symlink).  RENAME_NOREPLACE where the file system has it, else a
// hard link (which also refuses to replace), else a last check and rename.
bool renameNoReplace(const std::string& from, const std::string& to) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
        return true;
    }
    if (errno != EINVAL && errno != ENOSYS) {
        return false;
    }
    if (::link(from.c_str(), to.c_str()) == 0) {
        ::unlink(from.c_str());
        return true;
    }
    if (errno != EPERM && errno != EOPNOTSUPP) {
        return false;
    }
    struct stat st {};
    if (::lstat(to.c_str(), &st) == 0) {
        errno = EEXIST;
        return false;
    }
    return ::rename(from.c_str(), to.c_str()) == 0;
}

// So that the new name survives a power loss, not just the data.
void syncFolder(const std::string& path) {
    const std::string dir = std::filesystem::path(path).parent_path().string();
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

} // namespace

std::string partialFileTemplate(const std::string& path) {
    const std::filesystem::path p(path);
    const std::string ext = p.extension().string();
    std::filesystem::path name = p.parent_path() / p.stem();
    return name.string() + ".partial-XXXXXX" + ext;
}

TraceDatFileSink::~TraceDatFileSink() {
    if (!ended_ && !partial_.empty()) {
        ::unlink(partial_.c_str()); // never started: nothing to keep
    }
    writer_.reset();
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

bool TraceDatFileSink::open(std::string& error) {
    if (fd_ >= 0 || writer_) {
        return true;
    }
    struct stat st {};
    if (existing_ == Existing::Refuse && ::lstat(path_.c_str(), &st) == 0) {
        error = path_ + ": exists already (not replaced)";
        return false;
    }
    std::string name = partialFileTemplate(path_);
    const int suffix = static_cast<int>(std::filesystem::path(path_).extension().string().size());
    // mkostemps: O_CREAT|O_EXCL (never through a symlink, never an existing
    // file), mode 0600.
    fd_ = ::mkostemps(name.data(), suffix, O_CLOEXEC);
    if (fd_ < 0) {
        error = path_ + ": cannot create a file next to it: " + errnoText();
        return false;
    }
    partial_ = name;
    return true;
}

bool TraceDatFileSink::begin(const TraceMetadata& metadata, std::string& error) {
    if (!open(error)) {
        return false;
    }
    // Messages name the file the user asked for.
    writer_ = TraceDatWriter::adopt(fd_, path_, metadata, error, options_);
    fd_ = -1;
    return writer_ != nullptr;
}

bool TraceDatFileSink::pages(int cpu, const void* data, std::size_t bytes) {
    return writer_ && writer_->appendPages(cpu, data, bytes);
}

void TraceDatFileSink::cpuStats(int cpu, const std::string& stats) {
    if (writer_) {
        writer_->setCpuStats(cpu, stats);
    }
}

bool TraceDatFileSink::moveToTarget(std::string& error) {
    const bool moved = existing_ == Existing::Replace
                           ? ::rename(partial_.c_str(), path_.c_str()) == 0
                           : renameNoReplace(partial_, path_);
    if (!moved) {
        const std::string why = errno == EEXIST ? "it appeared meanwhile" : errnoText();
        if (error.empty()) {
            error = "the recording is kept in " + partial_ + ": cannot name it " + path_ + " (" +
                    why + ")";
        }
        written_ = partial_;
        return false;
    }
    written_ = path_;
    syncFolder(path_);
    return true;
}

bool TraceDatFileSink::end(const std::string& savedCmdlines, std::string& error) {
    if (!writer_) {
        error = path_ + ": nothing was written";
        return false;
    }
    ended_ = true;
    const bool finished = writer_->finish(savedCmdlines);
    if (!finished) {
        error = writer_->error();
    }
    // Pages written before an error (disk full) are still a readable capture.
    const bool readable = finished || writer_->bytesWritten() > 0;
    if (readable) {
        moveToTarget(error);
    } else {
        ::unlink(partial_.c_str());
    }
    return readable;
}

std::string TraceDatFileSink::lastError() const {
    return writer_ ? writer_->error() : "";
}

} // namespace irqlens
