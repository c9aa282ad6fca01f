// Loads the text forms of a capture into an EventStore:
//  - `trace-cmd report` output, default and `-l` (latency) layouts, with the
//    "=> frame" lines of kernel_stack / user_stack events;
//  - the kernel's `trace` / `trace_pipe` text, with or without its "#"
//    header, the irq-info columns, record-tgid, or the latency format;
//  - the kernel's function_graph tracer output (durations, "|" nesting,
//    "/* comment */" lines, CPU-switch markers), and trace-cmd's
//    funcgraph_entry/funcgraph_exit events.
// The layout is detected from the content.  Lines that do not parse inside
// a good file are counted and reported in store->info().warnings.
#pragma once

#include "parsers/capture_loader.h"

#include <string>

namespace irqlens {

LoadResult loadTextCapture(const std::string& path, const LoadOptions& options = {});

// True when the first bytes of the file look like text (not trace.dat, not
// binary): loadCapture() uses it to send a file here.
bool looksLikeTextCapture(const std::string& path);

} // namespace irqlens
