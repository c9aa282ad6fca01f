// Spans and episodes of the real capture irq_wq.dat against the golden rows
// in tests/data/irq_wq_golden.csv, checked by hand on `trace-cmd report`, and
// span counts against the report's event counts.  (Every span of it is also
// checked against the report text in report_crosscheck_test.cpp.)
#include "parsers/capture_loader.h"
#include "tests/spans/test_helpers.h"
#include "tests/tracedat/report_reader.h"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <optional>
#include <sstream>

namespace irqlens::test {
namespace {

std::string goldenPath() {
    return dataPath("irq_wq_golden.csv");
}

std::vector<std::string> splitCsv(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream in(line);
    std::string cell;
    while (std::getline(in, cell, ',')) {
        out.push_back(cell);
    }
    if (!line.empty() && line.back() == ',') {
        out.emplace_back();
    }
    return out;
}

std::string flagNames(const Span& s) {
    static const std::vector<std::pair<std::uint16_t, std::string>> names = {
        {SpanFlag::OpenStart, "open_start"},
        {SpanFlag::OpenEnd, "open_end"},
        {SpanFlag::CrossesDrop, "crosses_drop"},
        {SpanFlag::InKsoftirqd, "in_ksoftirqd"},
        {SpanFlag::LatencyUnknown, "latency_unknown"},
        {SpanFlag::Preempted, "preempted"},
        {SpanFlag::Nested, "nested"},
        {SpanFlag::SharedBottomHalf, "shared"},
        {SpanFlag::Unhandled, "unhandled"}};
    std::string out;
    for (const auto& [flag, name] : names) {
        if (s.flags & flag) {
            if (!out.empty()) {
                out += '|';
            }
            out += name;
        }
    }
    return out;
}

class IrqWqGolden : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        path_ = dataPath("irq_wq.dat");
        LoadResult loaded = loadCapture(path_);
        ASSERT_TRUE(loaded.ok()) << loaded.error;
        store_ = std::move(loaded.store).release();
        analysis_ = new Analysis(analyze(*store_));
    }
    static void TearDownTestSuite() {
        delete analysis_;
        delete store_;
    }
    void SetUp() override { ASSERT_NE(analysis_, nullptr) << path_ << " did not load"; }
    static const Span* find(SpanKind kind, int cpu, std::int64_t start) {
        for (const Span& s : analysis_->spans) {
            if (s.kind == kind && s.cpu == cpu && s.start == start) {
                return &s;
            }
        }
        return nullptr;
    }
    // The same, task runs too (Analysis::taskRuns).
    static std::optional<Span> findAny(SpanKind kind, int cpu, std::int64_t start) {
        std::optional<Span> found;
        forEachSpanOf(*analysis_, kind, [&](SpanId, const Span& s) {
            if (!found && s.cpu == cpu && s.start == start) {
                found = s;
            }
        });
        return found;
    }
    static inline std::string path_;
    static inline EventStore* store_ = nullptr;
    static inline Analysis* analysis_ = nullptr;
};

SpanKind kindByName(const std::string& name) {
    for (int k = 0; k < static_cast<int>(SpanKind::Count); ++k) {
        if (spanKindName(static_cast<SpanKind>(k)) == name) {
            return static_cast<SpanKind>(k);
        }
    }
    ADD_FAILURE() << "unknown span kind " << name;
    return SpanKind::Custom;
}

TEST_F(IrqWqGolden, SpansMatchHandCheckedRows) {
    std::ifstream in(goldenPath());
    ASSERT_TRUE(in);
    std::string line;
    int rows = 0;
    while (std::getline(in, line)) {
        const auto c = splitCsv(line);
        if (line.empty() || line[0] == '#' || c[0] != "span") {
            continue;
        }
        ASSERT_EQ(c.size(), 8u) << line;
        const std::optional<Span> s = findAny(kindByName(c[1]), std::stoi(c[2]), std::stoll(c[3]));
        ASSERT_TRUE(s) << "no span for: " << line;
        EXPECT_EQ(s->end, std::stoll(c[4])) << line;
        EXPECT_EQ(spanKeyName(*store_, *s), c[5]) << line;
        EXPECT_EQ(s->latencyKnown() ? s->trigger : -1, std::stoll(c[6])) << line;
        EXPECT_EQ(flagNames(*s), c[7]) << line;
        ++rows;
    }
    EXPECT_EQ(rows, 27);
}

