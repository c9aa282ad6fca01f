// trace.dat (v6, v7 with zstd/zlib) → EventStore, decoding the CPU streams
// in parallel on libtracecmd.
#pragma once

#include "parsers/capture_loader.h"

#include <string>

namespace irqlens::tracedat {

LoadResult loadTraceDat(const std::string& path, const LoadOptions& options);

} // namespace irqlens::tracedat
