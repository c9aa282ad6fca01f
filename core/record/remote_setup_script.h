// The shell scripts the remote recorder runs on the target (as root, see
// remote_invocation.h).  Every value from the user goes through
// shellQuote(); instance names are ours ([a-z0-9-] only).
#pragma once

#include "core/record/record_options.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace irqlens {

// Everything the recorder needs to know about the target in one round trip
// (parsed by parseProbe): "dir D", "access w|r", "event SYS/EV/format"...,
// "cpu cpuN"..., "dd nonblock", "elf B C" (EI_DATA and EI_CLASS bytes of an
// ELF binary), "uname S N R M", "model TEXT", "module MODE".
// Exit 3 when there is no tracefs (after trying to mount it).
std::string probeScript();

// Removes the irqlens-<pid>[-<suffix>] instances whose holder <pid> is gone
// (kill -0 fails, and not with EPERM: a process we may not signal is alive),
// after killing any reader still reading them.  Prints one line per
// instance removed or not removable.  Runs in the directory above instances/.
std::string staleInstanceCleanupScript();

// Removes stale instances (above), creates `instance` (tracing off), sets
// buffer size / CPU mask, enables the events and options.  Failures print
// "irqlens-error: WHAT" on stderr and exit 1.
std::string setupScript(const std::string& tracingDir, const std::string& instance,
                        const RecordOptions& options, const std::vector<EventName>& events,
                        const std::string& cpuMask);

// One CPU's reader: prints its pid, then streams `file` (trace_pipe_raw) to
// stdout.  It ends by itself once `holderPid` (our connection's holder) is
// gone or its output is (SIGPIPE): a killed or disconnected recorder leaves
// no reader behind.  With GNU dd it reads without blocking every 100 ms
// (whole pages, plus one partial per round).  Else (busybox) every 100 ms it
// reads the CPU's stats next to `file` and has dd read as many pages as they
// say hold data ("bytes:" over `pageData`, the event bytes a page holds),
// partial pages included, so that nothing stays behind at the stop.
std::string readerScript(const std::string& file, std::uint32_t pageSize, std::uint32_t pageData,
                         bool nonblockingDd, const std::string& holderPid);

// Switches the instance's tracing off, then waits (on the target, within
// one round trip) until the readers have taken what the buffers still hold:
// every CPU's "entries:" is 0, or has not changed for 30 rounds (~3 s), or
// 120 s have passed by the target's clock.  Then prints "left N", N the
// entries still in the buffers (0 when everything was taken).  Exit 1 when
// tracing could not be switched off.
std::string stopScript(const std::string& tracingDir, const std::string& instance);

// N of the stop script's "left N" line; nullopt without one (or a bad N).
std::optional<std::uint64_t> parseEventsLeft(const std::string& stopOutput);

// Kills the given reader pids and any other reader of the instance, then
// removes the instance (retrying while the readers exit).
std::string teardownScript(const std::string& tracingDir, const std::string& instance,
                           const std::vector<std::string>& pids);

} // namespace irqlens
