// Our tracefs instances are named irqlens-<pid>-<random>: <pid> is the
// process that owns it (the recorder locally, the ssh holder remotely), the
// random part keeps a new instance from ever meeting an old one of the same
// pid (pids wrap at 32768 on 32-bit Raspberry Pis).  An instance whose owner
// is provably gone (kill -0 gives ESRCH; EPERM means alive) is stale and is
// removed at the next start; nothing else is ever touched.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace irqlens {

// "irqlens-<pid>-<8 random hex digits>".
std::string newInstanceName(long ownerPid);

// "irqlens-1234" or "irqlens-1234-0a1b2c3d" -> 1234; nullopt for any other name.
std::optional<long> irqlensInstancePid(const std::string& name);

// Removes stale local instances; returns one line per instance removed or
// that could not be removed.
std::vector<std::string> removeStaleLocalInstances();

} // namespace irqlens
