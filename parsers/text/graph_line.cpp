#include "parsers/text/graph_line.h"

#include "parsers/text/text_line.h"

#include <charconv>
#include <vector>

namespace irqlens {

namespace {
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

bool isMark(std::string_view token) {
    return token.size() == 1 && std::string_view("+!#*@$").find(token[0]) != std::string_view::npos;
}

// "11.945" (µs, any fraction digits) -> ns.
bool parseMicros(std::string_view text, std::int64_t& ns) {
    if (text.find('.') == std::string_view::npos) {
        std::int64_t us = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), us);
        if (ec != std::errc() || end != text.data() + text.size()) {
            return false;
        }
        ns = us * 1000;
        return true;
    }
    std::int64_t scaled = 0; // parseSecondsTs reads "a.b" as seconds: divide by 1e6
    if (!parseSecondsTs(text, scaled)) {
        return false;
    }
    ns = scaled / 1'000'000;
    return true;
}

std::vector<std::string_view> tokens(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '|')) {
            ++i;
        }
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '|') {
            ++j;
        }
        if (j > i) {
            out.push_back(s.substr(i, j - i));
        }
        i = j;
    }
    return out;
}

bool parseCpuMark(std::string_view token, int& cpu) {
    if (token.size() < 2 || token.back() != ')' || !isDigit(token.front())) {
        return false;
    }
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size() - 1, cpu);
    return ec == std::errc() && end == token.data() + token.size() - 1;
}

bool parseCommPid(std::string_view token, std::string_view& comm, std::int32_t& pid) {
    const auto dash = token.rfind('-');
    if (dash == std::string_view::npos || dash + 1 == token.size()) {
        return false;
    }
    auto [end, ec] = std::from_chars(token.data() + dash + 1, token.data() + token.size(), pid);
    if (ec != std::errc() || end != token.data() + token.size()) {
        return false;
    }
    comm = token.substr(0, dash);
    return true;
}

// The columns before the call column: abstime, cpu, proc, flags, duration.
bool parsePrefixColumns(std::string_view prefix, GraphLine& out) {
    const auto toks = tokens(prefix);
    for (std::size_t i = 0; i < toks.size(); ++i) {
        std::string_view t = toks[i];
        const bool nextIsUs = i + 1 < toks.size() && toks[i + 1] == "us";
        if (nextIsUs) {
            if (!parseMicros(t, out.call.durationNs)) {
                return false;
            }
            ++i;
        } else if (isMark(t)) {
            continue;
        } else if (parseCpuMark(t, out.cpu)) {
            continue;
        } else if (!out.hasTs && i == 0 && parseSecondsTs(t, out.ts)) {
            out.hasTs = true;
        } else if (parseLatencyFlags(t, out.flags, out.preempt)) {
            out.hasFlags = true;
        } else if (parseCommPid(t, out.comm, out.pid)) {
            out.hasPid = true;
        } else {
            return false;
        }
    }
    return true;
}

// " 1)    <idle>-0    =>   kworker-56   "
bool parseCpuSwitch(std::string_view line, GraphLine& out) {
    const auto toks = tokens(line);
    std::string_view prevComm;
    std::int32_t prevPid = 0;
    if (toks.size() != 4 || toks[2] != "=>" || !parseCpuMark(toks[0], out.cpu) ||
        !parseCommPid(toks[1], prevComm, prevPid) || !parseCommPid(toks[3], out.comm, out.pid)) {
        return false;
    }
    out.type = GraphLine::Type::CpuSwitch;
    out.hasPid = true;
    return true;
}

bool parseIrqMark(std::string_view line, GraphLine& out) {
    if (line.find("==========>") == std::string_view::npos &&
        line.find("<==========") == std::string_view::npos) {
        return false;
    }
    out.type = GraphLine::Type::IrqMark;
    for (auto t : tokens(line)) {
        if (parseCpuMark(t, out.cpu)) {
            break;
        }
    }
    return true;
}

// " [e1000]" after a module's function (the kernel's %ps): its length, or 0.
std::size_t moduleSuffixLength(std::string_view s) {
    if (!s.starts_with(" [")) {
        return 0;
    }
    const auto close = s.find(']');
    if (close == std::string_view::npos || close == 2) {
        return 0;
    }
    for (std::size_t i = 2; i < close; ++i) {
        if (!isIdentifierChar(s[i]) && s[i] != '-') {
            return 0;
        }
    }
    return close + 1;
}

