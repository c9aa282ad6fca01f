// `irqlens-cli explain`: on the three GPIO samples IRQ 26 is named with the
// mechanism of the module's mode, and every median and p99 it gives is the one
// `irqlens-cli latency --json` gives for the same group; counts against
// `trace-cmd report`; the "why slow" shares of every slowest episode add up
// to its wait.
#include "cli_runner.h"

#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

using Json = nlohmann::json;

struct GpioSample {
    const char* file;
    const char* mechanism; // id, as in latency --json
    const char* key;       // the bottom half's key
    const char* words;     // how the sentence names it
};

constexpr GpioSample kSamples[] = {
    {"wq.dat", "workqueue", "irqlens_wq_bottom_half", "work item irqlens_wq_bottom_half"},
    {"threaded.dat", "irq_thread", "irq/26-irqlens-", "IRQ thread irq/26-irqlens-"},
    {"tasklet.dat", "tasklet", "irqlens_tasklet_bottom_half",
     "tasklet irqlens_tasklet_bottom_half"},
};

std::map<std::string, Json> groupsById(const std::string& file) {
    std::map<std::string, Json> byId;
    const Json latency = runCliJson({"latency", file, "--json"});
    for (const Json& g : latency["groups"]) {
        byId[g["mechanism"].get<std::string>() + "/" + g["key"].get<std::string>() + "/" +
             g["metric"].get<std::string>()] = g;
    }
    return byId;
}

// A {group, count, p50_ns, p99_ns} of explain against latency's group.
void expectSameAsLatency(const Json& q, const std::map<std::string, Json>& groups,
                         const std::string& what) {
    const std::string id = q["group"].get<std::string>();
    ASSERT_TRUE(groups.count(id)) << what << ": no latency group " << id;
    const Json& g = groups.at(id);
    EXPECT_EQ(q["count"], g["count"]) << what << " " << id;
    EXPECT_EQ(q["p50_ns"], g["p50_ns"]) << what << " " << id;
    EXPECT_EQ(q["p99_ns"], g["p99_ns"]) << what << " " << id;
}

TEST(Explain, GpioSamplesNameTheMechanismWithLatencyMedians) {
    for (const GpioSample& s : kSamples) {
        const std::string file = dataPath(s.file);
        const Json j = runCliJson({"explain", file, "--json"});
        const auto groups = groupsById(file);
        ASSERT_FALSE(j["sources"].empty()) << s.file;
        const Json& gpio = j["sources"][0];
        EXPECT_EQ(gpio["key"], "26 irqlens-gpio") << s.file;
        EXPECT_EQ(gpio["irq"], 26) << s.file;
        // 200 irq_handler_entry of irq 26, as trace-cmd reports them
        EXPECT_EQ(gpio["count"], traceCmdReport(file).perName["irq_handler_entry"]) << s.file;
        ASSERT_EQ(gpio["bottom_halves"].size(), 1u) << s.file;
        const Json& bh = gpio["bottom_halves"][0];
        EXPECT_EQ(bh["mechanism"], s.mechanism) << s.file;
        EXPECT_EQ(bh["key"], s.key) << s.file;
        EXPECT_EQ(bh["episodes"], 200) << s.file;
        expectSameAsLatency(gpio["top_half"], groups, s.file);
        expectSameAsLatency(gpio["end_to_end"], groups, s.file);
        expectSameAsLatency(bh["wait"], groups, s.file);
        expectSameAsLatency(bh["run"], groups, s.file);
        const std::string sentence = gpio["sentence"].get<std::string>();
        EXPECT_NE(sentence.find(s.words), std::string::npos) << sentence;
        EXPECT_EQ(sentence.rfind("200 × IRQ 26 irqlens-gpio on CPUs 0 and 1: top half ", 0), 0u)
            << sentence;
    }
}