std::string linkList(const Analysis& a, EpisodeId id) {
    std::string out;
    for (const EpisodeLink& l : a.linksOf(id)) {
        const Span& s = a.spans[l.span];
        if (!out.empty()) {
            out += ';';
        }
        out += spanKindName(s.kind);
        out += '@';
        out += std::to_string(s.start);
    }
    return out;
}

TEST_F(IrqWqGolden, EpisodesMatchHandCheckedRows) {
    std::ifstream in(goldenPath());
    std::string line;
    int rows = 0;
    while (std::getline(in, line)) {
        const auto c = splitCsv(line);
        if (line.empty() || line[0] == '#' || c[0] != "episode") {
            continue;
        }
        ASSERT_EQ(c.size(), 10u) << line;
        const Span* hard = find(SpanKind::HardIrq, std::stoi(c[1]), std::stoll(c[2]));
        ASSERT_NE(hard, nullptr) << line;
        const auto hardId = static_cast<SpanId>(hard - analysis_->spans.data());
        const Episode* e = episodeOf(*analysis_, hardId);
        ASSERT_NE(e, nullptr) << line;
        const auto id = static_cast<EpisodeId>(e - analysis_->episodes.data());
        EXPECT_EQ(spanKeyName(*store_, *hard), c[3]);
        EXPECT_EQ(e->end, std::stoll(c[4])) << line;
        EXPECT_EQ(e->topHalfNs, std::stoll(c[5])) << line;
        EXPECT_EQ(e->waitNs, std::stoll(c[6])) << line;
        EXPECT_EQ(e->runNs, std::stoll(c[7])) << line;
        EXPECT_EQ(linkList(*analysis_, id), c[8]) << line;
        EXPECT_EQ(e->flags, 0) << line;
        ++rows;
    }
    EXPECT_EQ(rows, 4);
}

// Counts against the report: when everything pairs, hard IRQ spans ==
// irq_handler_entry lines == episodes, softirq spans == softirq_entry lines,
// workqueue spans == workqueue_execute_start lines.
TEST_F(IrqWqGolden, SpanCountsMatchReportEventCounts) {
    const ReportCounts counts = countReport(path_);
    const Analysis& a = *analysis_;
    EXPECT_EQ(a.count(SpanKind::HardIrq), counts.perName.at("irq_handler_entry"));
    EXPECT_EQ(a.count(SpanKind::HardIrq), counts.perName.at("irq_handler_exit"));
    EXPECT_EQ(a.episodes.size(), counts.perName.at("irq_handler_entry"));
    EXPECT_EQ(a.count(SpanKind::Softirq), counts.perName.at("softirq_entry"));
    EXPECT_EQ(a.count(SpanKind::Workqueue), counts.perName.at("workqueue_execute_start"));
    EXPECT_EQ(a.count(SpanKind::IrqThread), 0u); // no irq/N-* thread in this capture
    std::size_t open = 0;
    for (const Span& s : a.spans) {
        if (s.kind != SpanKind::Task && (s.flags & (SpanFlag::OpenStart | SpanFlag::OpenEnd))) {
            ++open;
        }
    }
    EXPECT_EQ(open, 0u);
    // Every hard IRQ here raised or queued something that ran.
    for (const Episode& e : a.episodes) {
        EXPECT_GE(e.linkCount, 1u);
        EXPECT_GE(e.endToEnd(a.spans), e.topHalfNs);
    }
}

} // namespace
} // namespace irqlens::test
