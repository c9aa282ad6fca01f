#include "core/record/metadata_collector.h"

#include <map>

namespace irqlens {

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
