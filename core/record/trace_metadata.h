// What a trace.dat needs besides the ring-buffer pages, as read from the
// traced machine's tracefs (local or remote).  Plain data: the recorder fills
// it, a writer (parsers/writer) serialises it.  Header only, no library.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace irqlens {

struct EventSystemFormats {
    std::string name;                 // "irq"
    std::vector<std::string> formats; // contents of events/<system>/<event>/format
};

struct TraceMetadata {
    // Of the TARGET (not of this host): an arm64/armv7 Pi differs from x86.
    bool bigEndian = false;
    int longSize = 8;              // kernel long size (size of header_page's commit field)
    std::uint32_t pageSize = 4096; // ring-buffer sub-buffer size (header_page's data offset+size)
    int cpus = 1;                  // CPU count of the target (CPUs with a data section)

    std::string headerPage;                  // events/header_page
    std::string headerEvent;                 // events/header_event
    std::vector<std::string> ftraceFormats;  // events/ftrace/*/format actually needed
    std::vector<EventSystemFormats> systems; // formats of the events actually enabled
    std::string kallsyms;                    // /proc/kallsyms (may be empty)
    std::string printkFormats;               // printk_formats (may be empty)
    std::string savedCmdlines;               // saved_cmdlines (re-read at the end)
    std::string traceClock; // the instance's trace_clock file ("[local] global ...")
    std::string
        uname; // "Linux HOST RELEASE MACHINE" of the target (trace-cmd's form; may be empty)
    std::string model; // the board ("Raspberry Pi 4 Model B Rev 1.4"; may be empty)
};

// Reads page size and long size from a header_page text:
//   field: local_t commit;  offset:8;  size:8;  signed:1;
//   field: char data;       offset:16; size:4080; signed:1;
// Returns false when the text has neither field.
bool parseHeaderPage(const std::string& headerPage, std::uint32_t& pageSize, int& longSize);

} // namespace irqlens
