#include "core/record/record_options.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <set>
#include <sstream>

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

std::optional<std::vector<int>> parseCpuList(const std::string& text, int cpuCount,
                                             std::string& error) {
    std::set<int> cpus;
    std::istringstream in(text);
    std::string part;
    while (std::getline(in, part, ',')) {
        int first = -1, last = -1;
        char dash = 0;
        std::istringstream range(part);
        range >> first;
        if (range >> dash)
            range >> last;
        else
            last = first;
        if (!range.eof() || (dash != 0 && dash != '-') || first < 0 || last < first ||
            last >= cpuCount) {
            error = "bad CPU list '" + text + "' (e.g. 0-1,3; CPUs 0-" +
                    std::to_string(cpuCount - 1) + ")";
            return std::nullopt;
        }
        for (int c = first; c <= last; ++c)
            cpus.insert(c);
    }
    if (cpus.empty()) {
        error = "empty CPU list '" + text + "'";
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
