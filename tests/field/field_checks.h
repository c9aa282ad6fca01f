// Checks shared by the field-corpus tests: a loaded store against expected
// counts, and a text capture against its trace lines counted here, with a
// regular expression of the line prefix that knows nothing of irqlens'
// text reader.
#pragma once

#include "core/model/event_store.h"

#include <cstdint>
#include <filesystem>
#include <istream>
#include <map>
#include <string>
#include <vector>

namespace irqlens::test {

struct ExpectedCounts {
    std::uint64_t total = 0;
    std::map<int, std::uint64_t> perCpu;          // CPUs with events only
    std::map<std::string, std::uint64_t> perName; // event name without system
};

// counts.json of the field corpus (and the entries copied to tests/data):
// {file: {"events": N, "cpus": {cpu: n}, "event_counts": {name: n}}}, as
// `trace-cmd report` gives them.
class CountsFile {
public:
    static CountsFile parse(std::istream& in);
    bool has(const std::string& file) const { return byFile_.count(file) != 0; }
    const ExpectedCounts& at(const std::string& file) const { return byFile_.at(file); }

private:
    std::map<std::string, ExpectedCounts> byFile_;
};

// One entry of it (a copied file's counts alone).
ExpectedCounts parseCountsEntry(std::istream& in);

// The store's counts in the same form (CPUs with events only; for an extra
// buffer's column, its CPU number: trace-cmd report prints it that way).
ExpectedCounts storeCounts(const EventStore& store);

// gtest expectations: total, per CPU and per name equal (`what` names the file).
void expectCounts(const std::string& what, const ExpectedCounts& store,
                  const ExpectedCounts& expected);

// The events a text capture's trace lines hold: one per line with the
// "TASK-PID [CPU] flags TIMESTAMP:" prefix (any of its layouts), one per
// function_graph line "TIME | CPU) ..." and two for a leaf call "func();".
struct TextLineCounts {
    std::uint64_t lines = 0; // lines with a trace-line prefix
    std::uint64_t events = 0;
    std::map<int, std::uint64_t> perCpu; // events
};
TextLineCounts countTraceLines(const std::string& path);

// Loads a text capture and expects every trace line in the store.
void expectNoTraceLineLost(const std::string& path);

// Files of `dir` ending in `extension` (".dat"), sorted.
std::vector<std::filesystem::path> filesWithExtension(const std::string& dir,
                                                      const std::string& extension);

} // namespace irqlens::test
