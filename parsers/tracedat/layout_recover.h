// A v7 trace.dat cut inside (or just after) its CPU data.  trace-cmd writes
// the BUFFER option that says where each CPU's data lies in an options
// section *after* that data, so a cut file has the data but not its
// description.  The sections themselves are self-describing (u16 id, u16
// flags, u32 string id, u64 size), so the file is walked section by section
// from its start; a BUFFER section no option described is scanned: its CPU
// streams start on page boundaries after the section header, compressed
// streams as chunk tables (u32 count, then per chunk u32 packed size, u32
// unpacked size, data), uncompressed ones as bare pages.
// Internal to parsers/tracedat.
#pragma once

#include "parsers/tracedat/layout_bytes.h"
#include "parsers/tracedat/tracedat_layout.h"

namespace irqlens::tracedat::layout_detail {

// Notes the CPU of a v7 CPUSTAT option text ("CPU: 5\nentries: 5664\n...")
// in Layout::cpusWithEvents when it shows events (entries, events read or
// bytes): trace-cmd writes data only for such CPUs, in CPU order.
void noteCpuStat(const std::string& text, Layout& layout);

// Adds the CPU data of the BUFFER sections from `firstSection` (the offset
// after the file header) on that no BUFFER option described to `layout`,
// noting it in Layout::recovered; `cutOptions` is the options section that
// lies beyond the end of the file.  Throws a "truncated: ..." LayoutError
// naming that section when there is no such data.
void recoverV7Buffers(const FileBytes& f, std::uint64_t firstSection, std::uint64_t cutOptions,
                      Layout& layout);

} // namespace irqlens::tracedat::layout_detail
