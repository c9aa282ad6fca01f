#include "cli_runner.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace irqlens::test {

namespace fs = std::filesystem;

namespace {

// The environment of irqlens_add_gtest when set, else the paths compiled in.
std::string env(const char* name) {
    const char* value = std::getenv(name);
    if (value && *value) {
        return value;
    }
    return std::string(name) == "IRQLENS_BIN_DIR" ? IRQLENS_CLI_BIN_DIR : "";
}

std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s) {
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return q + "'";
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

int exitStatus(int raw) {
    if (raw == -1) {
        return -1;
    }
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
}

} // namespace

// Removed when the test process ends (a destructor, not atexit: the path
// must still be alive when the directory goes).
struct ScratchDir {
    std::string path;
    ScratchDir() {
        const auto d = fs::temp_directory_path() / ("irqlens-cli-test-" + std::to_string(getpid()));
        fs::create_directories(d);
        path = d.string();
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::string scratchDir() {
    static const ScratchDir dir;
    return dir.path;
}

RunResult runCli(const std::vector<std::string>& args) {
    const std::string bin = env("IRQLENS_BIN_DIR") + "/irqlens-cli";
    std::string command = shellQuote(bin);
    for (const auto& a : args) {
        command += " " + shellQuote(a);
    }
    static int counter = 0;
    const std::string base = scratchDir() + "/run" + std::to_string(counter++);
    command += " >" + base + ".out 2>" + base + ".err </dev/null";
    RunResult r;
    r.status = exitStatus(std::system(command.c_str()));
    r.out = slurp(base + ".out");
    r.err = slurp(base + ".err");
    return r;
}

nlohmann::json runCliJson(const std::vector<std::string>& args) {
    const RunResult r = runCli(args);
    EXPECT_EQ(r.status, 0) << r.err;
    try {
        return nlohmann::json::parse(r.out);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not JSON: " << e.what() << "\n" << r.out.substr(0, 400);
        return {};
    }
}

std::vector<std::string> traceDatSamples() {
    // The captures small enough for `trace-cmd report` in a test.
    return {dataPath("irq_wq.dat"), dataPath("irq_stack.dat"), dataPath("net_v6.dat")};
}

ReportCounts traceCmdReport(const std::string& file) {
    const std::string out = scratchDir() + "/report.txt";
    const std::string command =
        "trace-cmd report -i " + shellQuote(file) + " >" + out + " 2>/dev/null";
    EXPECT_EQ(exitStatus(std::system(command.c_str())), 0) << command;
    // "  comm-pid  [cpu]  secs.usecs: event_name:  fields"; stack lines ("=>")
    // and the "cpus=N" header do not match.
    static const std::regex line(R"(^\s*.+-\d+\s+\[(\d+)\]\s+(\d+)\.(\d{6}):\s+([A-Za-z0-9_]+):)");
    ReportCounts counts;
    std::ifstream in(out);
    std::string text;
    std::smatch m;
    while (std::getline(in, text)) {
        if (!std::regex_search(text, m, line)) {
            continue;
        }
        ++counts.events;
        ++counts.perCpu[std::stoi(m[1])];
        ++counts.perName[m[4]];
        const std::int64_t us = std::stoll(m[2]) * 1'000'000 + std::stoll(m[3]);
        counts.firstUs = counts.firstUs < 0 ? us : std::min(counts.firstUs, us);
        counts.lastUs = std::max(counts.lastUs, us);
    }
    return counts;
}

std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> fields;
        std::string field;
        std::istringstream cells(line);
        while (std::getline(cells, field, ',')) {
            fields.push_back(field);
        }
        if (!line.empty() && line.back() == ',') {
            fields.emplace_back();
        }
        rows.push_back(fields);
    }
    return rows;
}

} // namespace irqlens::test
