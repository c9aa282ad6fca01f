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
    std::string script = "cd " + shellQuote(dir_) + " || exit 3\n";
    for (const auto& path : paths) {
        script += "printf '\\n%s begin\\n' " + shellQuote(marker) + "; cat -- " + shellQuote(path) +
                  " 2>/dev/null; printf '\\n%s end %s\\n' " + shellQuote(marker) + " $?\n";
    }
    std::string out, err;
    if (ssh_.run(script, out, err, 120) != 0)
        return {};
    return splitFramedFiles(out, marker, paths);
}

AvailableEvents RemoteFiles::availableEvents(std::string& error) {
    std::string out, err;
    const int status = ssh_.run("cd " + shellQuote(dir_ + "/events") +
                                    " && for e in */*/format; do echo \"$e\"; done",
                                out, err);
    AvailableEvents events;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
        const auto slash = line.find('/');
        const auto second = line.find('/', slash + 1);
        if (slash != std::string::npos && second != std::string::npos)
            events[line.substr(0, slash)].insert(line.substr(slash + 1, second - slash - 1));
    }
    if (events.empty())
        error = where() + ": cannot list events/ (status " + std::to_string(status) + ")";
    return events;
}

int RemoteFiles::cpuCount(std::string& error) {
    std::string out, err;
    ssh_.run("cd " + shellQuote(dir_ + "/per_cpu") + " && for c in cpu*; do echo \"$c\"; done", out,
             err);
    int count = 0;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line))
        count += line.starts_with("cpu") && line != "cpu*";
    if (count == 0)
        error = where() + ": no per_cpu/cpuN directories";
    return count;
}

std::optional<bool> RemoteFiles::bigEndian(std::string& error) {
    // EI_DATA of an ELF binary of the target: 1 little, 2 big endian.
    std::string out, err;
    ssh_.run("head -c 6 /proc/self/exe", out, err);
    if (out.size() < 6 ||
        !out.starts_with("\x7f"
                         "ELF") ||
        (out[5] != 1 && out[5] != 2)) {
        error = ssh_.name() + ": cannot tell the byte order (head -c 6 /proc/self/exe)";
        return std::nullopt;
    }
    return out[5] == 2;
}

} // namespace irqlens
