// Tells the text layouts apart from the content of the first lines, never
// from the file name.
#pragma once

#include "parsers/text/line_classifier.h"

#include <string>

namespace irqlens {

struct FormatGuess {
    bool ok = false;
    TextFormat format = TextFormat::EventLines;
    std::string label; // for CaptureInfo::format
    std::string error; // when !ok: names the file and the first line that did not parse
};

// Looks at the first kSampleLines lines that are not headers.
FormatGuess detectTextFormat(const std::string& path);

inline constexpr int kSampleLines = 64;

} // namespace irqlens
