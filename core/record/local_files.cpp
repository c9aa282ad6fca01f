#include "core/record/local_files.h"

#include <bit>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
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

} // namespace irqlens
