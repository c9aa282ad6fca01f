// What the page decoder needs from a trace.dat's metadata (formats,
// kallsyms, cmdlines, the options), read by libtracecmd where it can read
// the file and by our own reader where it cannot (v7 compressed with zlib:
// Debian's libtracecmd knows zstd only).  The timestamp options are always
// read by us: trace-cmd applies them to every record, so must we.
#pragma once

#include "core/model/event_store.h"
#include "parsers/tracedat/libtracecmd.h"
#include "parsers/tracedat/own_headers.h"
#include "parsers/tracedat/tracedat_layout.h"

#include <memory>
#include <string>

namespace irqlens::tracedat {

// True when our own reader reads the metadata (zlib, a v7 file cut before
// its last options section), false when libtracecmd does.
bool readsOwnHeaders(const Layout& layout);

// What to do before CaptureHeaders::open: for a file libtracecmd reads, the
// masked copy of its quirky options (safe_open.h).  "" or one line why the
// file cannot be read (without the path).
std::string prepareHeaders(const std::string& path, Layout& layout);

class CaptureHeaders {
public:
    // nullptr with `error` (one line, without the path) when the metadata
    // cannot be read.
    static std::unique_ptr<CaptureHeaders> open(const std::string& path, int fd,
                                                const Layout& layout, std::string& error);
    ~CaptureHeaders();
    CaptureHeaders(const CaptureHeaders&) = delete;
    CaptureHeaders& operator=(const CaptureHeaders&) = delete;

    tep_handle* tep() const { return tep_; }
    int cpuCount() const;
    const TimestampConversion& conversion() const { return own_.conversion; }
    void fillInfo(const Layout& layout, CaptureInfo& info) const;
    // libtracecmd can read the file's events one by one (EventSource).
    bool libtracecmdReadable() const { return handle_ != nullptr && !cutShort_; }

private:
    CaptureHeaders() = default;
    tracecmd_input* handle_ = nullptr; // when libtracecmd read the headers
    tep_handle* tep_ = nullptr;        // the handle's, or our own
    OwnHeaders own_;
    bool cutShort_ = false;
};

} // namespace irqlens::tracedat
