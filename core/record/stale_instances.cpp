#include "core/record/stale_instances.h"

#include "core/record/tracefs_shim.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <signal.h>
#include <unistd.h>

namespace irqlens {

std::string newInstanceName(long ownerPid) {
    std::random_device random;
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
    return "irqlens-" + std::to_string(ownerPid) + "-" + suffix;
}

std::optional<long> irqlensInstancePid(const std::string& name) {
    static const std::string prefix = "irqlens-";
    if (!name.starts_with(prefix)) {
        return std::nullopt;
    }
    const std::string rest = name.substr(prefix.size());
    const auto dash = rest.find('-');
    const std::string digits = rest.substr(0, dash);
    if (digits.empty() || digits.size() > 9 ||
        (dash != std::string::npos && dash + 1 == rest.size())) {
        return std::nullopt;
    }
    long pid = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
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
        if (!pid || *pid == ::getpid() || *pid <= 0) {
            continue;
        }
        if (::kill(static_cast<pid_t>(*pid), 0) == 0 || errno != ESRCH) {
            continue; // its recorder is still running (EPERM: someone else's, alive)
        }
        if (irqlens_tfs_destroy_by_name(name.c_str()) == 0) {
            report.push_back("removed stale tracefs instance " + name);
        } else {
            report.push_back("cannot remove stale tracefs instance " + name + ": " +
                             std::strerror(errno));
        }
    }
    return report;
}

} // namespace irqlens
