// The extra ftrace buffers of a capture (trace-cmd record -B NAME; the
// instances of a v7 file): their events go into store columns after the top
// buffer's CPUs, one column per CPU of each buffer, named in
// CaptureInfo::buffers.  Read sequentially through libtracecmd's instance
// handles after the top buffer (extra buffers are usually small).
#pragma once

#include "parsers/tracedat/event_decoder.h"

#include <string>
#include <vector>

struct tracecmd_input;

namespace irqlens::tracedat {

// Where an extra buffer's events are: libtracecmd's instance index and the
// store columns of its CPUs.
struct BufferColumns {
    int instance = 0;
    int firstColumn = 0;
    int cpus = 0;
};

struct ExtraBuffersResult {
    std::vector<BufferColumns> columns;
    std::vector<std::int32_t> seenPids;
    std::vector<std::string> warnings;
};

// Adds the columns and events of every extra buffer of `top` to `store`
// (whose columns so far are the top buffer's CPUs).
ExtraBuffersResult loadExtraBuffers(tracecmd_input* top, const TypeTable& types, EventStore& store);

} // namespace irqlens::tracedat
