// "Test connection" / `irqlens-cli record --remote HOST --check`: everything
// a recording needs from a target, checked in order without recording:
// reachable, logged in, root or sudo, tracefs, kernel, architecture and word
// size, the board, and whether the project's module (irqlens_gpio_irq) is
// loaded and in which mode.
#pragma once

#include "core/record/ssh_askpass.h"

#include <atomic>
#include <string>
#include <vector>

namespace irqlens {

struct TargetCheckRow {
    std::string label; // "reachable", "logged in as", ...
    std::string value; // "yes", "pi", "sudo (no password)", ...
    bool ok = true;    // false: recording would fail because of this
};

struct TargetCheck {
    std::vector<TargetCheckRow> rows;
    std::string error; // the first problem, one line (empty: a recording can start)
    bool ok() const { return error.empty(); }
};

// Connects to `destination` ([user@]host[:port]) like a recording would
// (same ssh options, same prompts) and fills the rows.  `interrupt` (may be
// null) ends it early.
TargetCheck checkRemoteTarget(const std::string& destination, const Prompter& prompter,
                              const std::atomic<bool>* interrupt = nullptr);

// "    reachable       yes" lines, for a terminal.
std::string formatTargetCheck(const TargetCheck& check);

} // namespace irqlens
