#include "parsers/capture_loader.h"

#include "parsers/capture_format.h"
#include "parsers/text/text_loader.h"
#include "parsers/tracedat/tracedat_reader.h"

namespace irqlens {

LoadResult loadCapture(const std::string& path, const LoadOptions& options) {
    const FormatProbe probe = detectCaptureFormat(path);
    if (!probe.problem.empty()) {
        LoadResult r;
        r.error = probe.problem;
        return r;
    }
    switch (probe.format) {
    case CaptureFormat::TraceDat:
        return tracedat::loadTraceDat(path, options);
    case CaptureFormat::Text:
        return loadTextCapture(path, options);
    case CaptureFormat::Unknown:
        break;
    }
    LoadResult r;
    r.error = path + ": not a trace.dat capture (" + probe.description + ")";
    return r;
}

} // namespace irqlens
