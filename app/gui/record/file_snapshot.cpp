#include "app/gui/record/file_snapshot.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace irqlens::gui {

namespace {
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

std::string failure(const std::string& path, const char* what) {
    return path + ": " + what + ": " + std::strerror(errno);
}

// Copies [begin, end) of `in` to the same offsets of `out`; stops early at
// the end of the source (it may be read while it changes).
bool copyRange(int in, int out, off_t begin, off_t end, std::vector<char>& buffer) {
    for (off_t at = begin; at < end;) {
        const auto want =
            static_cast<std::size_t>(std::min<off_t>(end - at, static_cast<off_t>(buffer.size())));
        const ssize_t n = ::pread(in, buffer.data(), want, at);
        if (n <= 0) {
            return n == 0;
        }
        if (::pwrite(out, buffer.data(), static_cast<std::size_t>(n), at) != n) {
            return false;
        }
        at += n;
    }
    return true;
}
} // namespace

std::string snapshotSparseFile(const std::string& from, const std::string& to) {
    Fd in{::open(from.c_str(), O_RDONLY | O_CLOEXEC)};
    if (in.fd < 0) {
        return failure(from, "cannot open");
    }
    struct stat st {};
    if (::fstat(in.fd, &st) != 0) {
        return failure(from, "cannot stat");
    }
    Fd out{::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
    if (out.fd < 0 || ::ftruncate(out.fd, st.st_size) != 0) {
        return failure(to, "cannot create");
    }
    std::vector<char> buffer(1 << 20);
    for (off_t at = 0; at < st.st_size;) {
        const off_t data = ::lseek(in.fd, at, SEEK_DATA);
        if (data < 0) {
            if (errno == ENXIO) {
                break; // only holes after `at`
            }
            return failure(from, "cannot seek");
        }
        off_t hole = ::lseek(in.fd, data, SEEK_HOLE);
        if (hole < 0) {
            hole = st.st_size;
        }
        if (!copyRange(in.fd, out.fd, data, std::min(hole, st.st_size), buffer)) {
            return failure(to, "cannot copy");
        }
        at = hole;
    }
    return {};
}

} // namespace irqlens::gui
