#include "tests/tracedat/report_reader.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>

namespace irqlens::test {

namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t\n");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::int64_t parseTs(const std::string& text) {
    const auto dot = text.find('.');
    std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
    frac.resize(9, '0');
    return std::stoll(text.substr(0, dot)) * 1'000'000'000 + std::stoll(frac);
}

// "  comm-pid   [001]   301.758934657: name:   info", and with an extra
// buffer's name first: "irqs:    comm-pid   [001] ..." (task names are
// right-aligned, so only a buffer's name starts in the first column).
std::optional<ReportEvent> parseEventLine(std::string line) {
    std::string buffer;
    if (const auto colon = line.find(": ");
        !line.empty() && line[0] != ' ' && colon != std::string::npos && colon < line.find(' ')) {
        buffer = line.substr(0, colon);
        line = line.substr(colon + 1);
    }
    const auto open = line.find(" [");
    if (open == std::string::npos) {
        return std::nullopt;
    }
    const auto close = line.find(']', open);
    const auto tsEnd = line.find(": ", close);
    if (close == std::string::npos || tsEnd == std::string::npos) {
        return std::nullopt;
    }
    const auto nameEnd = line.find(':', tsEnd + 2);
    if (nameEnd == std::string::npos) {
        return std::nullopt;
    }
    ReportEvent e;
    e.buffer = buffer;
    const std::string task = trim(line.substr(0, open));
    const auto dash = task.rfind('-');
    e.comm = task.substr(0, dash);
    e.pid = std::stoi(task.substr(dash + 1));
    e.cpu = std::stoi(line.substr(open + 2, close - open - 2));
    e.tsNs = parseTs(trim(line.substr(close + 1, tsEnd - close - 1)));
    e.name = trim(line.substr(tsEnd + 2, nameEnd - tsEnd - 2));
    e.info = trim(line.substr(nameEnd + 1));
    return e;
}

// "CPU:0 [EVENTS DROPPED]" or "CPU:0 [12 EVENTS DROPPED]" -> (cpu, count or -1).
std::optional<std::pair<int, std::int64_t>> parseDroppedLine(const std::string& line) {
    if (!line.starts_with("CPU:") || line.find("EVENTS DROPPED]") == std::string::npos) {
        return std::nullopt;
    }
    const int cpu = std::stoi(line.substr(4));
    const auto open = line.find('[');
    const std::string inside = line.substr(open + 1);
    const std::int64_t count =
        std::isdigit(static_cast<unsigned char>(inside[0])) ? std::stoll(inside) : -1;
    return std::make_pair(cpu, count);
}

struct PipeClose {
    void operator()(FILE* f) const { pclose(f); }
};

} // namespace

std::string runCommand(const std::string& command) {
    std::unique_ptr<FILE, PipeClose> pipe(popen(command.c_str(), "r"));
    std::string out;
    if (!pipe) {
        return out;
    }
    char buf[65536];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe.get())) > 0) {
        out.append(buf, n);
    }
    return out;
}

bool forEachReportEvent(const std::string& path,
                        const std::function<void(const ReportEvent&)>& onEvent) {
    const std::string command = "trace-cmd report -t '" + path + "' 2>/dev/null";
    std::unique_ptr<FILE, PipeClose> pipe(popen(command.c_str(), "r"));
    if (!pipe) {
        return false;
    }
    std::optional<ReportEvent> pending;
    std::map<int, std::int64_t> dropped; // per CPU, for its next event
    char* line = nullptr;
    std::size_t capacity = 0;
    ssize_t length;
    bool any = false;
    while ((length = getline(&line, &capacity, pipe.get())) > 0) {
        std::string text(line, static_cast<std::size_t>(length));
        if (text.starts_with("=>")) {
            if (pending) {
                pending->stack.push_back(trim(text.substr(2)));
            }
            continue;
        }
        if (auto drop = parseDroppedLine(text)) {
            dropped[drop->first] = drop->second;
            continue;
        }
        if (auto event = parseEventLine(text)) {
            if (pending) {
                onEvent(*pending);
            }
            pending = std::move(event);
            if (auto it = dropped.find(pending->cpu); it != dropped.end()) {
                pending->droppedBefore = it->second;
                dropped.erase(it);
            }
            any = true;
        }
    }
    if (pending) {
        onEvent(*pending);
    }
    free(line);
    return any;
}

ReportCounts countReport(const std::string& path) {
    ReportCounts counts;
    forEachReportEvent(path, [&](const ReportEvent& e) {
        ++counts.total;
        ++counts.perCpu[e.cpu];
        ++counts.perName[e.name];
    });
    return counts;
}

} // namespace irqlens::test
