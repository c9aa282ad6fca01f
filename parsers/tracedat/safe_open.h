// Opening a trace.dat with libtracecmd without its error path.
//
// libtracecmd 3.1.6's tracecmd_open() calls tracecmd_close() on a handle
// whose headers failed to parse, and that close reads uninitialised state:
// a damaged header_page text (v6) or header section (v7) crashed the whole
// program (SIGSEGV inside tracecmd_close).  Here the open is done in its
// steps (alloc, read headers, init data); a handle that failed is never
// closed but parked for the life of the process (one leak per damaged
// file, instead of a crash), and the step it stopped at names the damaged
// section.
#pragma once

#include "parsers/tracedat/libtracecmd.h"
#include "parsers/tracedat/tracedat_layout.h"

#include <string>

namespace irqlens::tracedat {

// A copy of a capture in memory (memfd) with its masked options' ids
// replaced by kMaskedOptionId, for libtracecmd to read instead of the file.
// Made only for files with options libtracecmd would mishandle (no
// trace-cmd version writes them; the copy costs the file's size in memory).
class MaskedCopy {
public:
    ~MaskedCopy();
    MaskedCopy(const MaskedCopy&) = delete;
    MaskedCopy& operator=(const MaskedCopy&) = delete;
    // "/proc/self/fd/N": each open gets its own file position.
    const std::string& path() const { return path_; }

private:
    friend std::string prepareForLibtracecmd(const std::string& path, Layout& layout);
    MaskedCopy() = default;
    int fd_ = -1;
    std::string path_;
};

// Everything to do before libtracecmd may open the file: the masked copy
// when the layout has masked options, and a compression libtracecmd can
// decompress (zlib files are read by our own reader, capture_headers.h,
// and never get here).  "" when ready, else one line why not (without the path).
std::string prepareForLibtracecmd(const std::string& path, Layout& layout);

// The opened handle, or nullptr with `error` set to one line without the
// path, e.g. "header_page is damaged (offset 21)".  Reads the layout's
// masked copy instead of `path` when it has one.  Without `readCpuData`
// only the headers are read (formats, kallsyms, cmdlines, options): enough
// for the page decoder, and all a file cut inside its CPU data allows.
tracecmd_input* openTraceDat(const std::string& path, int flags, const Layout& layout,
                             std::string& error, bool readCpuData = true);

} // namespace irqlens::tracedat
