// Instances named irqlens-<pid> whose process is gone (a crashed or killed
// earlier run) are removed at the next start.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace irqlens {

// "irqlens-1234" -> 1234; nullopt for any other name.
std::optional<long> irqlensInstancePid(const std::string& name);

// Removes stale local instances; returns one line per instance removed or
// that could not be removed.
std::vector<std::string> removeStaleLocalInstances();

} // namespace irqlens
