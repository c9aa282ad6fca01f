#include "core/record/remote_files.h"

#include <random>
#include <sstream>

namespace irqlens {

namespace {
std::string randomMarker() {
    std::random_device rd;
    std::ostringstream s;
    s << "@@irqlens-" << std::hex << rd() << rd();
    return s.str();
}
} // namespace

std::map<std::string, std::string> splitFramedFiles(const std::string& output,
                                                    const std::string& marker,
                                                    const std::vector<std::string>& paths) {
    std::map<std::string, std::string> files;
    std::size_t at = 0;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        const std::string begin = "\n" + marker + " begin\n";
        const std::string end = "\n" + marker + " end ";
        const auto b = output.find(begin, at);
        if (b == std::string::npos)
            break;
        const auto e = output.find(end, b + begin.size());
        if (e == std::string::npos)
            break;
        const auto status = e + end.size();
        if (status < output.size() && output[status] == '0')
            files[paths[i]] = output.substr(b + begin.size(), e - b - begin.size());
        at = status;
    }
    return files;
}

std::map<std::string, std::string> RemoteFiles::readFiles(const std::vector<std::string>& paths) {
    // One round trip for all files; a random marker frames each file's text.
    const std::string marker = randomMarker();
    std::string script = "cd " + shellQuote(probe_.tracingDir) + " || exit 3\n";
    for (const auto& path : paths) {
        script += "printf '\\n%s begin\\n' " + shellQuote(marker) + "; cat -- " + shellQuote(path) +
                  " 2>/dev/null; printf '\\n%s end %s\\n' " + shellQuote(marker) + " $?\n";
    }
    std::string out, err;
    if (ssh_.run(script, out, err, 120) != 0)
        return {};
    return splitFramedFiles(out, marker, paths);
}

RemoteProbe parseProbe(const std::string& output) {
    RemoteProbe probe;
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        const auto space = line.find(' ');
        const std::string key = line.substr(0, space);
        const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
        if (key == "dir") {
            probe.tracingDir = value;
        } else if (key == "access") {
            probe.writable = value == "w";
        } else if (key == "event") {
            const auto slash = value.find('/');
            const auto second = value.find('/', slash + 1);
            if (slash != std::string::npos && second != std::string::npos)
                probe.events[value.substr(0, slash)].insert(
                    value.substr(slash + 1, second - slash - 1));
        } else if (key == "cpu") {
            probe.cpus += value.starts_with("cpu") && value != "cpu*";
        } else if (key == "dd") {
            probe.nonblockingDd = true;
        } else if (key == "elf" && value.size() == 2) {
            // EI_CLASS then EI_DATA: 1 = 32-bit / little endian, 2 = 64-bit / big endian.
            if (value[0] == 1 || value[0] == 2) {
                probe.userlandBits = value[0] == 2 ? 64 : 32;
            }
            if (value[1] == 1 || value[1] == 2) {
                probe.bigEndian = value[1] == 2;
            }
        } else if (key == "uname") {
            probe.system.uname = value;
        } else if (key == "model") {
            probe.system.model = value;
            while (!probe.system.model.empty() && probe.system.model.back() == ' ') {
                probe.system.model.pop_back();
            }
        } else if (key == "module") {
            probe.moduleMode = value;
        }
    }
    return probe;
}

AvailableEvents RemoteFiles::availableEvents(std::string& error) {
    if (probe_.events.empty())
        error = where() + ": cannot list events/";
    return probe_.events;
}

int RemoteFiles::cpuCount(std::string& error) {
    if (probe_.cpus == 0)
        error = where() + ": no per_cpu/cpuN directories";
    return probe_.cpus;
}

std::optional<bool> RemoteFiles::bigEndian(std::string& error) {
    if (!probe_.bigEndian)
        error = ssh_.name() + ": cannot tell the byte order (head -c 6 /proc/self/exe)";
    return probe_.bigEndian;
}

} // namespace irqlens
