#include "core/record/metadata_collector.h"

#include <charconv>
#include <map>
#include <regex>

namespace irqlens {

namespace {
// The digits of a regex match; false when they do not fit (a broken or
// hostile target's header_page: a refusal, never an exception).
bool number(const std::ssub_match& digits, std::uint64_t& value) {
    const std::string text = digits.str();
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
}
} // namespace

bool parseHeaderPage(const std::string& headerPage, std::uint32_t& pageSize, int& longSize) {
    static const std::regex commit(R"(field:\s*local_t commit;\s*offset:\d+;\s*size:(\d+);)");
    static const std::regex data(R"(field:\s*char data;\s*offset:(\d+);\s*size:(\d+);)");
    std::smatch m;
    std::uint64_t commitSize = 0, dataOffset = 0, dataSize = 0;
    if (!std::regex_search(headerPage, m, commit) || !number(m[1], commitSize) ||
        !std::regex_search(headerPage, m, data) || !number(m[1], dataOffset) ||
        !number(m[2], dataSize)) {
        return false;
    }
    // Pages of at most 1 MiB (the kernel's sub-buffers go up to 4 MiB on
    // some kernels; nothing near 4 GiB).
    if ((commitSize != 4 && commitSize != 8) || dataOffset > (1u << 22) || dataSize > (1u << 22) ||
        dataOffset + dataSize < 64) {
        return false;
    }
    longSize = static_cast<int>(commitSize);
    pageSize = static_cast<std::uint32_t>(dataOffset + dataSize);
    return true;
}

namespace {

std::string formatPath(const std::string& system, const std::string& event) {
    return "events/" + system + "/" + event + "/format";
}

bool readHeaders(TargetFiles& files, TraceMetadata& meta, std::string& error) {
    auto headers = files.readFiles({"events/header_page", "events/header_event"});
    if (!headers.count("events/header_page") || !headers.count("events/header_event")) {
        error = files.where() + ": cannot read events/header_page (no tracefs or no permission?)";
        return false;
    }
    meta.headerPage = headers["events/header_page"];
    meta.headerEvent = headers["events/header_event"];
    if (!parseHeaderPage(meta.headerPage, meta.pageSize, meta.longSize)) {
        error = files.where() + ": events/header_page has no commit/data fields";
        return false;
    }
    return true;
}

} // namespace

bool collectMetadata(TargetFiles& files, const std::vector<EventName>& events,
                     const std::string& instanceDir, TraceMetadata& meta, std::string& error) {
    if (!readHeaders(files, meta, error))
        return false;
    const auto endian = files.bigEndian(error);
    if (!endian)
        return false;
    meta.bigEndian = *endian;
    meta.cpus = files.cpuCount(error);
    if (meta.cpus < 1)
        return false;
    auto available = files.availableEvents(error);
    if (available.empty())
        return false;

    // All ftrace formats (small): kernel_stack, funcgraph_entry, print ...
    std::vector<std::string> paths;
    for (const auto& event : available["ftrace"])
        paths.push_back(formatPath("ftrace", event));
    std::map<std::string, std::vector<std::string>> bySystem;
    for (const auto& e : events) {
        paths.push_back(formatPath(e.system, e.event));
        bySystem[e.system].push_back(e.event);
    }
    paths.insert(paths.end(), {"/proc/kallsyms", "printk_formats", "saved_cmdlines",
                               instanceDir + "/trace_clock"});
    auto contents = files.readFiles(paths);

    meta.ftraceFormats.clear();
    for (const auto& event : available["ftrace"]) {
        auto it = contents.find(formatPath("ftrace", event));
        if (it != contents.end())
            meta.ftraceFormats.push_back(it->second);
    }
    meta.systems.clear();
    for (const auto& [system, names] : bySystem) {
        EventSystemFormats formats{system, {}};
        for (const auto& name : names) {
            auto it = contents.find(formatPath(system, name));
            if (it == contents.end()) {
                error = files.where() + ": cannot read " + formatPath(system, name);
                return false;
            }
            formats.formats.push_back(it->second);
        }
        meta.systems.push_back(std::move(formats));
    }
    meta.kallsyms = contents["/proc/kallsyms"];
    meta.printkFormats = contents["printk_formats"];
    meta.savedCmdlines = contents["saved_cmdlines"];
    meta.traceClock = contents[instanceDir + "/trace_clock"];
    const TargetSystem system = files.system();
    meta.uname = system.uname;
    meta.model = system.model;
    return true;
}

} // namespace irqlens
