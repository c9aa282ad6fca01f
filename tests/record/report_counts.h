// Independent readers of a trace.dat for the tests: `trace-cmd report` (the
// reference tool) and libtracecmd, each giving per-event counts.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace irqlens::test {

struct EventCounts {
    std::map<std::string, std::uint64_t> byEvent; // "irq_handler_entry" -> n
    std::uint64_t total = 0;
    std::uint64_t lostMarkers = 0; // "[N EVENTS DROPPED]" lines of trace-cmd report
    std::uint64_t lostEvents = 0;  // sum of the N
    bool ok = false;
    std::string error;
};

// Runs `trace-cmd report` on `path` and counts its event lines.
EventCounts countWithTraceCmdReport(const std::string& path);

// Iterates all records of `path` with libtracecmd.
EventCounts countWithLibtracecmd(const std::string& path);

// The sum of the "read events: N" lines of the per-CPU stats stored in
// `path` (the target's kernel's count of the events its readers took), read
// with libtracecmd; nullopt when the file stores none.
std::optional<std::uint64_t> storedReadEvents(const std::string& path);

// The same for any numeric line of those stats, e.g. "entries" (the events
// still in the target's buffers when the stats were read).
std::optional<std::uint64_t> storedStatSum(const std::string& path, const std::string& name);

// Runs a shell command, returns its stdout (and sets status).
std::string runCommand(const std::string& command, int* status = nullptr);

} // namespace irqlens::test
