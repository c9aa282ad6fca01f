// Capture metadata from a libtracecmd handle: clock, format, target machine
// (long size, endianness, page size), uname and per-CPU overrun counts.
#pragma once

#include "core/model/event_store.h"
#include "parsers/tracedat/tracedat_layout.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct tracecmd_input;
struct tep_handle;

namespace irqlens::tracedat {

void fillCaptureInfo(tracecmd_input* handle, const Layout& layout, CaptureInfo& info);

// The same from the texts of the options, where libtracecmd cannot read the
// file (zlib): `tep` has the formats, `cpus` the CPU count.
void fillCaptureInfo(tep_handle* tep, int cpus, const std::string& clock, const std::string& uname,
                     const std::string& cpustats, const Layout& layout, CaptureInfo& info);

// "overrun: N" per "CPU: c" block of the kernel's per-CPU stats text, as
// trace-cmd stores it; -1 for CPUs without stats.
std::vector<std::int64_t> parseOverruns(std::string_view cpustats, int cpus);

// "trace.dat v7 (zstd)", "trace.dat v6".
std::string formatName(const Layout& layout);

} // namespace irqlens::tracedat
