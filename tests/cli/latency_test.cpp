// `irqlens-cli latency` against `irqlens-cli spans` of the same capture: every
// group's count, min, max and percentiles recomputed here from the span list.
#include "cli_runner.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

using Json = nlohmann::json;

struct SpanRow {
    std::string key;
    std::int64_t duration = 0;
    std::string latency; // "" unknown
    std::string flags;
};

std::vector<SpanRow> spansOf(const std::string& file, const std::string& kind) {
    const RunResult r = runCli({"spans", file, "--kind", kind, "--csv"});
    EXPECT_EQ(r.status, 0) << r.err;
    const auto rows = parseCsv(r.out);
    EXPECT_FALSE(rows.empty());
    EXPECT_EQ(rows.front(), (std::vector<std::string>{"cpu", "start", "end", "duration", "key",
                                                      "latency", "flags"}));
    std::vector<SpanRow> spans;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].size(), 7u) << "line " << i;
        if (rows[i].size() == 7) {
            EXPECT_EQ(std::stoll(rows[i][2]) - std::stoll(rows[i][1]), std::stoll(rows[i][3]));
            spans.push_back({rows[i][4], std::stoll(rows[i][3]), rows[i][5], rows[i][6]});
        }
    }
    return spans;
}

bool open(const SpanRow& s) {
    return s.flags.find("open_start") != std::string::npos ||
           s.flags.find("open_end") != std::string::npos;
}

// Nearest rank, written here from the definition: rank ceil(p/100 * n).
std::int64_t nearestRank(std::vector<std::int64_t> v, double p) {
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * double(v.size()) - 1e-9));
    return v[std::max<std::size_t>(rank, 1) - 1];
}

TEST(Latency, GroupsMatchTheSpanList) {
    const std::string file = dataPath("irq_wq.dat");
    const Json groups = runCliJson({"latency", file, "--json"})["groups"];
    ASSERT_FALSE(groups.empty());
    std::map<std::string, std::vector<SpanRow>> spans;
    std::map<std::string, std::uint64_t> durationCounts;
    for (const auto& g : groups) {
        const std::string mechanism = g["mechanism"];
        if (mechanism == "episode") {
            continue;
        }
        if (!spans.count(mechanism)) {
            spans[mechanism] = spansOf(file, mechanism);
        }
        std::vector<std::int64_t> values;
        for (const SpanRow& s : spans[mechanism]) {
            if (s.key != g["key"]) {
                continue;
            }
            if (g["metric"] == "duration" && !open(s)) {
                values.push_back(s.duration);
            } else if (g["metric"] != "duration" && !s.latency.empty() &&
                       s.flags.find("open_start") == std::string::npos) {
                values.push_back(std::stoll(s.latency));
            }
        }
        const std::string id =
            mechanism + "/" + g["key"].get<std::string>() + "/" + g["metric"].get<std::string>();
        ASSERT_EQ(g["count"].get<std::size_t>(), values.size()) << id;
        ASSERT_FALSE(values.empty()) << id;
        EXPECT_EQ(g["min_ns"], *std::min_element(values.begin(), values.end())) << id;
        EXPECT_EQ(g["max_ns"], *std::max_element(values.begin(), values.end())) << id;
        EXPECT_EQ(g["p50_ns"], nearestRank(values, 50)) << id;
        EXPECT_EQ(g["p90_ns"], nearestRank(values, 90)) << id;
        EXPECT_EQ(g["p99_ns"], nearestRank(values, 99)) << id;
        EXPECT_EQ(g["p999_ns"], nearestRank(values, 99.9)) << id;
        if (g["metric"] == "duration") {
            durationCounts[mechanism] += values.size();
        }
    }
    // Every span not cut by the capture's edges is in a duration group.
    for (const auto& [mechanism, rows] : spans) {
        const auto closed =
            std::count_if(rows.begin(), rows.end(), [](auto& s) { return !open(s); });
        EXPECT_EQ(durationCounts[mechanism], std::uint64_t(closed)) << mechanism;
    }
    // irq_wq.dat has hard IRQs, softirqs and work items: all must show up.
    for (const char* m : {"hardirq", "softirq", "workqueue", "episode"}) {
        EXPECT_TRUE(std::any_of(groups.begin(), groups.end(), [&](auto& g) {
            return g["mechanism"] == m;
        })) << m;
    }
}

TEST(Latency, CsvHasTheJsonNumbers) {
    const std::string file = dataPath("irq_wq.dat");
    const Json groups = runCliJson({"latency", file, "--json"})["groups"];
    const RunResult r = runCli({"latency", file, "--csv"});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto rows = parseCsv(r.out);
    ASSERT_EQ(rows.size(), groups.size() + 1);
    EXPECT_EQ(rows[0][0], "mechanism");
    EXPECT_EQ(rows[0][9], "max_ns");
    for (std::size_t i = 0; i < groups.size(); ++i) {
        EXPECT_EQ(rows[i + 1][0], groups[i]["mechanism"]);
        EXPECT_EQ(rows[i + 1][1], groups[i]["key"]);
        EXPECT_EQ(rows[i + 1][3], std::to_string(groups[i]["count"].get<long>()));
        EXPECT_EQ(rows[i + 1][5], std::to_string(groups[i]["p50_ns"].get<long>()));
    }
}

TEST(Latency, MechanismFilter) {
    const std::string file = dataPath("irq_wq.dat");
    const Json all = runCliJson({"latency", file, "--json"})["groups"];
    const Json soft = runCliJson({"latency", file, "--json", "--mechanism", "softirq"})["groups"];
    const auto expected =
        std::count_if(all.begin(), all.end(), [](auto& g) { return g["mechanism"] == "softirq"; });
    EXPECT_EQ(std::ptrdiff_t(soft.size()), expected);
    EXPECT_GT(expected, 0);
}

TEST(Latency, TableListsEveryGroup) {
    const std::string file = dataPath("irq_wq.dat");
    const Json groups = runCliJson({"latency", file, "--json"})["groups"];
    const RunResult r = runCli({"latency", file});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), std::ptrdiff_t(groups.size() + 1));
    EXPECT_NE(r.out.find("p99.9"), std::string::npos);
}

} // namespace
} // namespace irqlens::test
