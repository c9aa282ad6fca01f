// Bad input is data: each case exits with status 2 and prints exactly one
// line on stderr that names the file (or option) and what is wrong.
#include "cli_runner.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

namespace fs = std::filesystem;

void expectOneLineError(const RunResult& r, const std::string& mustContain,
                        const std::string& alsoContains = "") {
    EXPECT_EQ(r.status, 2) << r.err;
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.back(), '\n');
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(mustContain), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(alsoContains), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}

std::string writeFile(const std::string& name, const std::string& bytes) {
    const std::string path = scratchDir() + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

std::string headOf(const std::string& file, std::size_t bytes) {
    std::ifstream in(file, std::ios::binary);
    std::string data(bytes, '\0');
    in.read(data.data(), static_cast<std::streamsize>(bytes));
    data.resize(static_cast<std::size_t>(in.gcount()));
    return data;
}

// `irqlens-cli summary --json` on the first `keep` bytes of `sample` (a
// capture cut inside its CPU data): it must load (exit 0) and say so in one
// warning line on stderr naming the file.
struct CutSummary {
    std::string path;
    RunResult run;
    nlohmann::json json;
};

CutSummary summaryOfCut(const std::string& sample, std::size_t keep, const std::string& name) {
    CutSummary cut;
    cut.path = writeFile(name, headOf(sample, keep));
    cut.run = runCli({"summary", cut.path, "--json"});
    EXPECT_EQ(cut.run.status, 0) << cut.run.err;
    EXPECT_EQ(std::count(cut.run.err.begin(), cut.run.err.end(), '\n'), 1) << cut.run.err;
    EXPECT_NE(cut.run.err.find("warning: " + cut.path + ": truncated at offset"), std::string::npos)
        << cut.run.err;
    cut.json = nlohmann::json::parse(cut.run.out);
    return cut;
}

const char* const kCommands[] = {"summary", "latency", "spans", "compare"};

std::vector<std::string> argsFor(const std::string& command, const std::string& file) {
    if (command == "spans") {
        return {"spans", file, "--kind", "hardirq", "--csv"};
    }
    if (command == "compare") {
        return {"compare", dataPath("irq_wq.dat"), file, "--json"};
    }
    return {command, file, "--json"};
}

TEST(BadInput, MissingFile) {
    const std::string path = scratchDir() + "/does-not-exist.dat";
    for (const char* command : kCommands) {
        expectOneLineError(runCli(argsFor(command, path)), path, "no such file");
    }
}

TEST(BadInput, Directory) {
    for (const char* command : kCommands) {
        expectOneLineError(runCli(argsFor(command, scratchDir())), scratchDir(), "is a directory");
    }
}

TEST(BadInput, EmptyFile) {
    const std::string path = writeFile("empty.dat", "");
    for (const char* command : kCommands) {
        expectOneLineError(runCli(argsFor(command, path)), path, "is empty");
    }
}

TEST(BadInput, NotATrace) {
    const std::string text = writeFile("notes.txt", "shopping list\neggs\nmilk\n");
    std::string noise(5000, '\0');
    for (std::size_t i = 0; i < noise.size(); ++i) {
        noise[i] = static_cast<char>((i * 2654435761u) >> 13);
    }
    const std::string binary = writeFile("noise.bin", noise);
    for (const char* command : kCommands) {
        expectOneLineError(runCli(argsFor(command, text)), text, "not a trace-cmd report");
        expectOneLineError(runCli(argsFor(command, binary)), binary, "not a trace.dat capture");
    }
}

TEST(BadInput, TruncatedTraceDat) {
    const std::string sample = dataPath("irq_wq.dat");
    const auto size = fs::file_size(sample);
    // Cut inside the header and inside the metadata sections (a cut inside
    // the CPU data loads: TruncatedV7CpuData... below).
    for (std::size_t bytes : {std::size_t(12), std::size_t(300), std::size_t(size / 2)}) {
        const std::string path =
            writeFile("truncated-" + std::to_string(bytes) + ".dat", headOf(sample, bytes));
        for (const char* command : kCommands) {
            expectOneLineError(runCli(argsFor(command, path)), path, "truncated");
        }
    }
}

TEST(BadInput, TruncatedV6CpuDataLoadsWhatIsThereWithAWarning) {
    // net_v6.dat (v6, uncompressed) ends with the CPU data: cut its last bytes.
    // The pages before the cut are data: the CLI loads them (exit 0) and says
    // in one line on stderr which file was cut short.  trace-cmd report
    // refuses the cut file, so the counts are checked against the whole one:
    // CPU 0 (complete) has all its events, CPU 1 (cut) fewer than the whole.
    const std::string sample = dataPath("net_v6.dat");
    const auto size = fs::file_size(sample);
    const CutSummary cut = summaryOfCut(sample, size - 100, "truncated-v6.dat");
    const nlohmann::json& summary = cut.json;
    EXPECT_EQ(summary.at("truncated").at("cpus_cut"), nlohmann::json::array({1}));
    const ReportCounts whole = traceCmdReport(sample);
    EXPECT_EQ(summary.at("cpus").at("0").get<std::uint64_t>(), whole.perCpu.at(0));
    const auto cpu1 = summary.at("cpus").at("1").get<std::uint64_t>();
    EXPECT_LT(cpu1, whole.perCpu.at(1));
    EXPECT_GT(cpu1, whole.perCpu.at(1) * 9 / 10); // only the last page is lost
}

TEST(BadInput, TruncatedV7CpuDataLoadsWhatIsThereWithAWarning) {
    // irq_wq.dat (v7, zstd) keeps the BUFFER option that locates its CPU
    // data after that data: cut 2000 bytes before the end, inside CPU 1's
    // last chunk, it has lost both.  CPU 0's data is complete: its count is
    // trace-cmd report's for the whole file; CPU 1 keeps its first chunk.
    const std::string sample = dataPath("irq_wq.dat");
    const auto size = fs::file_size(sample);
    const CutSummary cut = summaryOfCut(sample, size - 2000, "truncated-v7.dat");
    EXPECT_NE(cut.run.err.find("truncated at offset " + std::to_string(size - 2000) + ": "),
              std::string::npos)
        << cut.run.err;
    EXPECT_NE(cut.run.err.find("CPU 1 cut short"), std::string::npos) << cut.run.err;
    const nlohmann::json& summary = cut.json;
    EXPECT_EQ(summary.at("truncated").at("offset").get<std::uint64_t>(), size - 2000);
    EXPECT_EQ(summary.at("truncated").at("cpus_cut"), nlohmann::json::array({1}));
    const ReportCounts whole = traceCmdReport(sample);
    EXPECT_EQ(summary.at("cpus").at("0").get<std::uint64_t>(), whole.perCpu.at(0));
    const auto cpu1 = summary.at("cpus").at("1").get<std::uint64_t>();
    EXPECT_GT(cpu1, 0u);
    EXPECT_LT(cpu1, whole.perCpu.at(1));
}

TEST(BadInput, BadUsage) {
    const std::string file = dataPath("irq_wq.dat");
    expectOneLineError(runCli({"summary", file, "--bogus"}), "unknown option '--bogus'");
    expectOneLineError(runCli({"latency", file, "--json", "--csv"}), "--json and --csv");
    expectOneLineError(runCli({"summary"}), "expected exactly one FILE");
    expectOneLineError(runCli({"spans", file}), "--kind KIND is required");
    expectOneLineError(runCli({"spans", file, "--kind", "teapot"}), "unknown span kind 'teapot'");
    expectOneLineError(runCli({"spans", file, "--kind"}), "'--kind' needs a value");
    expectOneLineError(runCli({"compare"}), "expected two files");
    expectOneLineError(runCli({"compare", file, "--pair", "a=b"}), "expected two files");
    expectOneLineError(runCli({"latency", file, "--mechanism", "Workqueue"}),
                       "unknown mechanism 'Workqueue'");
    expectOneLineError(runCli({"compare", file, "--group", "softirq/NOPE/duration", "--group",
                               "softirq/NOPE/duration"}),
                       "no latency group 'softirq/NOPE/duration'", file);
    expectOneLineError(runCli({"compare", file, file, "--pair", "nothing=here"}), "no group");
    expectOneLineError(runCli({"compare", file, file, "--resamples", "0"}), "--resamples");
    expectOneLineError(runCli({"frobnicate"}), "unknown command 'frobnicate'");
    expectOneLineError(runCli({}), "no command given");
}

} // namespace
} // namespace irqlens::test
