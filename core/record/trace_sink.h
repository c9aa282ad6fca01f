// Where a recorder delivers what it records.  TraceDatFileSink
// (tracedat_file_sink.h) writes a trace.dat through parsers/writer; a GUI may
// wrap it to also decode pages live.
#pragma once

#include "core/model/trace_metadata.h"

#include <cstddef>
#include <string>

namespace irqlens {

class TraceSink {
public:
    virtual ~TraceSink() = default;
    // Called once, before any page, with the target's description.
    virtual bool begin(const TraceMetadata& metadata, std::string& error) = 0;
    // Whole ring-buffer pages of one CPU.  Called from one thread per CPU.
    virtual bool pages(int cpu, const void* data, std::size_t bytes) = 0;
    // per_cpu/cpuN/stats at the end (entries, overrun, dropped events ...).
    virtual void cpuStats(int cpu, const std::string& stats) = 0;
    // Called once at the end (also after errors and signals) with the final
    // saved_cmdlines.  Returns false with `error` if the result is damaged.
    virtual bool end(const std::string& savedCmdlines, std::string& error) = 0;
    // Error of the last failed pages() call (e.g. "disk full").
    virtual std::string lastError() const = 0;
};

} // namespace irqlens
