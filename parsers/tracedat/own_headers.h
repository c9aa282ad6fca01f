// Our own reading of a trace.dat's metadata and options, for what
// libtracecmd does not give us:
//  - the timestamp options (TSC2NSEC, DATE, OFFSET) that trace-cmd applies
//    to every record, which our page decoder must apply too;
//  - everything of a v7 file compressed with a codec Debian's libtracecmd
//    lacks (zlib): its sections are decompressed here and the format texts
//    parsed with libtraceevent (tep_parse_header_page, tep_parse_event,
//    kallsyms, printk formats, saved cmdlines) into a tep of our own.
#pragma once

#include "parsers/tracedat/page_decoder.h"
#include "parsers/tracedat/tracedat_layout.h"

#include <string>
#include <utility>
#include <vector>

struct tep_handle;

namespace irqlens::tracedat {

struct OwnHeaders {
    // Options.
    std::string clock, uname, cpustats;
    int cpuCount = 0;
    TimestampConversion conversion;
    // Metadata sections (v7; read only when asked for).
    std::string headerPage;
    std::vector<std::string> ftraceFormats;
    std::vector<std::pair<std::string, std::string>> eventFormats; // system, format
    std::string kallsyms, printkFormats, cmdlines;
};

// Reads the options (and, with `metadata`, the v7 metadata sections) of the
// file `fd` whose layout was walked.  "" or what is damaged, naming the
// section ("truncated: ..." when it runs past the end of the file).
std::string readOwnHeaders(int fd, const Layout& layout, bool metadata, OwnHeaders& out);

// A tep with the formats, kallsyms, printk formats and cmdlines of `h`;
// nullptr with `error` set when the header_page text does not parse.
tep_handle* buildTep(const OwnHeaders& h, const Layout& layout, std::string& error);

} // namespace irqlens::tracedat
