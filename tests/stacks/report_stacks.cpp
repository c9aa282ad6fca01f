#include "tests/stacks/report_stacks.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <regex>
#include <sstream>

namespace irqlens::test {
namespace {

// "<comm>-<pid>  [001]  379.996479: name:" or "<comm>-<pid>  1d.h1.  379.996479: name:"
const std::regex kEventLine(R"(^.*\S\s+\[?(\d+)(\]|[^\s\]]+)\s+(\d+\.\d+):\s+([A-Za-z0-9_]+):)");
const std::regex kFrameLine(R"(^=> (.*) \(([0-9a-f]+)\)\s*$)");

} // namespace

ReportStacks readReport(std::istream& in) {
    ReportStacks out;
    std::string line;
    ReportEvent* lastStack = nullptr;
    std::smatch m;
    while (std::getline(in, line)) {
        if (std::regex_match(line, m, kFrameLine)) {
            if (lastStack) {
                lastStack->frames.push_back({m[1], std::stoull(m[2], nullptr, 16)});
            }
            continue;
        }
        if (!std::regex_search(line, m, kEventLine)) {
            continue; // "cpus=2", CPU headers, drop marks
        }
        auto& events = out.perCpu[std::stoi(m[1])];
        std::string info = m.suffix();
        info.erase(0, info.find_first_not_of(' '));
        info.erase(info.find_last_not_of(' ') + 1);
        events.push_back({std::stoi(m[1]), m[3], m[4], info, {}, true});
        lastStack = events.back().name == "kernel_stack" ? &events.back() : nullptr;
    }
    // The excerpt may stop in the middle of the last stack.
    if (lastStack && in.eof()) {
        lastStack->complete = false;
    }
    return out;
}

ReportStacks readTraceCmdReport(const std::string& file, bool latency) {
    const std::string cmd =
        std::string("trace-cmd report ") + (latency ? "-l " : "") + "'" + file + "' 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    std::string text;
    if (pipe) {
        char buf[65536];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, pipe.get())) > 0) {
            text.append(buf, n);
        }
    }
    std::istringstream in(text);
    ReportStacks r = readReport(in);
    for (auto& [cpu, events] : r.perCpu) {
        if (!events.empty()) {
            events.back().complete = true; // the whole report: nothing was cut
        }
    }
    return r;
}

std::string reportTimestamp(std::int64_t ns) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%lld.%06lld", static_cast<long long>(ns / 1000000000),
                  static_cast<long long>((ns % 1000000000) / 1000));
    return buf;
}

} // namespace irqlens::test
