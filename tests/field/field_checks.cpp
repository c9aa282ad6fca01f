#include "tests/field/field_checks.h"

#include "parsers/capture_loader.h"

#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <regex>

namespace irqlens::test {

namespace fs = std::filesystem;

namespace {

ExpectedCounts countsFromJson(const nlohmann::json& entry) {
    ExpectedCounts counts;
    counts.total = entry.at("events").get<std::uint64_t>();
    for (const auto& [cpu, n] : entry.at("cpus").items()) {
        if (n.get<std::uint64_t>() > 0) {
            counts.perCpu[std::stoi(cpu)] = n.get<std::uint64_t>();
        }
    }
    for (const auto& [name, n] : entry.at("event_counts").items()) {
        counts.perName[name] = n.get<std::uint64_t>();
    }
    return counts;
}

} // namespace

CountsFile CountsFile::parse(std::istream& in) {
    CountsFile file;
    const nlohmann::json all = nlohmann::json::parse(in);
    for (const auto& [name, entry] : all.items()) {
        file.byFile_[name] = countsFromJson(entry);
    }
    return file;
}

ExpectedCounts parseCountsEntry(std::istream& in) {
    return countsFromJson(nlohmann::json::parse(in));
}

ExpectedCounts storeCounts(const EventStore& store) {
    ExpectedCounts counts;
    counts.total = store.totalEvents();
    for (int column = 0; column < store.cpuCount(); ++column) {
        const CpuEvents& events = store.cpu(column);
        if (!events.empty()) {
            counts.perCpu[store.columnOrigin(column).cpu] += events.size();
        }
        for (std::size_t i = 0; i < events.size(); ++i) {
            ++counts.perName[store.type(events.type(i)).name];
        }
    }
    return counts;
}

void expectCounts(const std::string& what, const ExpectedCounts& store,
                  const ExpectedCounts& expected) {
    EXPECT_EQ(store.total, expected.total) << what << ": events";
    EXPECT_EQ(store.perCpu, expected.perCpu) << what << ": events per CPU";
    EXPECT_EQ(store.perName, expected.perName) << what << ": events per name";
}

TextLineCounts countTraceLines(const std::string& path) {
    // "  <idle>-0  [001] d.h1.  123.456789: ..." and its variants: a tgid
    // column "(  123)", no flags column, the TSC clock's integer timestamp
    // glued to the CPU ("[005]303280081900681: kvm_entry:").
    static const std::regex eventLine(
        R"(^\s*\S.*-\d+\s+(\(\s*[-\d]+\)\s+)?\[(\d+)\]\s*(\S{4,6}\s+)?\d+(\.\d+)?:\s)");
    // function_graph with abstime: " 9344.122354 |   1)   ping-1922  | ... |  call"
    static const std::regex graphLine(R"(^\s*\d+\.\d+\s+\|\s+(\d+)\)(.*)$)");
    TextLineCounts counts;
    std::ifstream in(path);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        int cpu = -1;
        int events = 1;
        if (std::regex_search(line, m, eventLine)) {
            cpu = std::stoi(m[2].str());
        } else if (std::regex_search(line, m, graphLine)) {
            cpu = std::stoi(m[1].str());
            const std::string rest = m[2].str();
            const std::string call = rest.substr(rest.rfind('|') + 1);
            const auto first = call.find_first_not_of(' ');
            const bool comment = first != std::string::npos && call.compare(first, 2, "/*") == 0;
            events = !comment && call.find(");") != std::string::npos ? 2 : 1;
        } else {
            continue;
        }
        ++counts.lines;
        counts.events += static_cast<std::uint64_t>(events);
        counts.perCpu[cpu] += static_cast<std::uint64_t>(events);
    }
    return counts;
}

void expectNoTraceLineLost(const std::string& path) {
    const TextLineCounts lines = countTraceLines(path);
    ASSERT_GT(lines.lines, 0u) << path << ": no trace lines found by the test's own pattern";
    const LoadResult result = loadCapture(path);
    ASSERT_TRUE(result.ok()) << result.error;
    const ExpectedCounts store = storeCounts(*result.store);
    EXPECT_EQ(store.total, lines.events) << path << ": events of " << lines.lines << " trace lines";
    EXPECT_EQ(store.perCpu, lines.perCpu) << path << ": events per CPU";
}

std::vector<fs::path> filesWithExtension(const std::string& dir, const std::string& extension) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().extension() == extension) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace irqlens::test
