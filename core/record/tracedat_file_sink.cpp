#include "core/record/tracedat_file_sink.h"

namespace irqlens {

bool TraceDatFileSink::begin(const TraceMetadata& metadata, std::string& error) {
    writer_ = TraceDatWriter::create(path_, metadata, error, options_);
    return writer_ != nullptr;
}

bool TraceDatFileSink::pages(int cpu, const void* data, std::size_t bytes) {
    return writer_ && writer_->appendPages(cpu, data, bytes);
}

void TraceDatFileSink::cpuStats(int cpu, const std::string& stats) {
    if (writer_)
        writer_->setCpuStats(cpu, stats);
}

bool TraceDatFileSink::end(const std::string& savedCmdlines, std::string& error) {
    if (!writer_) {
        error = path_ + ": nothing was written";
        return false;
    }
    const bool finished = writer_->finish(savedCmdlines);
    if (!finished)
        error = writer_->error();
    // Pages written before an error (disk full) are still a readable capture.
    return finished || writer_->bytesWritten() > 0;
}

std::string TraceDatFileSink::lastError() const {
    return writer_ ? writer_->error() : "";
}

} // namespace irqlens
