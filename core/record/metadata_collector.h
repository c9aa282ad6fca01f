// Gathers everything a trace.dat needs besides pages from a target.
#pragma once

#include "core/record/target_files.h"
#include "core/record/trace_metadata.h"

#include <string>
#include <vector>

namespace irqlens {

// `instanceDir` is relative to the tracefs root ("instances/irqlens-42").
// Fails (with a one-line `error`) only when header_page or a format of an
// enabled event cannot be read; kallsyms/printk formats are optional.
bool collectMetadata(TargetFiles& files, const std::vector<EventName>& events,
                     const std::string& instanceDir, TraceMetadata& meta, std::string& error);

} // namespace irqlens
