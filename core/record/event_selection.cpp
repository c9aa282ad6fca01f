#include "core/record/event_selection.h"

#include "core/record/target_files.h"

namespace irqlens {

namespace {

// Adds the events `pattern` matches; returns how many matched.
std::size_t expand(const EventPattern& pattern, const AvailableEvents& available,
                   std::set<EventName>& out) {
    const auto system = available.find(pattern.system);
    if (system == available.end())
        return 0;
    if (pattern.event != "*") {
        if (!system->second.count(pattern.event))
            return 0;
        out.insert({pattern.system, pattern.event});
        return 1;
    }
    for (const auto& event : system->second)
        out.insert({pattern.system, event});
    return system->second.size();
}

std::string describe(const EventPattern& p) {
    return p.system + ":" + p.event;
}

} // namespace

EventSelection selectEvents(const RecordOptions& options, const AvailableEvents& available) {
    EventSelection selection;
    auto patterns = presetPatterns(options.preset, selection.error);
    if (!patterns)
        return selection;
    for (const auto& text : options.events) {
        auto pattern = parseEventPattern(text, selection.error);
        if (!pattern)
            return selection;
        patterns->push_back(*pattern);
    }
    std::set<EventName> chosen;
    for (const auto& pattern : *patterns) {
        if (expand(pattern, available, chosen) > 0)
            continue;
        if (pattern.optional) {
            selection.warnings.push_back("no " + describe(pattern) + " events on this kernel");
        } else {
            selection.error = "the target's tracefs has no event " + describe(pattern);
            return selection;
        }
    }
    if (chosen.empty())
        selection.error = "no events to record (preset none and no -e)";
    selection.events.assign(chosen.begin(), chosen.end());
    return selection;
}

std::optional<std::vector<EventName>> selectTargetEvents(const RecordOptions& options,
                                                         TargetFiles& files,
                                                         std::vector<std::string>& warnings,
                                                         std::string& error) {
    const auto available = files.availableEvents(error);
    if (available.empty())
        return std::nullopt;
    auto selection = selectEvents(options, available);
    if (!selection.ok()) {
        error = files.where() + ": " + selection.error;
        return std::nullopt;
    }
    warnings.insert(warnings.end(), selection.warnings.begin(), selection.warnings.end());
    return std::move(selection.events);
}

} // namespace irqlens
