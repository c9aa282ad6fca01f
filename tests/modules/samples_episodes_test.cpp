// The lab's captures (samples/wq.dat, threaded.dat, tasklet.dat) through
// irqlens' own reader and span builder: N hard IRQ spans of the GPIO IRQ,
// N bottom-half spans of the sample's mechanism, N function spans of each of
// the module's top/bottom halves, and N episodes each linking its hard IRQ to
// its own bottom half.  N is counted in the test with `trace-cmd report`
// (an independent decoder) and must also equal the lab's toggle count.
#include "core/spans/span.h"
#include "parsers/capture_loader.h"
#include "tests/support/test_data.h"

#include <cstdio>
#include <cstdlib>
#include <gtest/gtest.h>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

namespace irqlens {
namespace {

using test::dataPath;

constexpr int kToggles = 200; // modules/lab/run-lab.sh --toggles used for samples/

struct Sample {
    const char* file;
    const char* mode; // function name infix: irqlens_<mode>_top_half
    SpanKind bottomKind;
    // A `trace-cmd report` line that starts one bottom half contains both.
    const char* reportEvent;
    const char* reportDetail;
};

const Sample kWq{"wq.dat", "wq", SpanKind::Workqueue,
                 "workqueue_execute_start:", "function irqlens_wq_bottom_half"};
const Sample kThreaded{"threaded.dat", "threaded", SpanKind::IrqThread,
                       "sched_switch:", "==> irq/"};
const Sample kTasklet{"tasklet.dat", "tasklet", SpanKind::Tasklet,
                      "tasklet_entry:", "function=irqlens_tasklet_bottom_half"};
const Sample kSamples[] = {kWq, kThreaded, kTasklet};

void PrintTo(const Sample& s, std::ostream* os) {
    *os << s.file;
}

struct ReportCounts {
    int gpioIrqs = 0;
    int bottomHalves = 0;
};

struct PipeClose {
    void operator()(FILE* f) const { pclose(f); }
};

// Independent count: text lines of `trace-cmd report`.
ReportCounts countWithTraceCmd(const Sample& s) {
    ReportCounts c;
    const std::string command = "trace-cmd report -i '" + dataPath(s.file) + "' 2>/dev/null";
    std::unique_ptr<FILE, PipeClose> pipe(popen(command.c_str(), "r"));
    if (!pipe)
        return c;
    char buf[4096];
    while (fgets(buf, sizeof buf, pipe.get())) {
        const std::string_view line(buf);
        const auto has = [&](const char* text) {
            return line.find(text) != std::string_view::npos;
        };
        c.gpioIrqs += has("irq_handler_entry:") && has(" name=irqlens-gpio");
        c.bottomHalves += has(s.reportEvent) && has(s.reportDetail) &&
                          (s.bottomKind != SpanKind::IrqThread || has("-irqlens"));
    }
    return c;
}

bool isGpioIrq(const EventStore& store, const Span& span) {
    return span.kind == SpanKind::HardIrq &&
           spanKeyName(store, span).find("irqlens-gpio") != std::string::npos;
}

bool isBottomHalf(const EventStore& store, const Span& span, const Sample& s) {
    if (span.kind != s.bottomKind)
        return false;
    const std::string key = spanKeyName(store, span);
    if (s.bottomKind == SpanKind::IrqThread)
        return key.rfind("irq/", 0) == 0 && key.find("-irqlens") != std::string::npos;
    return key == std::string("irqlens_") + s.mode + "_bottom_half";
}

int countFunctionSpans(const EventStore& store, const Analysis& a, const std::string& name) {
    int n = 0;
    for (const Span& span : a.spans)
        n += span.kind == SpanKind::Function && spanKeyName(store, span) == name;
    return n;
}

struct Loaded {
    LoadResult result;
    Analysis analysis;
};

// Loads a sample after checking its counts with trace-cmd; null when skipped or failed.
std::unique_ptr<Loaded> loadChecked(const Sample& s) {
    if (std::system("command -v trace-cmd >/dev/null 2>&1") != 0) {
        ADD_FAILURE() << "trace-cmd is not installed: no independent count for " << s.file;
        return nullptr;
    }
    const ReportCounts expected = countWithTraceCmd(s);
    EXPECT_EQ(expected.gpioIrqs, kToggles) << "trace-cmd report " << dataPath(s.file);
    EXPECT_EQ(expected.bottomHalves, kToggles) << "trace-cmd report " << dataPath(s.file);
    auto l = std::make_unique<Loaded>();
    l->result = loadCapture(dataPath(s.file));
    if (!l->result.ok()) {
        ADD_FAILURE() << l->result.error;
        return nullptr;
    }
    l->analysis = analyze(*l->result.store);
    return l;
}

class SampleSpans : public testing::TestWithParam<Sample> {};

TEST_P(SampleSpans, HardIrqBottomHalfAndFunctionSpans) {
    const Sample& s = GetParam();
    const auto l = loadChecked(s);
    ASSERT_TRUE(l);
    const EventStore& store = *l->result.store;
    const Analysis& a = l->analysis;
    int hard = 0, bottom = 0;
    for (const Span& span : a.spans) {
        hard += isGpioIrq(store, span);
        bottom += isBottomHalf(store, span, s);
    }
    EXPECT_EQ(hard, kToggles);
    EXPECT_EQ(bottom, kToggles);
    EXPECT_EQ(countFunctionSpans(store, a, std::string("irqlens_") + s.mode + "_top_half"),
              kToggles);
    EXPECT_EQ(countFunctionSpans(store, a, std::string("irqlens_") + s.mode + "_bottom_half"),
              kToggles);
}

INSTANTIATE_TEST_SUITE_P(Lab, SampleSpans, testing::ValuesIn(kSamples),
                         [](const testing::TestParamInfo<Sample>& p) {
                             return std::string(p.param.mode);
                         });

// Episodes of the GPIO IRQ: N, each linked to exactly one bottom half of the
// sample's mechanism that starts after its IRQ, no bottom half shared.
void expectOneBottomHalfPerEpisode(const Sample& s) {
    const auto l = loadChecked(s);
    ASSERT_TRUE(l);
    const EventStore& store = *l->result.store;
    const Analysis& a = l->analysis;
    int episodes = 0, linked = 0;
    std::set<SpanId> bottomsSeen;
    for (EpisodeId id = 0; id < a.episodes.size(); ++id) {
        const Episode& e = a.episodes[id];
        if (!isGpioIrq(store, a.spans[e.hardIrq]))
            continue;
        ++episodes;
        int mine = 0;
        for (const EpisodeLink& link : a.linksOf(id)) {
            const Span& b = a.spans[link.span];
            if (!isBottomHalf(store, b, s))
                continue;
            ++mine;
            EXPECT_GE(b.start, a.spans[e.hardIrq].start);
            EXPECT_GE(e.end, b.end);
            bottomsSeen.insert(link.span);
        }
        linked += mine == 1;
    }
    EXPECT_EQ(episodes, kToggles);
    EXPECT_EQ(linked, kToggles) << "GPIO IRQ episodes with exactly one "
                                << spanKindName(s.bottomKind);
    EXPECT_EQ(static_cast<int>(bottomsSeen.size()), kToggles);
}

TEST(SampleEpisodes, WorkqueueEpisodes) {
    expectOneBottomHalfPerEpisode(kWq);
}
TEST(SampleEpisodes, TaskletEpisodes) {
    expectOneBottomHalfPerEpisode(kTasklet);
}

// The kernel emits irq_handler_exit *before* it wakes the irq thread
// (__handle_irq_event_percpu: handler, trace exit, then __irq_wake_thread);
// causality rule 4a links that waking to the handler that just exited.
TEST(SampleEpisodes, ThreadedEpisodes) {
    expectOneBottomHalfPerEpisode(kThreaded);
}

} // namespace
} // namespace irqlens
