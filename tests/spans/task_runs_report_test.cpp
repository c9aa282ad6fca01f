// Task runs of real captures checked against `trace-cmd report -t` (an
// independent decoder of the same file): every sched_switch into a task
// (next pid != 0) begins a run at its timestamp on its CPU; the CPU's next
// switch ends it when that switch's previous task is the same pid.
#include "parsers/capture_loader.h"
#include "tests/spans/test_helpers.h"
#include "tests/tracedat/report_reader.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>

namespace irqlens::test {
namespace {

// "comm:PID [PRIO]" -> PID (comm may hold ':' and spaces).
int pidOf(const std::string& task) {
    const auto bracket = task.rfind(" [");
    const std::string head = task.substr(0, bracket);
    return std::atoi(head.c_str() + head.rfind(':') + 1);
}

struct ReportRun {
    int pid = 0;
    std::int64_t end = -1; // -1: not ended by a switch out of the same pid
};

// (cpu, start) -> the run, from the report's sched_switch lines.
std::map<std::pair<int, std::int64_t>, ReportRun> reportRuns(const std::string& path) {
    std::map<std::pair<int, std::int64_t>, ReportRun> runs;
    std::map<int, std::pair<int, std::int64_t>> open; // cpu -> key of its running run
    forEachReportEvent(path, [&](const ReportEvent& e) {
        if (!e.buffer.empty() || e.name != "sched_switch") {
            return;
        }
        const auto arrow = e.info.find(" ==> ");
        const int prev = pidOf(e.info.substr(0, e.info.rfind(' ', arrow - 1)));
        const int next = pidOf(e.info.substr(arrow + 5));
        if (auto it = open.find(e.cpu); it != open.end()) {
            if (runs[it->second].pid == prev) {
                runs[it->second].end = e.tsNs;
            }
            open.erase(it);
        }
        if (next != 0) {
            runs[{e.cpu, e.tsNs}] = {next, -1};
            open[e.cpu] = {e.cpu, e.tsNs};
        }
    });
    return runs;
}

class TaskRunsReport : public ::testing::TestWithParam<const char*> {};

TEST_P(TaskRunsReport, RunsBeginAndEndAtTheReportsSwitches) {
    const std::string path = dataPath(GetParam());
    LoadResult loaded = loadCapture(path);
    ASSERT_TRUE(loaded.ok()) << loaded.error;
    const Analysis a = analyze(*loaded.store);
    const auto expected = reportRuns(path);
    ASSERT_GT(expected.size(), 50u);
    std::size_t begun = 0;
    std::size_t ended = 0;
    for (const Span& s : taskRunsOf(a)) {
        if (s.flags & SpanFlag::OpenStart) {
            continue; // no switch into it was recorded
        }
        ++begun;
        const auto it = expected.find({s.cpu, s.start});
        ASSERT_NE(it, expected.end()) << "CPU " << s.cpu << " at " << s.start;
        EXPECT_EQ(s.pid, it->second.pid) << s.start;
        if (it->second.end >= 0) {
            ++ended;
            EXPECT_EQ(s.end, it->second.end) << s.start;
            EXPECT_FALSE(s.flags & SpanFlag::OpenEnd) << s.start;
        } else {
            EXPECT_TRUE(s.flags & SpanFlag::OpenEnd) << s.start;
        }
    }
    EXPECT_EQ(begun, expected.size());
    EXPECT_GT(ended, expected.size() / 2);
}

INSTANTIATE_TEST_SUITE_P(Samples, TaskRunsReport,
                         ::testing::Values("irq_wq.dat", "net_v6.dat", "tgvm-i686-k515-sched.dat",
                                           "arm-software-trappy-juno-arm64-bprint-multiline.dat"),
                         [](const auto& param) {
                             std::string name = param.param;
                             name = name.substr(0, name.find('.'));
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

} // namespace
} // namespace irqlens::test
