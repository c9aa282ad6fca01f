// Opening a capture for a subcommand: checks the path first (missing,
// directory, empty, unreadable) so those get a precise message whatever the
// reader says, then loads and analyses it.  On failure one line naming the
// file and the problem goes to stderr and the caller exits with status 2.
#pragma once

#include "core/model/event_store.h"
#include "core/spans/span.h"

#include <memory>
#include <optional>
#include <string>

namespace irqlens::cli {

struct OpenedCapture {
    std::string path;
    std::unique_ptr<EventStore> store;
    Analysis analysis;
    double loadSeconds = 0;
};

// Returns the problem with `path` that makes it unreadable before any
// parsing ("no such file", "is a directory", "is empty", ...), or "".
std::string pathProblem(const std::string& path);

// Loads and analyses `path`; on failure prints "irqlens-cli: PATH: PROBLEM"
// on stderr and returns nullopt.  Task spans (every task's runs, for the
// timeline) are built only when asked: no statistic needs them.
std::optional<OpenedCapture> openCapture(const std::string& path, bool taskSpans = false);

} // namespace irqlens::cli
