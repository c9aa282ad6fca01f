// Hand-built ring-buffer pages of two made-up events (irqlens_test:tick and
// irqlens_test:tock), encoded here independently of the code under test, in
// any byte order and long size, to check the trace.dat writer against
// `trace-cmd report` without needing tracefs.
#pragma once

#include "core/model/trace_metadata.h"

#include <cstdint>
#include <string>
#include <vector>

namespace irqlens::test {

TraceMetadata syntheticMetadata(bool bigEndian, int longSize, int cpus);

struct SyntheticPage {
    std::string bytes; // exactly pageSize bytes
    int ticks = 0;
    int tocks = 0;
};

// One page with `events` events alternating tick/tock, starting at `timestamp`
// (ns), `missed` events lost before it (0: none; stored in the page when > 0).
SyntheticPage syntheticPage(const TraceMetadata& meta, std::uint64_t timestamp, int events,
                            std::uint64_t missed = 0);

} // namespace irqlens::test
