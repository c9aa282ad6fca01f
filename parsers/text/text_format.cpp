#include "parsers/text/text_format.h"

#include "parsers/text/line_reader.h"

#include <algorithm>
#include <vector>

namespace irqlens {

namespace {
struct Sample {
    std::uint64_t lineNo;
    std::string text;
};

struct Header {
    bool tracecmd = false;      // "cpus=N" first line
    bool functionGraph = false; // "# tracer: function_graph"
    bool kernel = false;        // "# tracer: ..."
};

std::string excerpt(std::string_view line) {
    std::string out;
    for (char c : line.substr(0, 80)) {
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    }
    return line.size() > 80 ? out + "..." : out;
}

bool looksBinary(std::string_view line) {
    const auto control = std::count_if(line.begin(), line.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u == 0 || (u < 0x20 && c != '\t');
    });
    return control > 0;
}

std::string labelFor(TextFormat format, const Header& header, const std::vector<Sample>& samples) {
    if (format == TextFormat::FunctionGraph) {
        return "function_graph text";
    }
    bool glued = false;
    bool separateFlags = false;
    for (const auto& s : samples) {
        ClassifiedLine c = classifyLine(s.text, format);
        if (c.kind == LineKind::Event) {
            glued = c.event.hasFlags && s.text.find('[') > c.event.infoColumn;
            separateFlags = c.event.hasFlags && !glued;
            break;
        }
    }
    if (header.tracecmd) {
        return glued ? "trace-cmd report -l text" : "trace-cmd report text";
    }
    if (glued) {
        return "ftrace latency-format text";
    }
    return header.kernel || separateFlags ? "ftrace trace text" : "trace-cmd report text";
}

int parsedCount(const std::vector<Sample>& samples, TextFormat format, const Sample** firstBad) {
    int parsed = 0;
    *firstBad = nullptr;
    for (const auto& s : samples) {
        ClassifiedLine c = classifyLine(s.text, format);
        if (c.kind == LineKind::Event || c.kind == LineKind::Graph) {
            ++parsed;
        } else if (*firstBad == nullptr) {
            *firstBad = &s;
        }
    }
    return parsed;
}
} // namespace

FormatGuess detectTextFormat(const std::string& path) {
    FormatGuess guess;
    LineReader reader(path);
    if (!reader.ok()) {
        guess.error = reader.error();
        return guess;
    }
    Header header;
    std::vector<Sample> samples;
    std::string_view line;
    std::uint64_t offset = 0;
    std::uint64_t lineNo = 0;
    while (samples.size() < kSampleLines && lineNo < 100'000 && reader.next(line, offset)) {
        ++lineNo;
        if (looksBinary(line) || reader.lastLineCut()) {
            const bool dat = lineNo == 1 && line.size() > 10 && line.substr(3, 7) == "tracing";
            guess.error = path + ": line " + std::to_string(lineNo) + ": not text (" +
                          (dat ? "a trace.dat file" : "binary data") + ")";
            return guess;
        }
        ClassifiedLine c = classifyLine(line, TextFormat::EventLines);
        if (c.kind == LineKind::Header) {
            header.tracecmd |= lineNo == 1 && line.starts_with("cpus=");
            header.kernel |= line.starts_with("# tracer:");
            header.functionGraph |= line.find("tracer: function_graph") != std::string_view::npos;
            continue;
        }
        if (c.kind == LineKind::Blank || c.kind == LineKind::StackFrame ||
            c.kind == LineKind::Missed) {
            continue;
        }
        samples.push_back({lineNo, std::string(line)});
    }
    if (samples.empty()) {
        guess.error = path + ": no trace lines found (" +
                      (lineNo == 0 ? std::string("empty file") : "only headers or blank lines") +
                      ")";
        return guess;
    }
    const Sample* badEvent = nullptr;
    const Sample* badGraph = nullptr;
    const int events = parsedCount(samples, TextFormat::EventLines, &badEvent);
    const int graphs = parsedCount(samples, TextFormat::FunctionGraph, &badGraph);
    guess.format = graphs > events || (header.functionGraph && graphs == events)
                       ? TextFormat::FunctionGraph
                       : TextFormat::EventLines;
    const int best = std::max(events, graphs);
    const Sample* bad = guess.format == TextFormat::FunctionGraph ? badGraph : badEvent;
    if (best * 2 < static_cast<int>(samples.size()) || best == 0) {
        guess.error = path + ": not a trace-cmd report, ftrace or function_graph text: line " +
                      std::to_string(bad->lineNo) + " does not parse: \"" + excerpt(bad->text) +
                      "\"";
        return guess;
    }
    guess.ok = true;
    guess.label = labelFor(guess.format, header, samples);
    return guess;
}

} // namespace irqlens
