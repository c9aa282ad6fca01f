#include "core/record/local_files.h"

#include <bit>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/utsname.h>
#include <unistd.h>

namespace irqlens {

namespace fs = std::filesystem;

std::optional<std::string> readWholeFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    std::string out;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const bool failed = n < 0;
            ::close(fd);
            if (failed)
                return std::nullopt;
            return out;
        }
        out.append(buffer, static_cast<std::size_t>(n));
    }
}

std::map<std::string, std::string> LocalFiles::readFiles(const std::vector<std::string>& paths) {
    std::map<std::string, std::string> out;
    for (const auto& path : paths) {
        const std::string full = path.starts_with('/') ? path : dir_ + "/" + path;
        if (auto content = readWholeFile(full))
            out[path] = std::move(*content);
    }
    return out;
}

AvailableEvents LocalFiles::availableEvents(std::string& error) {
    AvailableEvents events;
    std::error_code ec;
    for (const auto& system : fs::directory_iterator(dir_ + "/events", ec)) {
        if (!system.is_directory())
            continue;
        auto& names = events[system.path().filename().string()];
        for (const auto& event : fs::directory_iterator(system.path(), ec))
            if (fs::exists(event.path() / "format"))
                names.insert(event.path().filename().string());
    }
    if (events.empty())
        error = where() + ": cannot list events/ (" + (ec ? ec.message() : "empty") + ")";
    return events;
}

int LocalFiles::cpuCount(std::string& error) {
    int count = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_ + "/per_cpu", ec))
        if (entry.path().filename().string().starts_with("cpu"))
            ++count;
    if (count == 0)
        error = where() + ": no per_cpu/cpuN directories";
    return count;
}

std::optional<bool> LocalFiles::bigEndian(std::string&) {
    return std::endian::native == std::endian::big;
}

namespace {
std::string withoutControlChars(std::string text) {
    for (char& c : text) {
        if (static_cast<unsigned char>(c) < 0x20) {
            c = ' ';
        }
    }
    while (!text.empty() && text.back() == ' ') {
        text.pop_back();
    }
    return text;
}
} // namespace

TargetSystem LocalFiles::system() {
    TargetSystem s;
    utsname u{};
    if (::uname(&u) == 0) {
        s.uname = std::string(u.sysname) + " " + u.nodename + " " + u.release + " " + u.machine;
    }
    for (const char* path : {"/proc/device-tree/model", "/sys/firmware/devicetree/base/model"}) {
        if (auto model = readWholeFile(path); model && !model->empty()) {
            s.model = withoutControlChars(*model);
            return s;
        }
    }
    const auto vendor = readWholeFile("/sys/class/dmi/id/sys_vendor");
    const auto product = readWholeFile("/sys/class/dmi/id/product_name");
    if (product) {
        s.model = withoutControlChars(vendor.value_or("") + " " + *product);
        while (!s.model.empty() && s.model.front() == ' ') {
            s.model.erase(0, 1);
        }
    }
    return s;
}

} // namespace irqlens
