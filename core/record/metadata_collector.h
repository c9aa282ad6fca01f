// Gathers everything a trace.dat needs besides pages from a target.
#pragma once

#include "core/model/trace_metadata.h"
#include "core/record/target_files.h"

#include <cstdint>
#include <string>
#include <vector>

namespace irqlens {

// Reads page size and long size from a header_page text:
//   field: local_t commit;  offset:8;  size:8;  signed:1;
//   field: char data;       offset:16; size:4080; signed:1;
// Returns false when the text has neither field.
bool parseHeaderPage(const std::string& headerPage, std::uint32_t& pageSize, int& longSize);

// `instanceDir` is relative to the tracefs root ("instances/irqlens-42").
// Fails (with a one-line `error`) only when header_page or a format of an
// enabled event cannot be read; kallsyms/printk formats are optional.
bool collectMetadata(TargetFiles& files, const std::vector<EventName>& events,
                     const std::string& instanceDir, TraceMetadata& meta, std::string& error);

} // namespace irqlens
