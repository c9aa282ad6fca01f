#include "app/live/live_sink.h"

namespace irqlens::live {

bool LiveSink::begin(const TraceMetadata& metadata, std::string& error) {
    if (!file_.begin(metadata, error)) {
        return false;
    }
    // A decoder that cannot start costs the live picture, never the file.
    decoding_ = decoder_.begin(metadata, decoderError_);
    return true;
}

bool LiveSink::pages(int cpu, const void* data, std::size_t bytes) {
    // The file first: what reaches the disk must not wait for the copy.
    const bool written = file_.pages(cpu, data, bytes);
    if (decoding_) {
        decoder_.pages(cpu, data, bytes);
    }
    return written;
}

void LiveSink::cpuStats(int cpu, const std::string& stats) {
    file_.cpuStats(cpu, stats);
}

bool LiveSink::end(const std::string& savedCmdlines, std::string& error) {
    const bool ok = file_.end(savedCmdlines, error);
    if (decoding_) {
        decoder_.drain();
    }
    ended_ = true;
    return ok;
}

} // namespace irqlens::live
