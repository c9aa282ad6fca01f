// A TraceSink that writes a trace.dat v6 file through TraceDatWriter.
//
// The pages go into a new file next to the target ("OUT.partial-XXXXXX.dat",
// created exclusively, mode 0600: it holds /proc/kallsyms read as root), and
// end() renames it to the target: an existing file is never truncated or
// replaced before the recording is complete, and then only with
// Existing::Replace.  A recording that never started leaves no file; one
// killed outright (SIGKILL, power loss) leaves the partial file, readable.
#pragma once

#include "core/record/trace_sink.h"
#include "parsers/writer/tracedat_writer.h"

#include <memory>

namespace irqlens {

class TraceDatFileSink : public TraceSink {
public:
    enum class Existing { Refuse, Replace };
    explicit TraceDatFileSink(std::string path, Existing existing = Existing::Refuse,
                              TraceDatWriterOptions options = {})
        : path_(std::move(path)), existing_(existing), options_(options) {}
    ~TraceDatFileSink() override; // removes the partial file if end() never came
    TraceDatFileSink(const TraceDatFileSink&) = delete;
    TraceDatFileSink& operator=(const TraceDatFileSink&) = delete;

    // Creates the partial file now (else begin() does): fails early, with a
    // one-line `error`, when the target exists (Refuse) or its folder is
    // not writable.
    bool open(std::string& error);
    bool begin(const TraceMetadata& metadata, std::string& error) override;
    bool pages(int cpu, const void* data, std::size_t bytes) override;
    void cpuStats(int cpu, const std::string& stats) override;
    bool end(const std::string& savedCmdlines, std::string& error) override;
    std::string lastError() const override;

    const std::string& path() const { return path_; }
    // Where the pages are while recording (empty before open()).
    const std::string& partialPath() const { return partial_; }
    // After end(): where the capture is (path(), or the partial file when it
    // could not be renamed).
    const std::string& writtenPath() const { return written_; }

private:
    bool moveToTarget(std::string& error);

    std::string path_;
    Existing existing_;
    TraceDatWriterOptions options_;
    std::string partial_, written_;
    int fd_ = -1; // the partial file until begin() hands it to the writer
    std::unique_ptr<TraceDatWriter> writer_;
    bool ended_ = false;
};

// "dir/name.partial-XXXXXX.dat" for "dir/name.dat" (a mkstemps template).
std::string partialFileTemplate(const std::string& path);

} // namespace irqlens
