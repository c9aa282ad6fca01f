// Parsing of the user-defined latency rule text (grammar in latency_rule.h).
#include "core/spans/latency_rule.h"

#include <array>
#include <charconv>
#include <utility>

namespace irqlens {

namespace {

constexpr std::array<std::pair<std::string_view, RuleField>, 14> kFields = {{
    {"common_pid", RuleField::CommonPid},
    {"pid", RuleField::Pid},
    {"comm", RuleField::Comm},
    {"cpu", RuleField::Cpu},
    {"irq", RuleField::Irq},
    {"name", RuleField::Name},
    {"vec", RuleField::Vec},
    {"work", RuleField::Work},
    {"function", RuleField::Function},
    {"next_pid", RuleField::NextPid},
    {"prev_pid", RuleField::PrevPid},
    {"prev_state", RuleField::PrevState},
    {"target_cpu", RuleField::TargetCpu},
    {"depth", RuleField::Depth},
}};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

// Splits on a word surrounded by spaces (" where ", " and ").
std::vector<std::string_view> splitWord(std::string_view s, std::string_view word) {
    std::vector<std::string_view> parts;
    std::string sep(word.size() + 2, ' '); // " word " (built in place: GCC 12 -Wrestrict)
    word.copy(sep.data() + 1, word.size());
    std::size_t pos;
    while ((pos = s.find(sep)) != std::string_view::npos) {
        parts.push_back(trim(s.substr(0, pos)));
        s.remove_prefix(pos + sep.size());
    }
    parts.push_back(trim(s));
    return parts;
}

std::optional<std::int64_t> parseNumber(std::string_view v) {
    bool negative = !v.empty() && v.front() == '-';
    if (negative) {
        v.remove_prefix(1);
    }
    int base = 10;
    if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
        v.remove_prefix(2);
        base = 16;
    }
    std::uint64_t n = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n, base);
    if (v.empty() || ec != std::errc() || ptr != v.data() + v.size()) {
        return std::nullopt;
    }
    const auto value = static_cast<std::int64_t>(n);
    return negative ? -value : value;
}

std::optional<std::string> parseFilter(std::string_view text, RuleFilter& out) {
    static constexpr std::array<std::pair<std::string_view, RuleOp>, 8> ops = {
        {{"==", RuleOp::Eq},
         {"!=", RuleOp::Ne},
         {"<=", RuleOp::Le},
         {">=", RuleOp::Ge},
         {"~", RuleOp::Contains},
         {"<", RuleOp::Lt},
         {">", RuleOp::Gt},
         {"=", RuleOp::Eq}}};
    for (const auto& [sym, op] : ops) {
        const std::size_t pos = text.find(sym);
        if (pos == std::string_view::npos) {
            continue;
        }
        const std::string_view field = trim(text.substr(0, pos));
        auto f = ruleFieldByName(field);
        if (!f) {
            return "unknown field '" + std::string(field) + "' in filter '" + std::string(text) +
                   "'";
        }
        out.field = *f;
        out.op = op;
        out.text = std::string(trim(text.substr(pos + sym.size())));
        if (out.text.empty()) {
            return "filter '" + std::string(text) + "' has no value";
        }
        if (out.field == RuleField::PrevState && out.text.size() == 1) {
            const std::string_view letters = "RSDTtXZPI";
            if (auto i = letters.find(out.text[0]); i != std::string_view::npos) {
                out.number = static_cast<std::int64_t>(i);
                out.numeric = true;
                return std::nullopt;
            }
        }
        auto n = parseNumber(out.text);
        out.numeric = n.has_value();
        out.number = n.value_or(0);
        return std::nullopt;
    }
    return "filter '" + std::string(text) + "' has no operator (== != < <= > >= ~)";
}

std::optional<std::string> parseEndpoint(std::string_view text, RuleEndpoint& out) {
    const std::vector<std::string_view> parts = splitWord(text, "where");
    if (parts.size() > 2) {
        return "more than one 'where' in '" + std::string(text) + "'";
    }
    const std::string_view event = parts[0];
    if (event.empty() || event.find(' ') != std::string_view::npos) {
        return "expected an event name (system:name), got '" + std::string(event) + "'";
    }
    const std::size_t colon = event.find(':');
    out.system = colon == std::string_view::npos ? "" : std::string(event.substr(0, colon));
    out.name = std::string(colon == std::string_view::npos ? event : event.substr(colon + 1));
    if (parts.size() == 2) {
        for (std::string_view f : splitWord(parts[1], "and")) {
            RuleFilter filter;
            if (auto err = parseFilter(f, filter)) {
                return err;
            }
            out.filters.push_back(std::move(filter));
        }
    }
    return std::nullopt;
}

std::optional<std::string> parseKeys(std::string_view text, std::vector<RuleKeyPair>& out) {
    while (!text.empty()) {
        const std::size_t comma = text.find(',');
        const std::string_view pair = trim(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        const std::size_t eq = pair.find('=');
        auto a = ruleFieldByName(trim(pair.substr(0, eq)));
        auto b = eq == std::string_view::npos ? a : ruleFieldByName(trim(pair.substr(eq + 1)));
        if (!a || !b) {
            return "bad key pair '" + std::string(pair) + "' (expected field=field)";
        }
        out.push_back({*a, *b});
    }
    return std::nullopt;
}

} // namespace

std::optional<RuleField> ruleFieldByName(std::string_view name) {
    for (const auto& [n, f] : kFields) {
        if (n == name) {
            return f;
        }
    }
    return std::nullopt;
}

RuleParse parseLatencyRule(std::string_view text) {
    RuleParse result;
    const std::size_t arrow = text.find("->");
    if (arrow == std::string_view::npos) {
        result.error = "latency rule '" + std::string(text) + "' has no '->' between start and end";
        return result;
    }
    LatencyRule rule;
    rule.text = std::string(trim(text));
    std::string_view right = trim(text.substr(arrow + 2));
    const std::vector<std::string_view> by = splitWord(right, "by");
    if (by.size() > 2) {
        result.error = "more than one 'by' in latency rule '" + rule.text + "'";
        return result;
    }
    std::optional<std::string> err = parseEndpoint(trim(text.substr(0, arrow)), rule.start);
    if (!err) {
        err = parseEndpoint(by[0], rule.end);
    }
    if (!err && by.size() == 2) {
        err = parseKeys(by[1], rule.keys);
    }
    if (err) {
        result.error = "latency rule '" + rule.text + "': " + *err;
        return result;
    }
    result.rule = std::move(rule);
    return result;
}

} // namespace irqlens
