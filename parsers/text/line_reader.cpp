#include "parsers/text/line_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace irqlens {

LineReader::LineReader(const std::string& path, std::uint64_t startOffset, std::size_t chunk) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
        error_ = path + ": cannot open: " + std::strerror(errno);
        return;
    }
    struct stat st {};
    if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
        fileSize_ = static_cast<std::uint64_t>(st.st_size);
        ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
    if (startOffset > 0 && ::lseek(fd_, static_cast<off_t>(startOffset), SEEK_SET) < 0) {
        error_ = path + ": cannot seek: " + std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
        return;
    }
    bufferFileOffset_ = startOffset;
    lineEnd_ = startOffset;
    buffer_.resize(std::max<std::size_t>(chunk, 4096));
}

LineReader::~LineReader() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

// Moves the unread tail to the front and reads more after it; grows the
// buffer only when one line does not fit.
bool LineReader::fill() {
    if (eof_) {
        return false;
    }
    if (begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        bufferFileOffset_ += begin_;
        end_ -= begin_;
        begin_ = 0;
    }
    if (end_ == buffer_.size()) {
        buffer_.resize(buffer_.size() * 2);
    }
    for (;;) {
        const ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            error_ = std::string("read error: ") + std::strerror(errno);
            eof_ = true;
            return false;
        }
        if (n == 0) {
            eof_ = true;
            return false;
        }
        end_ += static_cast<std::size_t>(n);
        return true;
    }
}

bool LineReader::next(std::string_view& line, std::uint64_t& offset) {
    cut_ = false;
    std::size_t scanFrom = begin_;
    for (;;) {
        const char* start = buffer_.data() + scanFrom;
        const void* nl = std::memchr(start, '\n', end_ - scanFrom);
        if (nl != nullptr || (eof_ && end_ > begin_) || end_ - begin_ >= kMaxLine) {
            std::size_t stop =
                nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - buffer_.data()) : end_;
            if (!nl && !eof_) {
                stop = begin_ + kMaxLine; // a runaway line: cut it
                cut_ = true;
            }
            offset = bufferFileOffset_ + begin_;
            std::size_t len = stop - begin_;
            if (len > 0 && buffer_[begin_ + len - 1] == '\r') {
                --len;
            }
            line = std::string_view(buffer_.data() + begin_, len);
            begin_ = nl ? stop + 1 : stop;
            lineEnd_ = bufferFileOffset_ + begin_;
            return true;
        }
        if (eof_) {
            return false;
        }
        const std::size_t scanned = end_ - begin_;
        const bool more = fill();
        // fill() moved the unread tail to the front even when it read nothing.
        scanFrom = begin_ + scanned;
        if (!more) {
            if (end_ > begin_) {
                continue; // last line without "\n"
            }
            return false;
        }
    }
}

} // namespace irqlens
