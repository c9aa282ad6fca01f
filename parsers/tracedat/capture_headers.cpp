#include "parsers/tracedat/capture_headers.h"

#include "parsers/tracedat/capture_info.h"
#include "parsers/tracedat/safe_open.h"

namespace irqlens::tracedat {

bool readsOwnHeaders(const Layout& layout) {
    // libtracecmd reads every options section before anything else, and
    // fails on a v7 file cut before the last of them.
    return layout.compression == "zlib" || layout.optionsCutAt != 0;
}

std::string prepareHeaders(const std::string& path, Layout& layout) {
    return readsOwnHeaders(layout) ? "" : prepareForLibtracecmd(path, layout);
}

std::unique_ptr<CaptureHeaders> CaptureHeaders::open(const std::string& path, int fd,
                                                     const Layout& layout, std::string& error) {
    std::unique_ptr<CaptureHeaders> h(new CaptureHeaders);
    h->cutShort_ = layout.cpuDataCutAt != 0;
    const bool ownFormats = readsOwnHeaders(layout);
    if (auto problem = readOwnHeaders(fd, layout, ownFormats, h->own_); !problem.empty()) {
        error = problem;
        return nullptr;
    }
    if (ownFormats) {
        h->tep_ = buildTep(h->own_, layout, error);
        return h->tep_ ? std::move(h) : nullptr;
    }
    // A file cut inside its CPU data has no complete data table for
    // libtracecmd: only its headers are read then.
    h->handle_ = openTraceDat(path, TRACECMD_FL_LOAD_NO_PLUGINS, layout, error, !h->cutShort_);
    if (!h->handle_) {
        return nullptr;
    }
    h->tep_ = tracecmd_get_tep(h->handle_);
    return h;
}

CaptureHeaders::~CaptureHeaders() {
    if (handle_) {
        tracecmd_close(handle_);
    } else if (tep_) {
        tep_free(tep_);
    }
}

int CaptureHeaders::cpuCount() const {
    return handle_ ? tracecmd_cpus(handle_) : own_.cpuCount;
}

void CaptureHeaders::fillInfo(const Layout& layout, CaptureInfo& info) const {
    if (handle_) {
        fillCaptureInfo(handle_, layout, info);
    } else {
        fillCaptureInfo(tep_, own_.cpuCount, own_.clock, own_.uname, own_.cpustats, layout, info);
    }
}

} // namespace irqlens::tracedat
