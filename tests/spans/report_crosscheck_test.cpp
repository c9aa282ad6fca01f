// Every hard IRQ, softirq and workqueue span, and every episode's end, of
// the real captures checked against the same pairing done here on the text
// of `trace-cmd report -t` (an independent decoder of the same file).
#include "parsers/capture_loader.h"
#include "tests/spans/test_helpers.h"
#include "tests/tracedat/report_reader.h"

#include <cstdlib>
#include <gtest/gtest.h>
#include <map>
#include <set>

namespace irqlens::test {
namespace {

using CpuTs = std::pair<int, std::int64_t>; // (cpu, begin ts) identifies a span

struct Expected {
    std::int64_t end = -1;
    std::int64_t trigger = -1;
    std::string key;
};

// The report side: spans and episode ends rebuilt from the text.
struct ReportModel {
    std::map<CpuTs, Expected> hard, softirq, work;
    std::map<CpuTs, std::int64_t> episodeEnd; // hard IRQ (cpu, entry) -> end of last bottom half
    std::map<std::string, std::uint64_t> counts;
};

int intAfter(const std::string& info, const std::string& key) {
    const auto at = info.find(key);
    return at == std::string::npos ? -1 : std::atoi(info.c_str() + at + key.size());
}

std::string workOf(const std::string& info) {
    const auto at = info.find("0x");
    return info.substr(at, info.find_first_of(": ", at) - at);
}

class ReportBuilder {
public:
    void onEvent(const ReportEvent& e) {
        ++m.counts[e.name];
        if (e.name == "irq_handler_entry") {
            hardStack[e.cpu].push_back({e.tsNs, intAfter(e.info, "irq="), e.info.substr(4)});
            m.episodeEnd[{e.cpu, e.tsNs}] = -1;
        } else if (e.name == "irq_handler_exit") {
            hardExit(e);
        } else if (e.name.starts_with("softirq")) {
            softirq(e);
        } else if (e.name.starts_with("workqueue")) {
            workqueue(e);
        }
    }
    ReportModel m;

private:
    struct OpenHard {
        std::int64_t entry;
        int irq;
        std::string key; // "36 virtio1-req.0" from "irq=36 name=virtio1-req.0"
    };
    struct Pending {
        std::int64_t first = -1;
        std::set<CpuTs> episodes;
    };
    void hardExit(const ReportEvent& e) {
        auto& stack = hardStack[e.cpu];
        const int irq = intAfter(e.info, "irq=");
        if (!stack.empty() && stack.back().irq == irq) {
            std::string key = stack.back().key;
            key.replace(key.find(" name="), 6, " ");
            m.hard[{e.cpu, stack.back().entry}] = {e.tsNs, -1, key};
            m.episodeEnd[{e.cpu, stack.back().entry}] = e.tsNs;
            stack.pop_back();
        }
    }
    std::set<CpuTs> contextEpisodes(int cpu) {
        if (!hardStack[cpu].empty()) {
            return {{cpu, hardStack[cpu].back().entry}};
        }
        auto open = openSoftirq.find(cpu);
        return open == openSoftirq.end() ? std::set<CpuTs>{} : open->second.second;
    }
    void softirq(const ReportEvent& e) {
        const auto key = std::make_pair(e.cpu, intAfter(e.info, "vec="));
        if (e.name == "softirq_raise") {
            Pending& p = raises[key];
            if (p.first < 0) {
                p.first = e.tsNs;
            }
            if (!hardStack[e.cpu].empty()) {
                p.episodes.insert({e.cpu, hardStack[e.cpu].back().entry});
            }
        } else if (e.name == "softirq_entry") {
            Pending p = raises[key];
            raises.erase(key);
            openSoftirq[e.cpu] = {e.tsNs, p.episodes};
            m.softirq[{e.cpu, e.tsNs}] = {-1, p.first, ""};
        } else if (e.name == "softirq_exit" && openSoftirq.count(e.cpu)) {
            const auto& [entry, episodes] = openSoftirq[e.cpu];
            m.softirq[{e.cpu, entry}].end = e.tsNs;
            for (const CpuTs& ep : episodes) {
                m.episodeEnd[ep] = std::max(m.episodeEnd[ep], e.tsNs);
            }
            openSoftirq.erase(e.cpu);
        }
    }
    void workqueue(const ReportEvent& e) {
        const std::string work = workOf(e.info);
        if (e.name == "workqueue_queue_work" && !queued.count(work)) {
            queued[work] = {e.tsNs, contextEpisodes(e.cpu)};
        } else if (e.name == "workqueue_execute_start") {
            auto q = queued.find(work);
            running[work] = {e.cpu, e.tsNs};
            m.work[{e.cpu, e.tsNs}] = {-1, q == queued.end() ? -1 : q->second.first, ""};
            runningEpisodes[work] =
                q == queued.end() ? std::set<CpuTs>{} : std::move(q->second.episodes);
            if (q != queued.end()) {
                queued.erase(q);
            }
        } else if (e.name == "workqueue_execute_end" && running.count(work)) {
            m.work[running[work]].end = e.tsNs;
            for (const CpuTs& ep : runningEpisodes[work]) {
                m.episodeEnd[ep] = std::max(m.episodeEnd[ep], e.tsNs);
            }
            running.erase(work);
        }
    }
    std::map<int, std::vector<OpenHard>> hardStack;
    std::map<std::pair<int, int>, Pending> raises;
    std::map<int, std::pair<std::int64_t, std::set<CpuTs>>> openSoftirq;
    std::map<std::string, Pending> queued;
    std::map<std::string, CpuTs> running;
    std::map<std::string, std::set<CpuTs>> runningEpisodes;
};

class ReportCrossCheck : public ::testing::TestWithParam<const char*> {};

void checkKind(const Analysis& a, const EventStore& store, SpanKind kind,
               const std::map<CpuTs, Expected>& expected) {
    const auto ids = spansOf(a, kind);
    EXPECT_EQ(ids.size(), expected.size()) << spanKindName(kind);
    for (SpanId id : ids) {
        const Span& s = a.spans[id];
        auto it = expected.find({s.cpu, s.start});
        ASSERT_NE(it, expected.end()) << spanKindName(kind) << " at " << s.start;
        EXPECT_EQ(s.end, it->second.end) << spanKindName(kind) << " at " << s.start;
        EXPECT_EQ(s.latencyKnown() ? s.trigger : -1, it->second.trigger)
            << spanKindName(kind) << " at " << s.start;
        if (!it->second.key.empty()) {
            EXPECT_EQ(spanKeyName(store, s), it->second.key);
        }
    }
}

TEST_P(ReportCrossCheck, SpansAndEpisodeEndsMatchTheReport) {
    const std::string path = dataPath(GetParam());
    LoadResult loaded = loadCapture(path);
    ASSERT_TRUE(loaded.ok()) << loaded.error;
    const Analysis a = analyze(*loaded.store);
    ReportBuilder report;
    ASSERT_TRUE(forEachReportEvent(path, [&](const ReportEvent& e) { report.onEvent(e); }));
    const ReportModel& m = report.m;
    ASSERT_GT(m.hard.size(), 100u);
    checkKind(a, *loaded.store, SpanKind::HardIrq, m.hard);
    checkKind(a, *loaded.store, SpanKind::Softirq, m.softirq);
    checkKind(a, *loaded.store, SpanKind::Workqueue, m.work);
    ASSERT_EQ(a.episodes.size(), m.counts.at("irq_handler_entry"));
    for (const Episode& e : a.episodes) {
        const Span& hard = a.spans[e.hardIrq];
        auto it = m.episodeEnd.find({hard.cpu, hard.start});
        ASSERT_NE(it, m.episodeEnd.end()) << hard.start;
        EXPECT_EQ(e.end, it->second) << "episode of the IRQ at " << hard.start;
    }
}

INSTANTIATE_TEST_SUITE_P(Samples, ReportCrossCheck,
                         ::testing::Values("irq_wq.dat", "irq_stack.dat", "net_v6.dat"),
                         [](const auto& param) {
                             std::string name = param.param;
                             return name.substr(0, name.find('.'));
                         });

} // namespace
} // namespace irqlens::test