// "func() {", "func.isra.0();", "func(arg=1) {", "func(); /* = 0x0 */",
// "e1000_clean [e1000]() {" (a module's function).
bool parseCall(std::string_view text, GraphCall& out) {
    std::size_t i = 0;
    while (i < text.size() && (isIdentifierChar(text[i]) || text[i] == '.' || text[i] == '$')) {
        ++i;
    }
    out.function = text.substr(0, i);
    i += moduleSuffixLength(text.substr(i));
    if (i == 0 || i >= text.size() || text[i] != '(' || isDigit(text[0])) {
        return false;
    }
    if (text.back() == '{') {
        out.type = GraphCall::Type::Enter;
        return true;
    }
    if (text.find(");", i) != std::string_view::npos) {
        out.type = GraphCall::Type::Leaf;
        return true;
    }
    return false;
}

// "}" or "} /* func */" or "} /* func = 0x0 */"
bool parseExit(std::string_view text, GraphCall& out) {
    out.type = GraphCall::Type::Exit;
    std::string_view rest = trim(text.substr(1));
    if (rest.empty()) {
        return true;
    }
    if (!rest.starts_with("/*") || !rest.ends_with("*/")) {
        return false;
    }
    rest = trim(rest.substr(2, rest.size() - 4));
    std::size_t i = 0;
    while (i < rest.size() && (isIdentifierChar(rest[i]) || rest[i] == '.')) {
        ++i;
    }
    out.function = rest.substr(0, i);
    return true;
}
} // namespace

bool parseGraphDuration(std::string_view text, std::int64_t& ns) {
    ns = -1;
    const auto toks = tokens(text);
    std::size_t i = 0;
    if (i < toks.size() && isMark(toks[i])) {
        ++i;
    }
    if (i == toks.size()) {
        return i == 0; // blank is fine, a lone mark is not
    }
    return i + 2 == toks.size() && toks[i + 1] == "us" && parseMicros(toks[i], ns);
}

bool parseGraphColumn(std::string_view column, GraphCall& out) {
    std::size_t spaces = 0;
    while (spaces < column.size() && column[spaces] == ' ') {
        ++spaces;
    }
    out.depth = spaces >= 2 ? static_cast<int>((spaces - 2) / 2) : 0;
    std::string_view text = trim(column);
    if (text.empty()) {
        return false;
    }
    if (text.front() == '}') {
        return parseExit(text, out);
    }
    if (text.starts_with("/*")) {
        if (!text.ends_with("*/") || text.size() < 4) {
            return false;
        }
        out.type = GraphCall::Type::Comment;
        out.comment = trim(text.substr(2, text.size() - 4));
        return true;
    }
    return parseCall(text, out);
}

bool parseGraphInfo(std::string_view info, GraphCall& out) {
    const auto bar = info.find('|');
    if (bar == std::string_view::npos) {
        return false;
    }
    std::int64_t ns = -1;
    if (!parseGraphDuration(info.substr(0, bar), ns) ||
        !parseGraphColumn(info.substr(bar + 1), out)) {
        return false;
    }
    out.durationNs = ns;
    return true;
}

bool parseGraphLine(std::string_view line, GraphLine& out) {
    out = GraphLine{};
    std::string_view t = trim(line);
    if (t.empty()) {
        return false;
    }
    if (t.find_first_not_of('-') == std::string_view::npos) {
        out.type = GraphLine::Type::Separator;
        return t.size() >= 10;
    }
    if (parseIrqMark(line, out)) {
        return true;
    }
    for (auto bar = line.find('|'); bar != std::string_view::npos; bar = line.find('|', bar + 1)) {
        GraphCall call;
        if (!parseGraphColumn(line.substr(bar + 1), call)) {
            continue;
        }
        out.call = call;
        out.column = bar + 1;
        return parsePrefixColumns(line.substr(0, bar), out) && (out.hasTs || line.find(')') < bar);
    }
    return parseCpuSwitch(line, out);
}

} // namespace irqlens
