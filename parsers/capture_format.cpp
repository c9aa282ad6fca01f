#include "parsers/capture_format.h"

#include "parsers/tracedat/tracedat_layout.h"

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace irqlens {

namespace {
constexpr std::size_t kProbeBytes = 64;

// "text \"# tracer: nop\"" or "binary 7f 45 4c 46 ...", for the error message.
std::string describeStart(const unsigned char* bytes, std::size_t n) {
    std::size_t printable = 0;
    while (printable < n && (std::isprint(bytes[printable]) || std::isspace(bytes[printable]))) {
        ++printable;
    }
    if (printable == n) {
        std::string text(reinterpret_cast<const char*>(bytes), std::min<std::size_t>(n, 24));
        for (char& c : text) {
            c = std::isprint(static_cast<unsigned char>(c)) ? c : ' ';
        }
        return "starts with text \"" + text + "\"";
    }
    std::string hex = "starts with bytes";
    for (std::size_t i = 0; i < std::min<std::size_t>(n, 8); ++i) {
        char b[4];
        std::snprintf(b, sizeof b, " %02x", bytes[i]);
        hex += b;
    }
    return hex;
}

// Text captures (trace-cmd report, the kernel's trace, function_graph):
// no NUL or control bytes other than tab/newline; UTF-8 task names allowed.
bool looksLikeText(const unsigned char* bytes, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (bytes[i] < 0x20 && bytes[i] != '\t' && bytes[i] != '\n' && bytes[i] != '\r') {
            return false;
        }
    }
    return true;
}
} // namespace

FormatProbe detectCaptureFormat(const std::string& path) {
    FormatProbe probe;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        probe.problem =
            path + ": " + (errno == ENOENT ? std::string("no such file") : std::strerror(errno));
        return probe;
    }
    if (S_ISDIR(st.st_mode)) {
        probe.problem = path + ": is a directory, not a capture file";
        return probe;
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        probe.problem = path + ": cannot open (" + std::strerror(errno) + ")";
        return probe;
    }
    std::array<unsigned char, kProbeBytes> head{};
    const ssize_t n = ::read(fd, head.data(), head.size());
    ::close(fd);
    if (n < 0) {
        probe.problem = path + ": cannot read (" + std::strerror(errno) + ")";
    } else if (n == 0) {
        probe.problem = path + ": empty file (0 bytes)";
    } else if (tracedat::hasTraceDatMagic(head.data(), std::size_t(n))) {
        probe.format = CaptureFormat::TraceDat;
    } else if (looksLikeText(head.data(), std::size_t(n))) {
        probe.format = CaptureFormat::Text;
    } else {
        probe.description = describeStart(head.data(), std::size_t(n));
    }
    return probe;
}

} // namespace irqlens
