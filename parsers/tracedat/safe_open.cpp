#include "parsers/tracedat/safe_open.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <traceevent/event-parse.h>
#include <unistd.h>
#include <vector>

extern "C" {
// Exported by libtracecmd.so.1, declared only in its private header.
struct tracecmd_input* tracecmd_alloc(const char* file, int flags);
int tracecmd_read_headers(struct tracecmd_input* handle, int state);
int tracecmd_init_data(struct tracecmd_input* handle);
unsigned long tracecmd_get_file_state(struct tracecmd_input* handle);
bool tracecmd_compress_is_supported(const char* name, const char* version);
}

namespace irqlens::tracedat {

namespace {

// enum tracecmd_file_states of libtracecmd's private header: the step a
// handle reached.  The section read next is the one that failed.
const char* sectionAfterState(unsigned long state) {
    static constexpr const char* kNext[] = {
        "header",               // ALLOCATED -> INIT
        "header_page",          // INIT -> HEADERS (header_page, header_event)
        "ftrace event formats", // HEADERS -> FTRACE_EVENTS
        "event formats",        // FTRACE_EVENTS -> ALL_EVENTS
        "kallsyms",             // ALL_EVENTS -> KALLSYMS
        "trace_printk formats", // KALLSYMS -> PRINTK
        "saved cmdlines",       // PRINTK -> CMD_LINES
        "CPU count",            // CMD_LINES -> CPU_COUNT
        "options",              // CPU_COUNT -> OPTIONS
        "CPU data",             // OPTIONS -> CPU_LATENCY
        "CPU data",             // -> CPU_FLYRECORD
        "CPU data",             // FLYRECORD: init_data failed
    };
    return state < std::size(kNext) ? kNext[state] : "CPU data";
}

// Handles whose open failed: closing them crashes libtracecmd 3.1.6, and
// keeping them reachable keeps LeakSanitizer quiet about the deliberate leak.
void park(tracecmd_input* handle) {
    static std::mutex mutex;
    static std::vector<tracecmd_input*>* parked = new std::vector<tracecmd_input*>;
    std::lock_guard<std::mutex> lock(mutex);
    parked->push_back(handle);
}

// libtracecmd goes on after libtraceevent refused header_page (it only
// logs it) and fails later in init_data; an unknown timestamp size gives it away.
std::string damagedSection(tracecmd_input* handle) {
    if (tep_get_header_timestamp_size(tracecmd_get_tep(handle)) == 0) {
        return "header_page";
    }
    return sectionAfterState(tracecmd_get_file_state(handle));
}

std::string damaged(const Layout& layout, tracecmd_input* handle) {
    const std::string section = damagedSection(handle);
    std::string error = section + " is damaged";
    if (const auto it = layout.sectionOffsets.find(section); it != layout.sectionOffsets.end()) {
        error += " (offset " + std::to_string(it->second) + ")";
    }
    return error + ": libtracecmd cannot read it";
}

// Copies `from` into `to` (both at offset 0); false on a short copy.
bool copyFile(int from, int to, std::uint64_t size) {
    off_t offset = 0;
    while (static_cast<std::uint64_t>(offset) < size) {
        const ssize_t n = ::sendfile(to, from, &offset, size - static_cast<std::uint64_t>(offset));
        if (n <= 0) {
            return false;
        }
    }
    return true;
}

bool writeMasks(int fd, const Layout& layout) {
    for (const MaskedOption& m : layout.maskedOptions) {
        const unsigned char id[2] = {
            static_cast<unsigned char>(layout.bigEndian ? kMaskedOptionId >> 8 : kMaskedOptionId),
            static_cast<unsigned char>(layout.bigEndian ? kMaskedOptionId : kMaskedOptionId >> 8)};
        if (::pwrite(fd, id, 2, static_cast<off_t>(m.idOffset)) != 2) {
            return false;
        }
    }
    return true;
}

} // namespace

MaskedCopy::~MaskedCopy() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

std::string prepareForLibtracecmd(const std::string& path, Layout& layout) {
    if (!layout.compression.empty() &&
        !tracecmd_compress_is_supported(layout.compression.c_str(),
                                        layout.compressionVersion.c_str())) {
        return "trace.dat compressed with " + layout.compression +
               ", which irqlens cannot decompress (it reads zstd and zlib)";
    }
    if (layout.maskedOptions.empty()) {
        return "";
    }
    std::shared_ptr<MaskedCopy> copy(new MaskedCopy);
    copy->fd_ = ::memfd_create("irqlens-masked-trace.dat", MFD_CLOEXEC);
    const int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    const bool ok = copy->fd_ >= 0 && in >= 0 && copyFile(in, copy->fd_, layout.fileSize) &&
                    writeMasks(copy->fd_, layout);
    const int savedErrno = errno;
    if (in >= 0) {
        ::close(in);
    }
    if (!ok) {
        return std::string("cannot copy the file to mask its options: ") +
               std::strerror(savedErrno);
    }
    copy->path_ = "/proc/self/fd/" + std::to_string(copy->fd_);
    layout.maskedCopy = std::move(copy);
    return "";
}

tracecmd_input* openTraceDat(const std::string& path, int flags, const Layout& layout,
                             std::string& error, bool readCpuData) {
    errno = 0;
    const std::string& readPath = layout.maskedCopy ? layout.maskedCopy->path() : path;
    tracecmd_input* handle = tracecmd_alloc(readPath.c_str(), flags);
    if (!handle) {
        error = std::string("libtracecmd cannot read this trace.dat") +
                (errno ? std::string(" (") + std::strerror(errno) + ")" : "");
        return nullptr;
    }
    if (tracecmd_read_headers(handle, 0) != 0 || (readCpuData && tracecmd_init_data(handle) != 0)) {
        error = damaged(layout, handle);
        park(handle);
        return nullptr;
    }
    return handle;
}

} // namespace irqlens::tracedat

#if defined(__SANITIZE_ADDRESS__)
#define IRQLENS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IRQLENS_ASAN 1
#endif
#endif
#ifdef IRQLENS_ASAN
// libtracecmd 3.1.6 leaks on its own: tracecmd_parse_trace_clock() the
// clock name it sscanf()s ("%ms", a few bytes per v6 open), and
// tracecmd_iterate_events() the records it peeked on other CPUs when a
// callback stops the iteration early (split streams, cancel): ~30 bytes
// per record, freed by nobody.  Not ours to free.  The default fast
// unwinder stops at glibc's sscanf (no frame pointers in libtracecmd),
// hence the second pattern; irqlens itself never scans with %m.
// libtraceevent 1.7's tep_parse_event() leaks a 2-byte strdup() while
// parsing some print formats (seen on the zlib captures, whose formats our
// own reader parses; tep_free() does not reach it).  A tep we forget to
// free still shows: its allocation is tep_alloc()'s.
extern "C" const char* __lsan_default_suppressions() {
    return "leak:libtracecmd.so\nleak:__isoc99_vsscanf\nleak:tep_parse_event\n";
}
#endif
