// The shell scripts the remote recorder runs on the target.  Every value
// from the user goes through shellQuote().
#pragma once

#include "core/record/record_options.h"

#include <string>
#include <vector>

namespace irqlens {

// Everything the recorder needs to know about the target in one round trip
// (parsed by parseProbe): "dir D", "access w|r", "event SYS/EV/format"...,
// "cpu cpuN"..., "dd nonblock", "elf B" (B: EI_DATA byte of an ELF binary).
// Exit 3 when there is no tracefs (after trying to mount it).
std::string probeScript();

// Removes stale irqlens-<pid> instances (pid gone), creates `instance`
// (tracing off), sets buffer size / CPU mask, enables the events and
// options.  Failures print "irqlens-error: WHAT" on stderr and exit 1.
std::string setupScript(const std::string& tracingDir, const std::string& instance,
                        const RecordOptions& options, const std::vector<EventName>& events,
                        const std::string& cpuMask);

// Kills the given remote pids and removes the instance (retrying while the
// readers exit).
std::string teardownScript(const std::string& tracingDir, const std::string& instance,
                           const std::vector<std::string>& pids);

} // namespace irqlens
