// Helpers shared by the text reader tests: sample paths, running a command.
#pragma once

#include "core/model/event_store.h"

#include <string>
#include <vector>

namespace irqlens::test {

std::string samplePath(const std::string& name); // $IRQLENS_SAMPLES/name
std::string dataPath(const std::string& name);   // $IRQLENS_TEST_DATA/name
std::vector<std::string> readLines(const std::string& path);
// stdout lines of a shell command; empty when it failed to start.
std::vector<std::string> commandLines(const std::string& command);
bool haveCommand(const std::string& name);
std::string tempPath(const std::string& name);
void writeFile(const std::string& path, const std::string& text);
std::string typeName(const EventStore& store, EventRef ref);

} // namespace irqlens::test
