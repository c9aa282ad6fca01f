// Runs loadCapture() in a forked child bounded by alarm(), so that a crash, a
// sanitizer report or a hang on bad input becomes a test failure naming the
// input instead of taking the whole test binary down (or hanging ctest).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace irqlens::test {

struct ChildLoad {
    enum class Outcome { Loaded, FailedCleanly, Crashed, Hung };
    Outcome outcome = Outcome::Crashed;
    std::string error;                 // LoadResult::error when FailedCleanly
    std::vector<std::string> warnings; // store->info().warnings when Loaded
    std::uint64_t events = 0;          // store->totalEvents() when Loaded
    std::vector<std::uint64_t> perCpu; // events of each store column when Loaded
    std::string crash;                 // signal / exit status when Crashed or Hung
};

ChildLoad loadInChild(const std::string& path, unsigned timeoutSeconds = 20);

const char* outcomeName(ChildLoad::Outcome outcome);

// The bytes of a file, and writing bytes to a file (whole-file helpers).
std::string readFileBytes(const std::string& path);
void writeFileBytes(const std::string& path, const std::string& bytes);

} // namespace irqlens::test
