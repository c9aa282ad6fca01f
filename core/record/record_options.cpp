#include "core/record/record_options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string_view>

namespace irqlens {

const std::vector<std::string>& presetNames() {
    static const std::vector<std::string> names{"bottom-halves", "stacks", "funcgraph", "none"};
    return names;
}

std::optional<std::vector<EventPattern>> presetPatterns(const std::string& preset,
                                                        std::string& error) {
    if (preset == "none")
        return std::vector<EventPattern>{};
    if (preset != "bottom-halves" && preset != "stacks" && preset != "funcgraph") {
        error = "unknown preset '" + preset + "' (known: bottom-halves, stacks, funcgraph, none)";
        return std::nullopt;
    }
    return std::vector<EventPattern>{
        {"irq", "*", false},
        {"workqueue", "*", false},
        {"sched", "sched_switch", false},
        {"sched", "sched_waking", false},
        {"sched", "sched_wakeup", false},
        {"irq_vectors", "*", true},
        {"ipi", "*", true},
    };
}

namespace {
bool validName(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}
} // namespace

std::optional<EventPattern> parseEventPattern(const std::string& text, std::string& error) {
    const auto sep = text.find_first_of(":/");
    EventPattern p;
    p.system = text.substr(0, sep);
    p.event = sep == std::string::npos ? "*" : text.substr(sep + 1);
    // Only names tracefs can have: nothing else may reach a path or a shell.
    if (!validName(p.system) || (p.event != "*" && !validName(p.event))) {
        error = "bad event '" + text + "' (expected SYSTEM:EVENT, SYSTEM:* or SYSTEM)";
        return std::nullopt;
    }
    return p;
}

namespace {
// A CPU number: digits only (no sign, space or "0x"), below `cpuCount`.
std::optional<int> parseCpu(std::string_view text, int cpuCount) {
    int value = -1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || !std::isdigit(static_cast<unsigned char>(text.front())) ||
        ec != std::errc() || end != text.data() + text.size() || value >= cpuCount) {
        return std::nullopt;
    }
    return value;
}
} // namespace

std::optional<std::vector<int>> parseCpuList(const std::string& text, int cpuCount,
                                             std::string& error) {
    std::set<int> cpus;
    bool ok = !text.empty();
    std::size_t at = 0;
    while (ok && at <= text.size()) {
        const auto comma = std::min(text.find(',', at), text.size());
        const std::string_view part(text.data() + at, comma - at);
        const auto dash = part.find('-');
        const auto first = parseCpu(part.substr(0, dash), cpuCount);
        const auto last =
            dash == std::string_view::npos ? first : parseCpu(part.substr(dash + 1), cpuCount);
        ok = first && last && *first <= *last;
        for (int c = ok ? *first : 0; ok && c <= *last; ++c) {
            cpus.insert(c);
        }
        at = comma + 1;
    }
    if (!ok) {
        error =
            "bad CPU list '" + text + "' (e.g. 0-1,3; CPUs 0-" + std::to_string(cpuCount - 1) + ")";
        return std::nullopt;
    }
    return std::vector<int>(cpus.begin(), cpus.end());
}

std::string cpuMaskHex(const std::vector<int>& cpus) {
    int top = 0;
    for (int c : cpus)
        top = std::max(top, c);
    std::vector<std::uint32_t> words(static_cast<std::size_t>(top / 32 + 1), 0);
    for (int c : cpus)
        words[static_cast<std::size_t>(c / 32)] |= 1u << (c % 32);
    std::string out;
    char buffer[16];
    for (auto it = words.rbegin(); it != words.rend(); ++it) {
        std::snprintf(buffer, sizeof buffer, out.empty() ? "%x" : ",%08x", *it);
        out += buffer;
    }
    return out;
}

} // namespace irqlens
