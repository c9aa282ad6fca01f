// The two serialised parts of a trace.dat v6 header (see tracedat_writer.h):
// the fixed part written once, and the tail rewritten at the end.
#pragma once

#include "core/model/trace_metadata.h"

#include <cstdint>
#include <string>
#include <vector>

namespace irqlens::tracedat {

// Magic, version, endianness, long size, page size, header_page/event,
// ftrace and event formats, kallsyms, printk formats.
std::string buildFixedPart(const TraceMetadata& meta);

struct CpuSection {
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
};

struct Tail {
    std::string bytes;
    std::size_t tableOffset = 0; // of the flyrecord table, relative to the tail's start
};

// saved_cmdlines, CPU count, options (CPU count, clock, uname, per-CPU
// stats), "flyrecord", the per-CPU offset/size table and the trace_clock
// text.
Tail buildTail(const TraceMetadata& meta, const std::string& savedCmdlines,
               const std::vector<std::string>& cpuStats, const std::vector<CpuSection>& sections);

// One table entry (offset, size) in the file's byte order.
std::string encodeTableEntry(const TraceMetadata& meta, const CpuSection& section);

} // namespace irqlens::tracedat
