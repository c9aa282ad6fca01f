// Turns presets and -e patterns into the concrete events to enable, checked
// against the events the target's tracefs offers.
#pragma once

#include "core/record/record_options.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace irqlens {

// system -> its events, as listed under tracefs events/.
using AvailableEvents = std::map<std::string, std::set<std::string>>;

struct EventSelection {
    std::vector<EventName> events;     // sorted, unique
    std::vector<std::string> warnings; // optional patterns that matched nothing
    std::string error;                 // a required pattern matched nothing
    bool ok() const { return error.empty(); }
};

EventSelection selectEvents(const RecordOptions& options, const AvailableEvents& available);

class TargetFiles;

// What both recorders do before recording: the events `options` ask for,
// checked against those `files` (the target's tracefs) lists.  Warnings
// are appended to `warnings`; std::nullopt with `error` set when the target
// lists no events or a required pattern matched nothing.
std::optional<std::vector<EventName>> selectTargetEvents(const RecordOptions& options,
                                                         TargetFiles& files,
                                                         std::vector<std::string>& warnings,
                                                         std::string& error);

} // namespace irqlens
