// Reads a text file line by line in fixed-size chunks, never holding the
// whole file: a 1 GB capture costs one chunk of memory, not 1 GB.
// Works on regular files and on pipes/FIFOs (trace_pipe).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace irqlens {

class LineReader {
public:
    static constexpr std::size_t kChunk = 1u << 20;
    static constexpr std::size_t kMaxLine = 16u << 20; // longer lines are cut (and reported)

    // Opens `path`; on failure ok() is false and error() says why.
    explicit LineReader(const std::string& path, std::uint64_t startOffset = 0,
                        std::size_t chunk = kChunk);
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    bool ok() const { return fd_ >= 0; }
    const std::string& error() const { return error_; }
    std::uint64_t fileSize() const { return fileSize_; } // 0 for pipes
    std::uint64_t bytesConsumed() const { return lineEnd_; }

    // Next line without its "\n" (and "\r"); `offset` is where it starts in
    // the file.  The view stays valid until the next call.  False at the end
    // or on a read error (then error() is set).
    bool next(std::string_view& line, std::uint64_t& offset);
    // True when the last line returned was longer than kMaxLine and was cut.
    bool lastLineCut() const { return cut_; }

private:
    bool fill();

    int fd_ = -1;
    std::string error_;
    std::uint64_t fileSize_ = 0;
    std::vector<char> buffer_;
    std::size_t begin_ = 0;              // first unread byte in buffer_
    std::size_t end_ = 0;                // end of valid bytes in buffer_
    std::uint64_t bufferFileOffset_ = 0; // file offset of buffer_[0]
    std::uint64_t lineEnd_ = 0;          // file offset after the last returned line
    bool eof_ = false;
    bool cut_ = false;
};

} // namespace irqlens
