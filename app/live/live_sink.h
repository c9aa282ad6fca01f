// A TraceSink that writes the trace.dat exactly as TraceDatFileSink does
// and also hands every CPU's pages to a LiveDecoder, so a view can show the
// recording as it grows without ever reading the growing file.
#pragma once

#include "app/live/live_decoder.h"
#include "core/record/trace_sink.h"

#include <atomic>
#include <memory>
#include <vector>

namespace irqlens::live {

class LiveSink : public TraceSink {
public:
    // `file`: where the pages are written (not owned; outlives this sink).
    explicit LiveSink(TraceSink& file) : file_(file) {}

    bool begin(const TraceMetadata& metadata, std::string& error) override;
    bool pages(int cpu, const void* data, std::size_t bytes) override;
    void cpuStats(int cpu, const std::string& stats) override;
    bool end(const std::string& savedCmdlines, std::string& error) override;
    std::string lastError() const override { return file_.lastError(); }

    LiveDecoder& decoder() { return decoder_; }
    // begin() was called and the decoder runs (else the file is still written).
    bool decoding() const { return decoding_.load(); }
    // end() was called: no more pages will come.
    bool ended() const { return ended_.load(); }
    // Why the decoder could not start ("" when it runs).
    const std::string& decoderError() const { return decoderError_; }

private:
    TraceSink& file_;
    LiveDecoder decoder_;
    std::atomic<bool> decoding_{false};
    std::atomic<bool> ended_{false};
    std::string decoderError_;
};

} // namespace irqlens::live
