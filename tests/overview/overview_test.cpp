// The overview (core/overview/overview.h): one source per interrupt, its
// bottom halves, medians, stages and sentence — on a hand-built capture whose
// every number is worked out below, and the stage partition on the samples.
#include "core/overview/overview.h"
#include "core/overview/overview_table.h"
#include "parsers/capture_loader.h"
#include "tests/spans/test_store.h"
#include "tests/support/test_data.h"

#include <gtest/gtest.h>

namespace irqlens {
namespace {

using test::TestStore;

constexpr std::uint64_t kWork = 0xa0, kWorkFn = 0xf1;

// Three IRQ 26 on CPU 0, each queueing the same work item, run by kworker
// pid 200; a local_timer without bottom half on CPU 1.
//   episode  IRQ 26       queue   start  end    end to end
//   1        1000-1100    1050    1300   1400   400   top 100, wait 250, run 100
//   2        2000-2200    2100    2600   2700   700   top 200, wait 500, run 100
//   3        3000-3300    3200    3500   3800   800   top 300, wait 300, run 300
// Medians (nearest rank, 3 values): top half 200, wait 300, run 100, end to
// end 700; p99 = the largest: top 300, wait 500, end to end 800.
// Stages after the top half (wait from the IRQ's return): 200, 400, 200 ->
// median 200; run 100, 100, 300 -> 100.
std::unique_ptr<EventStore> threeWorkItems() {
    TestStore t(2);
    t.comm(100, "app").comm(200, "kworker/0:1");
    t.switchTo(0, 10, 100);
    const std::int64_t irq[3][5] = {{1000, 1100, 1050, 1300, 1400},
                                    {2000, 2200, 2100, 2600, 2700},
                                    {3000, 3300, 3200, 3500, 3800}};
    for (const auto& e : irq) {
        t.irqEntry(0, e[0], 26, "gpio")
            .queueWork(0, e[2], kWork, kWorkFn)
            .irqExit(0, e[1], 26)
            .switchTo(0, e[3] - 10, 200, 'R')
            .workStart(0, e[3], kWork, kWorkFn)
            .workEnd(0, e[4], kWork)
            .switchTo(0, e[4] + 10, 100, 'S');
    }
    t.vectorEntry(1, 1500, "local_timer", 236).vectorExit(1, 1540, "local_timer", 236);
    return t.finish();
}

TEST(Overview, OneSourcePerInterruptWithItsBottomHalf) {
    const auto store = threeWorkItems();
    const Analysis a = analyze(*store);
    const Overview o = buildOverview(*store, a);
    ASSERT_EQ(o.sources.size(), 2u);
    EXPECT_EQ(o.episodes, 4u);
    const InterruptSource& irq = o.sources[0]; // device IRQs first
    EXPECT_EQ(irq.key, "26 gpio");
    EXPECT_EQ(irq.irq, 26);
    EXPECT_EQ(irq.count, 3u);
    EXPECT_EQ(irq.cpus, std::vector<std::uint16_t>{0});
    EXPECT_EQ(irq.topHalf.p50, 200);
    EXPECT_EQ(irq.topHalf.p99, 300);
    EXPECT_EQ(irq.endToEnd.p50, 700);
    EXPECT_EQ(irq.endToEnd.p99, 800);
    ASSERT_EQ(irq.bottomHalves.size(), 1u);
    const BottomHalfUse& work = irq.bottomHalves[0];
    EXPECT_EQ(work.mechanism, Mechanism::WorkItem);
    EXPECT_EQ(work.episodes, 3u);
    EXPECT_EQ(work.wait.p50, 300);
    EXPECT_EQ(work.wait.p99, 500);
    EXPECT_EQ(work.run.p50, 100);
    ASSERT_EQ(work.runners.size(), 1u);
    EXPECT_EQ(work.runners[0].name, "kworker/0:1");
    EXPECT_EQ(irq.medianStages.topHalf, 200);
    EXPECT_EQ(irq.medianStages.wait, 200);
    EXPECT_EQ(irq.medianStages.run, 100);
    EXPECT_EQ(irq.medianStages.preempted, 0);
    EXPECT_EQ(irq.slowest, 3u); // the third IRQ 26 (episode 1 is the local_timer at 1500)
    EXPECT_EQ(waitGroupId(work), "workqueue/" + work.key + "/queue_to_start");
    EXPECT_EQ(endToEndGroupId(irq), "episode/26 gpio/end_to_end");

    const InterruptSource& timer = o.sources[1];
    EXPECT_EQ(timer.key, "local_timer");
    EXPECT_FALSE(timer.isDevice());
    EXPECT_EQ(timer.withoutBottomHalf, 1u);
    EXPECT_TRUE(timer.bottomHalves.empty());
}

TEST(Overview, SentenceSaysTheTypicalPath) {
    const auto store = threeWorkItems();
    const Analysis a = analyze(*store);
    const Overview o = buildOverview(*store, a);
    const std::string fn = o.sources[0].bottomHalves[0].key;
    EXPECT_EQ(o.sources[0].sentence,
              "3 × IRQ 26 gpio on CPU 0: top half 200 ns, then work item " + fn +
                  " queued, started by kworker/0:1 after 300 ns (p99 500 ns), ran 100 ns; end "
                  "to end 700 ns (p99 800 ns).");
    EXPECT_EQ(o.sources[1].sentence,
              "1 × local_timer on CPU 1: top half 40 ns (p99 40 ns), no bottom half.");
    const auto row = overviewCsvRow(o.sources[0]);
    ASSERT_EQ(row.size(), overviewCsvHeader().size());
    EXPECT_EQ(row[0], "26 gpio");
    EXPECT_EQ(row[2], "3");
    EXPECT_EQ(row.back(), o.sources[0].sentence);
}

// Each episode's stages follow each other and add up to its end to end.
TEST(Overview, StagesAddUpToEndToEndOnTheSamples) {
    for (const char* name : {"wq.dat", "threaded.dat", "tasklet.dat", "irq_wq.dat"}) {
        const LoadResult loaded = loadCapture(test::dataPath(name));
        ASSERT_TRUE(loaded.ok()) << loaded.error;
        const Analysis a = analyze(*loaded.store);
        for (EpisodeId e = 0; e < a.episodes.size(); ++e) {
            const Stages st = episodeStages(a, e);
            ASSERT_EQ(st.total(), a.episodes[e].endToEnd(a.spans)) << name << " episode " << e;
            ASSERT_GE(st.wait, 0);
            ASSERT_GE(st.run, 0);
        }
    }
}

// The GPIO samples: IRQ 26 is named with the mechanism its module used.
TEST(Overview, SamplesNameTheModulesMechanism) {
    const std::pair<const char*, Mechanism> samples[] = {{"wq.dat", Mechanism::WorkItem},
                                                         {"threaded.dat", Mechanism::IrqThread},
                                                         {"tasklet.dat", Mechanism::Tasklet}};
    for (const auto& [name, mechanism] : samples) {
        const LoadResult loaded = loadCapture(test::dataPath(name));
        ASSERT_TRUE(loaded.ok()) << loaded.error;
        const Analysis a = analyze(*loaded.store);
        const Overview o = buildOverview(*loaded.store, a);
        ASSERT_FALSE(o.sources.empty());
        const InterruptSource& gpio = o.sources[0];
        EXPECT_EQ(gpio.key, "26 irqlens-gpio") << name;
        EXPECT_EQ(gpio.count, 200u) << name; // samples/README.md, trace-cmd report
        ASSERT_EQ(gpio.bottomHalves.size(), 1u) << name;
        EXPECT_EQ(gpio.bottomHalves[0].mechanism, mechanism) << name;
        EXPECT_EQ(gpio.bottomHalves[0].episodes, 200u) << name;
        for (std::size_t i = 1; i < o.sources.size(); ++i) {
            EXPECT_FALSE(o.sources[i].isDevice()) << name << ": " << o.sources[i].key;
        }
    }
}

} // namespace
} // namespace irqlens
