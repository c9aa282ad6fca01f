// Every kernel_stack of irq_stack.dat belongs to the event just before it on
// its CPU: checked against trace-cmd's own text, where the `=>` lines follow
// each stack event (the 4000-line excerpt irq_stack.report-l.txt and the
// whole `trace-cmd report` output).
#include "core/stacks/stack_index.h"
#include "parsers/capture_loader.h"
#include "tests/stacks/report_stacks.h"

#include <fstream>
#include <gtest/gtest.h>

namespace irqlens {
namespace {

bool sameTimestamp(std::int64_t ns, const std::string& printed) {
    // trace-cmd prints microseconds; accept truncation or rounding.
    return test::reportTimestamp(ns) == printed || test::reportTimestamp(ns + 500) == printed;
}

struct Checked {
    std::size_t stacks = 0;
    std::size_t orphans = 0;
};

// Walks one CPU of the report next to the same CPU of the store.
Checked checkCpu(const EventStore& store, const StackIndex& index, int cpu,
                 const std::vector<test::ReportEvent>& report) {
    Checked done;
    const CpuEvents& col = store.cpu(cpu);
    EXPECT_LE(report.size(), col.size());
    std::optional<std::uint32_t> lastOwner; // last non-stack event of the report
    for (std::uint32_t i = 0; i < report.size() && i < col.size(); ++i) {
        const auto& ev = report[i];
        SCOPED_TRACE("cpu " + std::to_string(cpu) + " event " + std::to_string(i) + " " +
                     ev.timestamp + " " + ev.name);
        EXPECT_EQ(store.type(col.type(i)).name, ev.name);
        EXPECT_TRUE(sameTimestamp(col.ts(i), ev.timestamp)) << col.ts(i);
        if (ev.name != "kernel_stack") {
            lastOwner = i;
            continue;
        }
        const auto owner = index.ownerOf({static_cast<std::uint16_t>(cpu), i});
        if (!lastOwner) {
            EXPECT_FALSE(owner.has_value());
            ++done.orphans;
            continue;
        }
        ++done.stacks;
        EXPECT_EQ(owner, (EventRef{static_cast<std::uint16_t>(cpu), *lastOwner}));
        const auto stack = index.kernelStackOf({static_cast<std::uint16_t>(cpu), *lastOwner});
        if (!owner || !stack) {
            ADD_FAILURE() << "stack not attached";
            continue;
        }
        if (!ev.complete) {
            continue; // the excerpt ends inside this stack
        }
        const auto frames = store.stacks.get(*stack);
        EXPECT_EQ(frames.size(), ev.frames.size());
        for (std::size_t f = 0; f < frames.size() && f < ev.frames.size(); ++f) {
            EXPECT_EQ(frames[f], ev.frames[f].address) << "frame " << f;
        }
    }
    return done;
}

class IrqStackCapture : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto r = loadCapture(test::dataPath("irq_stack.dat"));
        ASSERT_TRUE(r.ok()) << r.error;
        store_ = r.store.release();
        index_ = new StackIndex(*store_);
    }
    static void TearDownTestSuite() {
        delete index_;
        delete store_;
    }
    static EventStore* store_;
    static StackIndex* index_;
};
EventStore* IrqStackCapture::store_ = nullptr;
StackIndex* IrqStackCapture::index_ = nullptr;

TEST_F(IrqStackCapture, ExcerptStacksFollowTheirEvent) {
    std::ifstream in(test::dataPath("irq_stack.report-l.txt"));
    ASSERT_TRUE(in) << "irq_stack.report-l.txt missing";
    const auto report = test::readReport(in);
    std::size_t stacks = 0;
    for (const auto& [cpu, events] : report.perCpu) {
        stacks += checkCpu(*store_, *index_, cpu, events).stacks;
    }
    EXPECT_GT(stacks, 150u); // the excerpt holds 174 complete or cut stacks
}

TEST_F(IrqStackCapture, WholeReportStacksFollowTheirEvent) {
    const auto report = test::readTraceCmdReport(test::dataPath("irq_stack.dat"), false);
    if (report.perCpu.empty()) {
        GTEST_SKIP() << "trace-cmd not available";
    }
    Checked total;
    for (const auto& [cpu, events] : report.perCpu) {
        EXPECT_EQ(events.size(), store_->cpu(cpu).size()) << "cpu " << cpu;
        const auto c = checkCpu(*store_, *index_, cpu, events);
        total.stacks += c.stacks;
        total.orphans += c.orphans;
    }
    EXPECT_EQ(index_->attachedCount(), total.stacks);
    EXPECT_EQ(index_->orphanCount(), total.orphans);
    EXPECT_EQ(total.stacks + total.orphans, 769u); // `trace-cmd report | grep -c kernel_stack:`
}

// Not every event has a stack; the ones without get none (no borrowing from
// the nearest event).
TEST_F(IrqStackCapture, EventsWithoutStackHaveNone) {
    std::size_t without = 0;
    for (int cpu = 0; cpu < store_->cpuCount(); ++cpu) {
        const CpuEvents& col = store_->cpu(cpu);
        for (std::uint32_t i = 0; i + 1 < col.size(); ++i) {
            const auto kind = store_->type(col.type(i)).kind;
            const auto nextKind = store_->type(col.type(i + 1)).kind;
            if (isStackKind(kind)) {
                continue;
            }
            const bool followed = nextKind == EventKind::KernelStack;
            EXPECT_EQ(index_->kernelStackOf({static_cast<std::uint16_t>(cpu), i}).has_value(),
                      followed);
            without += followed ? 0 : 1;
        }
    }
    EXPECT_GT(without, 0u); // the capture has events without stacks (the first softirqs)
}

} // namespace
} // namespace irqlens
