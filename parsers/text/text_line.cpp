#include "parsers/text/text_line.h"

#include "core/model/event_kind.h"
#include "parsers/text/event_body.h"

#include <charconv>
#include <limits>

namespace irqlens {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

bool isIdentifierChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

namespace {
constexpr std::int64_t kMaxNs = std::numeric_limits<std::int64_t>::max();

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

bool allDigits(std::string_view s) {
    if (s.empty()) {
        return false;
    }
    for (char c : s) {
        if (!isDigit(c)) {
            return false;
        }
    }
    return true;
}

template <typename T> bool toInt(std::string_view s, T& value) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    return ec == std::errc() && end == s.data() + s.size();
}

std::uint8_t irqsOffBits(char c) {
    switch (c) {
    case 'd':
        return LatencyFlag::IrqsOff;
    case 'D':
        return LatencyFlag::IrqsOff | LatencyFlag::BhOff;
    case 'b':
        return LatencyFlag::BhOff;
    case 'X':
        return LatencyFlag::IrqsNoSupport;
    default:
        return 0;
    }
}

std::uint8_t reschedBits(char c) {
    switch (c) {
    case 'N':
        return LatencyFlag::NeedResched | LatencyFlag::PreemptResched;
    case 'n':
        return LatencyFlag::NeedResched;
    case 'p':
        return LatencyFlag::PreemptResched;
    default:
        return 0; // '.', and the lazy-resched letters the model does not keep
    }
}

std::uint8_t contextBits(char c) {
    switch (c) {
    case 'Z':
        return LatencyFlag::Nmi | LatencyFlag::HardIrq;
    case 'z':
        return LatencyFlag::Nmi;
    case 'H':
        return LatencyFlag::HardIrq | LatencyFlag::SoftIrq;
    case 'h':
        return LatencyFlag::HardIrq;
    case 's':
        return LatencyFlag::SoftIrq;
    default:
        return 0;
    }
}

int hexDigit(char c) {
    if (isDigit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c == '.' ? 0 : -1;
}

// The timestamp token that ends right before `colon` (the ": " after it):
// "379.934929"; in the kernel's latency format "3110428472us" + mark; with
// the x86-tsc or counter clock an integer, which trace-cmd glues to the CPU
// field ("[005]303280081900681"): raw clock units, kept as the ts value.
bool timestampBefore(std::string_view line, std::size_t colon, std::int64_t& ts,
                     std::size_t& start) {
    std::size_t end = colon;
    if (end >= 3 && line.substr(end - 3, 2) == "us") {
        --end; // mark character (' ', '+', '!', ...)
    }
    if (end == 0) {
        return false;
    }
    start = line.rfind(' ', end - 1);
    start = start == std::string_view::npos ? 0 : start + 1;
    if (const auto bracket = line.substr(start, end - start).rfind(']');
        bracket != std::string_view::npos) {
        start += bracket + 1; // glued to "[005]"
    }
    std::string_view token = line.substr(start, end - start);
    if (token.size() > 2 && token.ends_with("us") && allDigits(token.substr(0, token.size() - 2))) {
        std::int64_t us = 0;
        if (!toInt(token.substr(0, token.size() - 2), us) || us > kMaxNs / 1000) {
            return false; // not a time in int64 nanoseconds (292 years)
        }
        ts = us * 1000;
        return true;
    }
    if (allDigits(token)) {
        return toInt(token, ts);
    }
    return parseSecondsTs(token, ts);
}

// "[001]" or "1d.h1." (CPU glued to flags, latency layouts) -> cpu/flags.
bool parseCpuToken(std::string_view token, EventLine& out) {
    if (token.size() >= 3 && token.front() == '[' && token.back() == ']') {
        return toInt(trim(token.substr(1, token.size() - 2)), out.cpu);
    }
    std::size_t digits = 0;
    while (digits < token.size() && isDigit(token[digits])) {
        ++digits;
    }
    if (digits == 0 || digits == token.size() || !toInt(token.substr(0, digits), out.cpu)) {
        return false;
    }
    out.hasFlags = parseLatencyFlags(token.substr(digits), out.flags, out.preempt);
    return out.hasFlags;
}

// Splits the part before the timestamp: "comm-pid [(tgid)] cpu [flags]".
bool parsePrefix(std::string_view prefix, EventLine& out) {
    prefix = trim(prefix);
    std::size_t sp = prefix.rfind(' ');
    if (sp == std::string_view::npos) {
        return false;
    }
    std::string_view last = prefix.substr(sp + 1);
    std::string_view rest = trim(prefix.substr(0, sp));
    if (!last.empty() && last.front() != '[' && !isDigit(last.front())) {
        // "[001] d.h1." : a separate flags column after the bracketed CPU
        if (!parseLatencyFlags(last, out.flags, out.preempt)) {
            return false;
        }
        out.hasFlags = true;
        sp = rest.rfind(' ');
        if (sp == std::string_view::npos) {
            return false;
        }
        last = rest.substr(sp + 1);
        rest = trim(rest.substr(0, sp));
        if (last.front() != '[') {
            return false;
        }
    }
    if (!parseCpuToken(last, out) || out.cpu < 0) {
        return false;
    }
    if (!rest.empty() && rest.back() == ')') { // record-tgid column "(  1234)" / "(-------)"
        const auto open = rest.rfind('(');
        if (open == std::string_view::npos) {
            return false;
        }
        rest = trim(rest.substr(0, open));
    }
    const auto dash = rest.rfind('-');
    if (dash == std::string_view::npos || !toInt(rest.substr(dash + 1), out.pid)) {
        return false;
    }
    out.comm = rest.substr(0, dash);
    return true;
}

} // namespace

bool parseLatencyFlags(std::string_view text, std::uint8_t& flags, std::uint8_t& preempt) {
    if (text.size() < 4 || text.size() > 6) {
        return false;
    }
    static constexpr std::string_view irqChars = "dDbX.";
    static constexpr std::string_view reschedChars = "NnpPLlBb.";
    static constexpr std::string_view contextChars = "ZzHhs.";
    if (irqChars.find(text[0]) == std::string_view::npos ||
        reschedChars.find(text[1]) == std::string_view::npos ||
        contextChars.find(text[2]) == std::string_view::npos) {
        return false;
    }
    const int count = hexDigit(text[3]);
    const int migrate = text.size() > 4 ? hexDigit(text[4]) : 0;
    if (count < 0 || migrate < 0) {
        return false;
    }
    flags = irqsOffBits(text[0]) | reschedBits(text[1]) | contextBits(text[2]);
    preempt = static_cast<std::uint8_t>(count | (migrate << 4));
    return true;
}

bool parseSecondsTs(std::string_view text, std::int64_t& ns) {
    const auto dot = text.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) {
        return false;
    }
    std::int64_t sec = 0;
    std::string_view frac = text.substr(dot + 1);
    if (!allDigits(text.substr(0, dot)) || !allDigits(frac) || !toInt(text.substr(0, dot), sec)) {
        return false;
    }
    std::int64_t sub = 0;
    int digits = 0;
    for (char c : frac.substr(0, 9)) {
        sub = sub * 10 + (c - '0');
        ++digits;
    }
    for (; digits < 9; ++digits) {
        sub *= 10;
    }
    if (sec > (kMaxNs - sub) / 1'000'000'000) {
        return false; // not a time in int64 nanoseconds (292 years)
    }
    ns = sec * 1'000'000'000 + sub;
    return true;
}

bool parseEventLine(std::string_view line, EventLine& out) {
    out = EventLine{};
    for (std::size_t colon = line.find(": "); colon != std::string_view::npos;
         colon = line.find(": ", colon + 1)) {
        std::size_t tsStart = 0;
        if (colon == 0 || !timestampBefore(line, colon, out.ts, tsStart)) {
            continue;
        }
        if (!parsePrefix(line.substr(0, tsStart), out)) {
            return false;
        }
        // "[001] d.h1." : the kernel's own layout with its irq-info column.
        const bool kernelLayout =
            out.hasFlags && line.substr(0, tsStart).find(']') != std::string_view::npos;
        if (!parseEventBody(trim(line.substr(colon + 2)), kernelLayout, out)) {
            return false;
        }
        out.infoColumn = static_cast<std::size_t>(out.info.data() - line.data());
        return true;
    }
    return false;
}

} // namespace irqlens
