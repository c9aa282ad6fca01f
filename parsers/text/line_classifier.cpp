#include "parsers/text/line_classifier.h"

#include <charconv>

namespace irqlens {

namespace {
template <typename T> bool toInt(std::string_view s, T& value) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    return ec == std::errc() && end == s.data() + s.size();
}

// "cpus=2" (trace-cmd) or "# entries-in-buffer/entries-written: 395/395   #P:2" (kernel).
int headerCpuCount(std::string_view line) {
    int cpus = 0;
    if (line.starts_with("cpus=") && toInt(trim(line.substr(5)), cpus)) {
        return cpus;
    }
    const auto p = line.find("#P:");
    if (p != std::string_view::npos && toInt(trim(line.substr(p + 3)), cpus)) {
        return cpus;
    }
    return 0;
}

// "CPU:1 [LOST 12 EVENTS]" (kernel), "CPU:1 [12 EVENTS DROPPED]" and
// "CPU:1 [EVENTS DROPPED]" (trace-cmd, count unknown).
bool parseMissed(std::string_view t, ClassifiedLine& out) {
    if (!t.starts_with("CPU:")) {
        return false;
    }
    const auto open = t.find(" [");
    if (open == std::string_view::npos || !toInt(t.substr(4, open - 4), out.missedCpu) ||
        !t.ends_with("]")) {
        return false;
    }
    std::string_view body = t.substr(open + 2, t.size() - open - 3);
    if (body.starts_with("LOST ")) {
        body.remove_prefix(5);
    }
    std::string_view number = body.substr(0, body.find(' '));
    std::int64_t count = -1;
    out.missedCount = toInt(number, count) ? count : -1;
    out.kind = LineKind::Missed;
    return body.find("EVENTS") != std::string_view::npos;
}

bool isHeader(std::string_view t) {
    return t.front() == '#' || t.starts_with("cpus=") || t.starts_with("version =") ||
           (t.starts_with("CPU ") && t.ends_with(" is empty")) || t.starts_with("trace-cmd:");
}
} // namespace

ClassifiedLine classifyLine(std::string_view line, TextFormat format) {
    ClassifiedLine out;
    const std::string_view t = trim(line);
    if (t.empty()) {
        out.kind = LineKind::Blank;
        return out;
    }
    if (isHeader(t)) {
        out.kind = LineKind::Header;
        out.headerCpus = headerCpuCount(t);
        return out;
    }
    if (t.starts_with("=>")) {
        out.kind = LineKind::StackFrame;
        return out;
    }
    if (parseMissed(t, out)) {
        return out;
    }
    out.kind = LineKind::Bad;
    if (format == TextFormat::FunctionGraph) {
        if (parseGraphLine(line, out.graph)) {
            out.kind = LineKind::Graph;
        }
        return out;
    }
    if (parseEventLine(line, out.event)) {
        out.kind = LineKind::Event;
        if (out.event.name == "funcgraph_entry" || out.event.name == "funcgraph_exit") {
            out.hasCall = parseGraphInfo(out.event.info, out.call);
        }
    }
    return out;
}

int eventCount(const ClassifiedLine& line) {
    switch (line.kind) {
    case LineKind::Event:
        return line.hasCall && line.call.type == GraphCall::Type::Leaf ? 2 : 1;
    case LineKind::Graph:
        if (line.graph.type != GraphLine::Type::Call) {
            return 0;
        }
        return line.graph.call.type == GraphCall::Type::Leaf ? 2 : 1;
    default:
        return 0;
    }
}

int eventCpu(const ClassifiedLine& line) {
    return line.kind == LineKind::Graph ? line.graph.cpu : line.event.cpu;
}

} // namespace irqlens
