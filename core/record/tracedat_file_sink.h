// A TraceSink that writes a trace.dat v6 file through TraceDatWriter
// (parsers/writer): the recorder's side of the writer, so that the writer
// itself depends on core/model only.
#pragma once

#include "core/record/trace_sink.h"
#include "parsers/writer/tracedat_writer.h"

#include <memory>

namespace irqlens {

class TraceDatFileSink : public TraceSink {
public:
    explicit TraceDatFileSink(std::string path, TraceDatWriterOptions options = {})
        : path_(std::move(path)), options_(options) {}
    bool begin(const TraceMetadata& metadata, std::string& error) override;
    bool pages(int cpu, const void* data, std::size_t bytes) override;
    void cpuStats(int cpu, const std::string& stats) override;
    bool end(const std::string& savedCmdlines, std::string& error) override;
    std::string lastError() const override;
    const std::string& path() const { return path_; }

private:
    std::string path_;
    TraceDatWriterOptions options_;
    std::unique_ptr<TraceDatWriter> writer_;
};

} // namespace irqlens
