// `irqlens-cli compare`: a capture against itself gives zero deltas with
// intervals around 0; two groups of one capture carry those groups' numbers
// as `latency` prints them; pairs picked by the user.
#include "cli_runner.h"

#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

using Json = nlohmann::json;

std::string idOf(const Json& g) {
    return g["mechanism"].get<std::string>() + "/" + g["key"].get<std::string>() + "/" +
           g["metric"].get<std::string>();
}

void expectSameSides(const Json& g) {
    for (const char* k : {"count", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns"}) {
        EXPECT_EQ(g["a"][k], g["b"][k]) << k << " of " << idOf(g);
    }
    const Json& d = g["delta"];
    EXPECT_EQ(d["p50_ns"].get<double>(), 0.0) << idOf(g);
    EXPECT_EQ(d["p99_ns"].get<double>(), 0.0) << idOf(g);
    for (const char* ci : {"p50_ci", "p99_ci"}) {
        EXPECT_LE(d[ci][0].get<double>(), 0.0) << ci << " of " << idOf(g);
        EXPECT_GE(d[ci][1].get<double>(), 0.0) << ci << " of " << idOf(g);
    }
    for (const char* ratio : {"p50_ratio", "p99_ratio"}) {
        if (!d[ratio].is_null()) {
            EXPECT_DOUBLE_EQ(d[ratio].get<double>(), 1.0) << ratio << " of " << idOf(g);
        }
    }
}

TEST(Compare, CaptureWithItselfHasZeroDeltas) {
    const std::string file = dataPath("irq_wq.dat");
    const Json latency = runCliJson({"latency", file, "--json"})["groups"];
    const Json j = runCliJson({"compare", file, file, "--json"});
    EXPECT_EQ(j["a"], file);
    EXPECT_EQ(j["b"], file);
    ASSERT_EQ(j["groups"].size(), latency.size()); // every group paired with itself
    for (std::size_t i = 0; i < latency.size(); ++i) {
        const Json& g = j["groups"][i];
        EXPECT_EQ(idOf(g), idOf(latency[i]));
        EXPECT_EQ(g["a"]["group"], idOf(latency[i]));
        EXPECT_EQ(g["a"]["count"], latency[i]["count"]);
        EXPECT_EQ(g["a"]["p99_ns"], latency[i]["p99_ns"]);
        expectSameSides(g);
    }
    EXPECT_TRUE(j["unmatched_a"].empty());
    EXPECT_TRUE(j["unmatched_b"].empty());
}

TEST(Compare, TwoGroupsOfOneCapture) {
    const std::string file = dataPath("irq_wq.dat");
    const Json latency = runCliJson({"latency", file, "--json"})["groups"];
    ASSERT_GE(latency.size(), 2u);
    const Json& x = latency[0];
    const Json& y = latency[latency.size() - 1];
    const Json j = runCliJson({"compare", file, "--group", idOf(x), "--group", idOf(y), "--json"});
    ASSERT_EQ(j["groups"].size(), 1u);
    const Json& g = j["groups"][0];
    EXPECT_EQ(g["a"]["group"], idOf(x));
    EXPECT_EQ(g["b"]["group"], idOf(y));
    EXPECT_EQ(g["a"]["count"], x["count"]);
    EXPECT_EQ(g["b"]["count"], y["count"]);
    EXPECT_EQ(g["delta"]["p50_ns"].get<double>(),
              double(y["p50_ns"].get<std::int64_t>() - x["p50_ns"].get<std::int64_t>()));
    EXPECT_EQ(g["delta"]["p99_ns"].get<double>(),
              double(y["p99_ns"].get<std::int64_t>() - x["p99_ns"].get<std::int64_t>()));
    const double lo = g["delta"]["p50_ci"][0].get<double>();
    const double hi = g["delta"]["p50_ci"][1].get<double>();
    EXPECT_LE(lo, hi);

    const Json same =
        runCliJson({"compare", file, "--group", idOf(x), "--group", idOf(x), "--json"});
    ASSERT_EQ(same["groups"].size(), 1u);
    expectSameSides(same["groups"][0]);
}

TEST(Compare, UserPairByKeys) {
    const std::string file = dataPath("irq_wq.dat");
    const Json latency = runCliJson({"latency", file, "--json"})["groups"];
    const std::string key = latency[0]["key"];
    const Json j = runCliJson({"compare", file, file, "--pair", key + "=" + key, "--json"});
    std::size_t withKey = 0;
    for (const auto& g : latency) {
        withKey += g["key"] == key;
    }
    ASSERT_EQ(j["groups"].size(), withKey);
    for (const auto& g : j["groups"]) {
        EXPECT_EQ(g["key"], key);
        expectSameSides(g);
    }
}

TEST(Compare, CsvAndTable) {
    const std::string file = dataPath("irq_wq.dat");
    const Json j = runCliJson({"compare", file, file, "--json"});
    const RunResult csv = runCli({"compare", file, file, "--csv"});
    ASSERT_EQ(csv.status, 0) << csv.err;
    const auto rows = parseCsv(csv.out);
    ASSERT_EQ(rows.size(), j["groups"].size() + 1);
    EXPECT_EQ(rows[0].size(), 25u);
    EXPECT_EQ(rows[0][17], "delta_p50_ns");
    for (std::size_t i = 1; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i][17], "0");
        EXPECT_EQ(rows[i][21], "0");
    }
    const RunResult table = runCli({"compare", file, file});
    ASSERT_EQ(table.status, 0) << table.err;
    EXPECT_NE(table.out.find("p50 B-A [95% CI]"), std::string::npos);
}

TEST(Compare, TwoDifferentCapturesMatchByGroup) {
    const std::string a = dataPath("irq_wq.dat");
    const std::string b = dataPath("net_v6.dat");
    const Json la = runCliJson({"latency", a, "--json"})["groups"];
    const Json lb = runCliJson({"latency", b, "--json"})["groups"];
    std::set<std::string> ids;
    for (const auto& g : lb) {
        ids.insert(idOf(g));
    }
    std::size_t common = 0;
    for (const auto& g : la) {
        common += ids.count(idOf(g));
    }
    const Json j = runCliJson({"compare", a, b, "--json"});
    std::size_t sameId = 0;
    for (const auto& g : j["groups"]) {
        sameId += g["a"]["group"] == g["b"]["group"];
    }
    EXPECT_EQ(sameId, common);
    EXPECT_EQ(j["groups"].size() + j["unmatched_a"].size(), la.size());
}

} // namespace
} // namespace irqlens::test
