#include "parsers/text/text_loader.h"

#include "parsers/text/line_reader.h"
#include "parsers/text/text_builder.h"
#include "parsers/text/text_format.h"
#include "parsers/text/text_source.h"

#include <chrono>
#include <fstream>

namespace irqlens {

namespace {
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

LoadResult failed(std::string error, Clock::time_point start) {
    LoadResult r;
    r.status = LoadResult::Status::Failed;
    r.error = std::move(error);
    r.seconds = secondsSince(start);
    return r;
}

// Reports progress at most every 50 ms and tells whether to stop.
class ProgressTicker {
public:
    ProgressTicker(const LoadOptions& options, std::uint64_t total)
        : options_(options), total_(total) {}

    bool cancelled() const {
        return options_.cancel != nullptr && options_.cancel->load(std::memory_order_relaxed);
    }
    void tick(std::uint64_t bytes, std::uint64_t events) {
        if (!options_.progress) {
            return;
        }
        const auto now = Clock::now();
        if (now - last_ < std::chrono::milliseconds(50)) {
            return;
        }
        last_ = now;
        const double fraction = total_ > 0 ? double(bytes) / double(total_) : 0.0;
        options_.progress({std::min(fraction, 1.0), events});
    }

private:
    const LoadOptions& options_;
    std::uint64_t total_;
    Clock::time_point last_{};
};
} // namespace

bool looksLikeTextCapture(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char head[4096];
    in.read(head, sizeof head);
    const auto n = in.gcount();
    if (n <= 0) {
        return false;
    }
    for (std::streamsize i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(head[i]);
        if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
            return false;
        }
    }
    return true;
}

LoadResult loadTextCapture(const std::string& path, const LoadOptions& options) {
    const auto start = Clock::now();
    const FormatGuess guess = detectTextFormat(path);
    if (!guess.ok) {
        return failed(guess.error, start);
    }
    auto store = std::make_unique<EventStore>();
    store->info().path = path;
    store->info().format = guess.label;
    auto source = std::make_unique<TextSource>(path, guess.format, store->strings);
    TextBuilder builder(*store, source->symbols(), guess.format);

    LineReader reader(path);
    if (!reader.ok()) {
        return failed(reader.error(), start);
    }
    ProgressTicker ticker(options, reader.fileSize());
    std::string_view line;
    std::uint64_t offset = 0;
    std::uint64_t lineNo = 0;
    while (reader.next(line, offset)) {
        ++lineNo;
        builder.add(classifyLine(line, guess.format), line, offset, lineNo);
        if ((lineNo & 0xfff) == 0) {
            if (ticker.cancelled()) {
                LoadResult r;
                r.status = LoadResult::Status::Cancelled;
                r.seconds = secondsSince(start);
                return r;
            }
            ticker.tick(reader.bytesConsumed(), builder.events());
        }
    }
    if (!reader.error().empty()) {
        return failed(path + ": " + reader.error(), start);
    }
    builder.finish();
    if (store->totalEvents() == 0) {
        return failed(path + ": no events in " + guess.label, start);
    }
    store->setSource(std::move(source));
    if (options.progress) {
        options.progress({1.0, builder.events()});
    }
    LoadResult r;
    r.status = LoadResult::Status::Ok;
    r.store = std::move(store);
    r.seconds = secondsSince(start);
    return r;
}

} // namespace irqlens
