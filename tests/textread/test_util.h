// Helpers shared by the text reader tests: reading lines, running a command.
#pragma once

#include "core/model/event_store.h"
#include "tests/support/test_data.h"

#include <string>
#include <vector>

namespace irqlens::test {

std::vector<std::string> readLines(const std::string& path);
// stdout lines of a shell command; empty when it failed to start.
std::vector<std::string> commandLines(const std::string& command);
bool haveCommand(const std::string& name);
std::string tempPath(const std::string& name);
void writeFile(const std::string& path, const std::string& text);
std::string typeName(const EventStore& store, EventRef ref);

} // namespace irqlens::test
