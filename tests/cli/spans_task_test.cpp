// `irqlens-cli spans FILE --kind task --csv` byte for byte as it was when
// task runs were 56-byte Task spans (main at fd92244, before the columnar
// table): the line count and FNV-1a 64 of the whole output, recorded from
// that build.  The runs themselves are checked against trace-cmd report in
// tests/spans/task_runs_report_test.cpp.
#include "tests/cli/cli_runner.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

std::uint64_t fnv1a(const std::string& text) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : text) {
        h = (h ^ c) * 0x100000001b3ull;
    }
    return h;
}

struct Recorded {
    const char* file;
    std::size_t rows;
    std::uint64_t hash;
};

constexpr Recorded kRecorded[] = {
    {"irq_wq.dat", 368, 0x4fbef8edfbbd66c2ull},
    {"net_v6.dat", 13474, 0x7fc28463fdc1845bull},
    {"big.dat", 942067, 0x7cc32aaebce9c45bull},
    {"multibuffer.dat", 183, 0xa973e2f6acc84dcbull},
    {"tgvm-i686-k515-sched.dat", 57, 0xd980585b37dd5b2eull},
    {"kinmax-i686-listen-softirq.dat", 9, 0x3f2f2dd7810693f0ull},
    {"arm-software-trappy-juno-arm64-cpuidle.dat", 16, 0x75366433e1a72f6dull},
    {"arm-software-trappy-juno-arm64-bprint-multiline.dat", 389, 0x3b8a6ec8058b1428ull},
    {"irq_stack.dat", 0, 0x6b37880d9d116d20ull},
};

TEST(SpansTask, CsvIsTheSameAsWhenTaskRunsWereSpans) {
    for (const Recorded& r : kRecorded) {
        const RunResult run = runCli({"spans", dataPath(r.file), "--kind", "task", "--csv"});
        ASSERT_EQ(run.status, 0) << r.file << ": " << run.err;
        const auto lines =
            static_cast<std::size_t>(std::count(run.out.begin(), run.out.end(), '\n'));
        EXPECT_EQ(lines, r.rows + 1) << r.file; // + header
        EXPECT_EQ(fnv1a(run.out), r.hash) << r.file;
    }
}

// The first runs of a small capture, as its `trace-cmd report` shows them:
// trace-cmd:90 -> 91 at 585.229563745 (90 ran since before the capture),
// 91 -> rcu_sched:11 at .231358235, 11 -> 91 at .231398471, 91 -> idle at
// .231994259.
TEST(SpansTask, FirstRunsOfASmallCaptureByHand) {
    const RunResult run =
        runCli({"spans", dataPath("tgvm-i686-k515-sched.dat"), "--kind", "task", "--csv"});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out.substr(0, run.out.find("\n0,585235358970") + 1),
              "cpu,start,end,duration,key,latency,flags\n"
              "0,585229563745,585229563745,0,trace-cmd,,open_start\n"
              "0,585229563745,585231358235,1794490,trace-cmd,,\n"
              "0,585231358235,585231398471,40236,rcu_sched,,\n"
              "0,585231398471,585231994259,595788,trace-cmd,,\n");
}

// What occupied the CPU while a bottom half waited is read from the task
// runs: these episodes' shares name tasks (bash, kworker/u8:3 on net_v6).
TEST(SpansTask, ExplainOfEpisodesWithTaskSharesIsUnchanged) {
    const std::pair<const char*, const char*> episodes[] = {{"net_v6.dat", "1"}, {"big.dat", "0"}};
    const std::uint64_t hashes[] = {0x7073712ee80d0abeull, 0x752032fbd84b50cbull};
    for (std::size_t i = 0; i < 2; ++i) {
        const RunResult run = runCli(
            {"explain", dataPath(episodes[i].first), "--episode", episodes[i].second, "--json"});
        ASSERT_EQ(run.status, 0) << run.err;
        EXPECT_NE(run.out.find("\"occupant\": \"task\""), std::string::npos);
        EXPECT_EQ(fnv1a(run.out), hashes[i]) << episodes[i].first << "\n" << run.out;
    }
}

} // namespace
} // namespace irqlens::test
