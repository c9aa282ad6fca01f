// The EventSource of a text capture: decodes an event by re-reading its line
// from the file (the store keeps one line offset every kAnchorStride events
// per CPU), and resolves the addresses the text reader made up for names.
//
// Source offsets given to CpuEvents::append are (lineOffset << 1) | sub:
// sub = 1 marks the second event of a line (the exit of a funcgraph leaf
// "func();", which the text prints as one line for two events).
#pragma once

#include "core/model/event_source.h"
#include "parsers/text/line_classifier.h"
#include "parsers/text/text_symbols.h"

#include <list>
#include <mutex>
#include <string>

namespace irqlens {

constexpr std::uint64_t packSourceOffset(std::uint64_t lineOffset, int sub) {
    return (lineOffset << 1) | static_cast<std::uint64_t>(sub & 1);
}

class TextSource : public EventSource {
public:
    TextSource(std::string path, TextFormat format, StringPool& strings);

    std::vector<DecodedField> decode(int cpu, std::uint64_t anchorOffset,
                                     std::uint32_t skip) override;
    std::string info(int cpu, std::uint64_t anchorOffset, std::uint32_t skip) override;
    std::optional<Symbol> symbol(std::uint64_t address) const override;

    TextSymbols& symbols() { return symbols_; }

    // The line holding event `skip` of `cpu` counted from the anchor, and
    // which of the line's events it is.  Empty when it cannot be found.
    struct Found {
        std::string line;
        int sub = 0;
    };
    Found findLine(int cpu, std::uint64_t anchorOffset, std::uint32_t skip) const;

private:
    // Where each event of one CPU after one anchor is: (lineOffset << 1) | sub.
    struct AnchorEvents {
        int cpu = 0;
        std::uint64_t anchor = 0;
        std::vector<std::uint64_t> events;
    };
    static constexpr std::size_t kCachedAnchors = 32;

    const AnchorEvents& eventsAfter(int cpu, std::uint64_t anchorOffset) const;

    std::string path_;
    TextFormat format_;
    TextSymbols symbols_;
    // A table view decodes neighbouring rows: scanning from an anchor once
    // and remembering where its events are makes each further row one read.
    mutable std::mutex cacheMutex_;
    mutable std::list<AnchorEvents> cache_; // most recently used first
};

// Fields of an event line: "key=value" pairs of its info text, and the whole
// info text as "info" when some of it is not in that form.
std::vector<DecodedField> decodeLineFields(std::string_view line, TextFormat format, int sub);
// The info column of an event line (for funcgraph: the call column).
std::string lineInfo(std::string_view line, TextFormat format);

} // namespace irqlens
