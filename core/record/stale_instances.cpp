#include "core/record/stale_instances.h"

#include "core/record/tracefs_shim.h"

#include <cerrno>
#include <cstring>
#include <signal.h>
#include <unistd.h>

namespace irqlens {

std::optional<long> irqlensInstancePid(const std::string& name) {
    static const std::string prefix = "irqlens-";
    if (!name.starts_with(prefix) || name.size() == prefix.size() ||
        name.size() > prefix.size() + 9)
        return std::nullopt;
    long pid = 0;
    for (char c : name.substr(prefix.size())) {
        if (c < '0' || c > '9')
            return std::nullopt;
        pid = pid * 10 + (c - '0');
    }
    return pid;
}

namespace {
int collect(const char* name, void* data) {
    static_cast<std::vector<std::string>*>(data)->push_back(name);
    return 0;
}
} // namespace

std::vector<std::string> removeStaleLocalInstances() {
    std::vector<std::string> names, report;
    irqlens_tfs_instances_walk(collect, &names);
    for (const auto& name : names) {
        const auto pid = irqlensInstancePid(name);
        if (!pid || *pid == ::getpid())
            continue;
        if (::kill(static_cast<pid_t>(*pid), 0) == 0 || errno != ESRCH)
            continue; // its recorder is still running
        if (irqlens_tfs_destroy_by_name(name.c_str()) == 0)
            report.push_back("removed stale tracefs instance " + name);
        else
            report.push_back("cannot remove stale tracefs instance " + name + ": " +
                             std::strerror(errno));
    }
    return report;
}

} // namespace irqlens
