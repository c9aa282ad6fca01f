#include "parsers/tracedat/capture_info.h"

#include "parsers/tracedat/libtracecmd.h"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace irqlens::tracedat {

namespace {
std::int64_t numberAfter(std::string_view line, std::string_view key) {
    std::string_view rest = line.substr(key.size());
    while (!rest.empty() && rest.front() == ' ') {
        rest.remove_prefix(1);
    }
    std::int64_t value = -1;
    std::from_chars(rest.data(), rest.data() + rest.size(), value);
    return value;
}
} // namespace

std::vector<std::int64_t> parseOverruns(std::string_view cpustats, int cpus) {
    std::vector<std::int64_t> overruns(static_cast<std::size_t>(std::max(cpus, 0)), -1);
    std::int64_t cpu = -1;
    while (!cpustats.empty()) {
        const std::size_t eol = cpustats.find('\n');
        const std::string_view line = cpustats.substr(0, eol);
        cpustats.remove_prefix(eol == std::string_view::npos ? cpustats.size() : eol + 1);
        if (line.starts_with("Buffer:")) {
            break; // the stats of extra buffers follow the top buffer's
        }
        if (line.starts_with("CPU:")) {
            cpu = numberAfter(line, "CPU:");
        } else if (line.starts_with("overrun:") && cpu >= 0 && cpu < cpus) {
            overruns[static_cast<std::size_t>(cpu)] = numberAfter(line, "overrun:");
        }
    }
    return overruns;
}

std::string formatName(const Layout& layout) {
    std::string name = "trace.dat v" + std::to_string(layout.version);
    if (!layout.compression.empty()) {
        name += " (" + layout.compression + ")";
    }
    return name;
}

void fillCaptureInfo(tep_handle* tep, int cpus, const std::string& clock, const std::string& uname,
                     const std::string& cpustats, const Layout& layout, CaptureInfo& info) {
    info.format = formatName(layout);
    // What libtracecmd did not read (masked options, see tracedat_layout.h)
    // the layout walk read itself.
    info.clock = !clock.empty() ? clock : layout.clock;
    info.longSize = tep_get_long_size(tep);
    info.bigEndian = tep_is_file_bigendian(tep);
    info.pageSize = static_cast<int>(layout.pageSize);
    info.cpuCount = std::max(cpus, tep_get_cpus(tep));
    if (const std::string& text = !uname.empty() ? uname : layout.uname; !text.empty()) {
        // "Linux <host> <release> <machine>", irqlens adds " (<board>)"
        std::istringstream words(text);
        std::string system, host, release, machine, model;
        words >> system >> host >> release >> machine;
        std::getline(words >> std::ws, model);
        info.hostname = host;
        info.kernel = release;
        info.machine = machine;
        if (model.size() > 2 && model.front() == '(' && model.back() == ')') {
            info.model = model.substr(1, model.size() - 2);
        }
    }
    info.overrunPerCpu = parseOverruns(cpustats, info.cpuCount);
}

void fillCaptureInfo(tracecmd_input* handle, const Layout& layout, CaptureInfo& info) {
    const char* clock = tracecmd_get_trace_clock(handle);
    const char* uname = tracecmd_get_uname(handle);
    const char* stats = tracecmd_get_cpustats(handle);
    fillCaptureInfo(tracecmd_get_tep(handle), tracecmd_cpus(handle), clock ? clock : "",
                    uname ? uname : "", stats ? stats : "", layout, info);
    info.pageSize = tracecmd_page_size(handle);
}

} // namespace irqlens::tracedat
