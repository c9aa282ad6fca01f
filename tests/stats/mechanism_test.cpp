// The one table of mechanism and metric words (core/stats/mechanism.h), the
// one duration format, and docs/ARCHITECTURE.md saying the same definitions.
#include "core/stats/duration_format.h"
#include "core/stats/mechanism.h"
#include "tests/support/test_data.h"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace irqlens {
namespace {

TEST(Mechanism, IdsRoundTripAndLabelsAreTheIssuesWords) {
    for (int m = 0; m < kMechanismCount; ++m) {
        const auto mechanism = static_cast<Mechanism>(m);
        EXPECT_EQ(mechanismById(mechanismId(mechanism)), mechanism);
        const std::string definition = mechanismDefinition(mechanism);
        EXPECT_EQ(std::count(definition.begin(), definition.end(), '\n'), 1) << definition;
    }
    for (int m = 0; m < kMetricCount; ++m) {
        const auto metric = static_cast<Metric>(m);
        EXPECT_EQ(metricById(metricId(metric)), metric);
    }
    EXPECT_FALSE(mechanismById("Workqueue"));
    EXPECT_EQ(mechanismLabel(Mechanism::WorkItem), "Work item");
    EXPECT_EQ(mechanismId(Mechanism::WorkItem), "workqueue");
    EXPECT_EQ(mechanismLabel(Mechanism::IrqThread), "IRQ thread");
    EXPECT_EQ(mechanismInText(Mechanism::WorkItem), "work item");
    EXPECT_EQ(mechanismOf(SpanKind::Workqueue), Mechanism::WorkItem);
    EXPECT_FALSE(mechanismOf(SpanKind::Task));
    EXPECT_EQ(waitMetricOf(Mechanism::WorkItem), Metric::QueueToStart);
    EXPECT_EQ(waitMetricOf(Mechanism::Tasklet), Metric::RaiseToEntry);
    EXPECT_EQ(waitMetricOf(Mechanism::IrqThread), Metric::WakeToRun);
    EXPECT_FALSE(waitMetricOf(Mechanism::HardIrq));
}

// Span kinds and mechanisms are named by two tables (core/spans cannot use
// core/stats); where a kind is a mechanism the ids must be the same, since
// `spans --kind`, `latency --mechanism` and the JSON of both use them.
TEST(Mechanism, SpanKindNamesAreTheMechanismIds) {
    int mechanisms = 0;
    for (int k = 0; k <= static_cast<int>(SpanKind::Custom); ++k) {
        const auto kind = static_cast<SpanKind>(k);
        if (const auto mechanism = mechanismOf(kind)) {
            EXPECT_EQ(spanKindName(kind), mechanismId(*mechanism)) << k;
            ++mechanisms;
        }
    }
    EXPECT_EQ(mechanisms, kMechanismCount - 1); // all but the episode
}

// docs/ARCHITECTURE.md holds the table the code has: the same labels, ids and
// two definition lines (run the test to see the table to paste when it fails).
TEST(Mechanism, ArchitectureDocHasTheSameDefinitions) {
    std::ifstream in(test::sourceDir() + "/docs/ARCHITECTURE.md");
    ASSERT_TRUE(in) << test::sourceDir() << "/docs/ARCHITECTURE.md";
    std::stringstream doc;
    doc << in.rdbuf();
    EXPECT_NE(doc.str().find(mechanismTableMarkdown()), std::string::npos)
        << "docs/ARCHITECTURE.md should contain this table:\n"
        << mechanismTableMarkdown();
}

// Three significant digits in the unit that fits, trailing zeros dropped;
// the expected texts are worked out by hand from that rule.
TEST(DurationFormat, ThreeSignificantDigits) {
    EXPECT_EQ(formatDuration(0), "0 ns");
    EXPECT_EQ(formatDuration(850), "850 ns");
    EXPECT_EQ(formatDuration(999.4), "999 ns");
    EXPECT_EQ(formatDuration(999.6), "1 µs"); // rounds up into the next unit
    EXPECT_EQ(formatDuration(12'350), "12.4 µs");
    EXPECT_EQ(formatDuration(230'030), "230 µs");
    EXPECT_EQ(formatDuration(299'470), "299 µs");
    EXPECT_EQ(formatDuration(28'050), "28.1 µs");
    EXPECT_EQ(formatDuration(2'203'492), "2.2 ms");
    EXPECT_EQ(formatDuration(2'328'000), "2.33 ms");
    EXPECT_EQ(formatDuration(1'500'000'000), "1.5 s");
    EXPECT_EQ(formatDuration(123'456'789'012), "123 s");
    EXPECT_EQ(formatDuration(-12'350), "-12.4 µs");
    EXPECT_EQ(formatDuration(-0.2), "0 ns");
}

} // namespace
} // namespace irqlens
