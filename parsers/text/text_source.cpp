#include "parsers/text/text_source.h"

#include "core/model/cpu_events.h"
#include "parsers/text/event_body.h"
#include "parsers/text/line_reader.h"

namespace irqlens {

namespace {
// Decoding one event never reads more than this past its anchor, so a
// damaged file cannot make a tooltip scan gigabytes.
constexpr std::uint64_t kMaxScanBytes = 256u << 20;
constexpr std::size_t kReadChunk = 64u << 10;

void addKeyValues(std::string_view info, std::vector<DecodedField>& out) {
    bool unmatched = false;
    std::size_t i = 0;
    while (i < info.size()) {
        while (i < info.size() && info[i] == ' ') {
            ++i;
        }
        const auto end = std::min(info.find(' ', i), info.size());
        std::string_view token = info.substr(i, end - i);
        const auto eq = token.find('=');
        bool ok = eq != std::string_view::npos && eq > 0;
        for (std::size_t k = 0; ok && k < eq; ++k) {
            ok = isIdentifierChar(token[k]);
        }
        if (ok) {
            out.push_back({std::string(token.substr(0, eq)), std::string(token.substr(eq + 1))});
        } else if (!token.empty()) {
            unmatched = true;
        }
        i = end;
    }
    if (unmatched || out.empty()) {
        out.push_back({"info", std::string(info)});
    }
}

// "fd: ff, cmd: 5410, arg: 7ffe0babe8fc" (the syscall tracer's arguments).
void addSyscallArguments(std::string_view args, std::vector<DecodedField>& out) {
    while (!args.empty()) {
        const auto comma = args.find(", ");
        const std::string_view arg = args.substr(0, comma);
        const auto colon = arg.find(": ");
        if (colon == std::string_view::npos) {
            out.push_back({"info", std::string(arg)});
        } else {
            out.push_back({std::string(arg.substr(0, colon)), std::string(arg.substr(colon + 2))});
        }
        args = comma == std::string_view::npos ? std::string_view() : args.substr(comma + 2);
    }
}

// The fields of one event line, by the form of its body.
void addEventFields(const EventLine& e, std::vector<DecodedField>& out) {
    switch (e.form) {
    case BodyForm::SyscallEnter:
        addSyscallArguments(e.info, out);
        return;
    case BodyForm::SyscallExit:
        out.push_back({"ret", std::string(e.info)});
        return;
    case BodyForm::Unknown:
        out.push_back({"info", std::string(e.info)});
        return;
    default:
        break;
    }
    if (e.form == BodyForm::Printk || e.name == "bprint" || e.name == "print" ||
        e.name == "bputs") {
        out.push_back({"ip", std::string(printkSymbol(e.info))});
        out.push_back({"message", std::string(printkMessage(e.info))});
        return;
    }
    addKeyValues(e.info, out);
}

void addCallFields(const GraphCall& call, int sub, std::vector<DecodedField>& out) {
    if (call.type == GraphCall::Type::Comment) {
        out.push_back({"info", std::string(call.comment)});
        return;
    }
    out.push_back({"func", std::string(call.function)});
    out.push_back({"depth", std::to_string(call.depth)});
    if (call.durationNs >= 0 && (call.type != GraphCall::Type::Leaf || sub == 1)) {
        out.push_back({"duration_ns", std::to_string(call.durationNs)});
    }
}
} // namespace

TextSource::TextSource(std::string path, TextFormat format, StringPool& strings)
    : path_(std::move(path)), format_(format), symbols_(strings) {}

const TextSource::AnchorEvents& TextSource::eventsAfter(int cpu, std::uint64_t anchorOffset) const {
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
        if (it->cpu == cpu && it->anchor == anchorOffset) {
            cache_.splice(cache_.begin(), cache_, it);
            return cache_.front();
        }
    }
    AnchorEvents found{cpu, anchorOffset, {}};
    const std::uint64_t start = anchorOffset >> 1;
    LineReader reader(path_, start, kReadChunk);
    std::string_view line;
    std::uint64_t offset = 0;
    int sub = static_cast<int>(anchorOffset & 1);
    while (found.events.size() < CpuEvents::kAnchorStride && reader.ok() &&
           reader.next(line, offset) && offset - start < kMaxScanBytes) {
        const ClassifiedLine c = classifyLine(line, format_);
        const int n = eventCount(c);
        if (n == 0 || eventCpu(c) != cpu) {
            continue;
        }
        for (; sub < n; ++sub) {
            found.events.push_back(packSourceOffset(offset, sub));
        }
        sub = 0;
    }
    cache_.push_front(std::move(found));
    if (cache_.size() > kCachedAnchors) {
        cache_.pop_back();
    }
    return cache_.front();
}

TextSource::Found TextSource::findLine(int cpu, std::uint64_t anchorOffset,
                                       std::uint32_t skip) const {
    std::uint64_t packed = 0;
    {
        std::lock_guard lock(cacheMutex_);
        const AnchorEvents& events = eventsAfter(cpu, anchorOffset);
        if (skip >= events.events.size()) {
            return {};
        }
        packed = events.events[skip];
    }
    LineReader reader(path_, packed >> 1, kReadChunk);
    std::string_view line;
    std::uint64_t offset = 0;
    if (!reader.ok() || !reader.next(line, offset)) {
        return {};
    }
    return {std::string(line), static_cast<int>(packed & 1)};
}

std::vector<DecodedField> TextSource::decode(int cpu, std::uint64_t anchorOffset,
                                             std::uint32_t skip) {
    Found found = findLine(cpu, anchorOffset, skip);
    return found.line.empty() ? std::vector<DecodedField>{}
                              : decodeLineFields(found.line, format_, found.sub);
}

std::string TextSource::info(int cpu, std::uint64_t anchorOffset, std::uint32_t skip) {
    Found found = findLine(cpu, anchorOffset, skip);
    return lineInfo(found.line, format_);
}

std::optional<Symbol> TextSource::symbol(std::uint64_t address) const {
    return symbols_.symbol(address);
}

std::vector<DecodedField> decodeLineFields(std::string_view line, TextFormat format, int sub) {
    std::vector<DecodedField> out;
    const ClassifiedLine c = classifyLine(line, format);
    if (c.kind == LineKind::Graph) {
        addCallFields(c.graph.call, sub, out);
    } else if (c.kind == LineKind::Event && c.hasCall) {
        addCallFields(c.call, sub, out);
    } else if (c.kind == LineKind::Event) {
        addEventFields(c.event, out);
    }
    return out;
}

std::string lineInfo(std::string_view line, TextFormat format) {
    const ClassifiedLine c = classifyLine(line, format);
    if (c.kind == LineKind::Event) {
        return std::string(c.event.info);
    }
    if (c.kind == LineKind::Graph) {
        return std::string(trim(line.substr(c.graph.column)));
    }
    return {};
}

} // namespace irqlens
