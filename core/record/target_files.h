// Read access to a traced machine's tracefs (and /proc), local or over SSH,
// so metadata collection is written once for both recorders.
#pragma once

#include "core/record/event_selection.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace irqlens {

// Which machine is traced, as stored in a capture and shown in its summary.
struct TargetSystem {
    std::string uname; // "Linux raspberrypi 6.6.51+rpt-rpi-v8 aarch64" (trace-cmd's UNAME form)
    std::string model; // "Raspberry Pi 4 Model B Rev 1.4" (device tree, else DMI), may be empty
};

class TargetFiles {
public:
    virtual ~TargetFiles() = default;
    // "local tracefs /sys/kernel/tracing", "pi@raspberrypi:/sys/kernel/tracing"
    virtual std::string where() const = 0;
    // Reads each path (relative to the tracefs root, or absolute such as
    // /proc/kallsyms).  Paths that cannot be read are absent from the result.
    virtual std::map<std::string, std::string> readFiles(const std::vector<std::string>& paths) = 0;
    // system -> events under events/ (empty with `error` set on failure).
    virtual AvailableEvents availableEvents(std::string& error) = 0;
    // Number of per_cpu/cpuN directories (CPUs the ring buffer has).
    virtual int cpuCount(std::string& error) = 0;
    // Byte order of the target (not of this host).
    virtual std::optional<bool> bigEndian(std::string& error) = 0;
    virtual TargetSystem system() = 0;
};

} // namespace irqlens