// The stage medians are of a partition of each episode, so the slowest
// episode's stages add up to its end to end; its wait shares to its wait.
TEST(Explain, SlowestEpisodesAddUp) {
    for (const GpioSample& s : kSamples) {
        const Json j = runCliJson({"explain", dataPath(s.file), "--json"});
        for (const Json& source : j["sources"]) {
            const Json& slowest = source["slowest_episode"];
            if (slowest.is_null()) {
                continue;
            }
            const Json& st = slowest["stages"];
            EXPECT_EQ(st["top_half_ns"].get<std::int64_t>() + st["wait_ns"].get<std::int64_t>() +
                          st["run_ns"].get<std::int64_t>() + st["preempted_ns"].get<std::int64_t>(),
                      slowest["end_to_end_ns"].get<std::int64_t>())
                << s.file << " " << source["key"];
            if (slowest["wait"].is_null()) {
                continue;
            }
            std::int64_t sum = 0;
            for (const Json& share : slowest["wait"]["shares"]) {
                sum += share["ns"].get<std::int64_t>();
            }
            EXPECT_EQ(sum, slowest["wait"]["wait_ns"].get<std::int64_t>())
                << s.file << " " << source["key"];
        }
    }
}

// `--episode N` on the episode checked by hand in tests/overview
// (wait_breakdown_test.cpp: 2 242 158 ns, sh 1 456 191 ns of it).
TEST(Explain, OneEpisode) {
    const Json e = runCliJson({"explain", dataPath("wq.dat"), "--episode", "2140", "--json"});
    EXPECT_EQ(e["id"], 2140);
    EXPECT_EQ(e["source"], "26 irqlens-gpio");
    EXPECT_EQ(e["wait"]["wait_ns"], 2'242'158);
    EXPECT_EQ(e["wait"]["shares"][0]["label"], "sh (pid 119)");
    EXPECT_EQ(e["wait"]["shares"][0]["ns"], 1'456'191);
    EXPECT_EQ(e["wait"]["shares"][0]["occupant"], "task");
    // Occupants that are mechanisms carry the mechanism ids of `latency --json`.
    std::map<std::string, std::string> occupantOf;
    for (const Json& share : e["wait"]["shares"]) {
        occupantOf[share["label"].get<std::string>()] = share["occupant"].get<std::string>();
    }
    EXPECT_EQ(occupantOf["softirq RCU"], "softirq");
    EXPECT_EQ(occupantOf["local_timer"], "hardirq");
    EXPECT_EQ(occupantOf["IRQ 26 irqlens-gpio (its own top half)"], "hardirq");
    const RunResult text = runCli({"explain", dataPath("wq.dat"), "--episode", "2140"});
    EXPECT_EQ(text.status, 0) << text.err;
    EXPECT_NE(text.out.find("waited 2.24 ms on CPU 1"), std::string::npos) << text.out;
}

TEST(Explain, CsvHasOneRowPerSource) {
    const std::string file = dataPath("threaded.dat");
    const Json j = runCliJson({"explain", file, "--json"});
    const RunResult r = runCli({"explain", file, "--csv"});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto rows = parseCsv(r.out);
    ASSERT_EQ(rows.size(), j["sources"].size() + 1);
    EXPECT_EQ(rows[0].front(), "key");
    EXPECT_EQ(rows[1][0], j["sources"][0]["key"]);
    EXPECT_EQ(rows[1][2], std::to_string(j["sources"][0]["count"].get<int>()));
}

TEST(Explain, BadInputIsOneLineAndStatusTwo) {
    const std::string file = dataPath("wq.dat");
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"explain"},
                                               {"explain", file, "--episode", "99999999"},
                                               {"explain", file, "--episode", "x"},
                                               {"explain", file, "--episode", "1", "--csv"},
                                               {"explain", "/nonexistent/capture.dat"}}) {
        const RunResult r = runCli(args);
        EXPECT_EQ(r.status, 2) << args.back();
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

} // namespace
} // namespace irqlens::test
