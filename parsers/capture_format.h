// Which reader a capture file needs, decided from its first bytes (never
// from its name).  Readers of other formats add a CaptureFormat value and a
// test in detectCaptureFormat(); loadCapture() dispatches on the result.
#pragma once

#include <string>

namespace irqlens {

enum class CaptureFormat { TraceDat, Text, Unknown };

struct FormatProbe {
    CaptureFormat format = CaptureFormat::Unknown;
    std::string problem;     // set when the file cannot be read at all (one line, with path)
    std::string description; // for Unknown: what the file starts with
};

FormatProbe detectCaptureFormat(const std::string& path);

} // namespace irqlens
