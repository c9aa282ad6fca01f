// Synthetic capture: 2 CPUs x 1 M events, every other one followed by a
// kernel_stack (depth 12..27) drawn from 5000 distinct stacks.
#include "core/stacks/call_tree.h"
#include "core/stacks/stack_index.h"
#include "core/stacks/stack_selection.h"
#ifdef IRQLENS_BENCH_FLAME
#include "app/gui/stacks/flame_layout.h"
#endif

#include <benchmark/benchmark.h>
#include <memory>
#include <random>

namespace irqlens {
namespace {

std::unique_ptr<EventStore> makeStore() {
    auto store = std::make_unique<EventStore>();
    store->setCpuCount(2);
    const TypeId irq = store->addType({"irq", "irq_handler_entry", EventKind::IrqHandlerEntry, -1});
    const TypeId stackType = store->addType({"ftrace", "kernel_stack", EventKind::KernelStack, -1});
    std::mt19937_64 rng(42);
    std::vector<StackId> stacks;
    for (int s = 0; s < 5000; ++s) {
        std::vector<std::uint64_t> frames;
        const int depth = 12 + static_cast<int>(rng() % 16);
        for (int d = 0; d < depth; ++d) {
            // Outer frames shared widely, inner ones diverse.
            frames.push_back(0xffffffff81000000ull + (rng() % (4 + static_cast<unsigned>(d) * 40)));
        }
        stacks.push_back(store->stacks.intern(frames));
    }
    for (int cpu = 0; cpu < 2; ++cpu) {
        for (std::int64_t i = 0; i < 1000000; ++i) {
            EventFields f;
            f.ts = i * 1000;
            f.type = (i % 2) ? stackType : irq;
            f.arg = (i % 2) ? stacks[rng() % stacks.size()] : 0;
            store->cpuEventsMutable(cpu).append(f, 0);
        }
    }
    store->finish();
    return store;
}

const EventStore& store() {
    static const auto s = makeStore();
    return *s;
}

void BM_StackIndex(benchmark::State& state) {
    for (auto _ : state) {
        StackIndex index(store());
        benchmark::DoNotOptimize(index.attachedCount());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(store().totalEvents()));
}
BENCHMARK(BM_StackIndex)->Unit(benchmark::kMillisecond);

void BM_CallTree(benchmark::State& state) {
    const StackIndex index(store());
    const auto samples = stacksOfEvents(store(), index, std::nullopt);
    for (auto _ : state) {
        FrameNames names(store());
        auto tree =
            CallTree::build(store(), names, samples, static_cast<TreeDirection>(state.range(0)));
        benchmark::DoNotOptimize(tree.total());
        state.counters["nodes"] = static_cast<double>(tree.nodes().size());
    }
}
BENCHMARK(BM_CallTree)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_Folded(benchmark::State& state) {
    const StackIndex index(store());
    const auto samples = stacksOfEvents(store(), index, std::nullopt);
    for (auto _ : state) {
        FrameNames names(store());
        benchmark::DoNotOptimize(foldedStacks(store(), names, samples).size());
    }
}
BENCHMARK(BM_Folded)->Unit(benchmark::kMillisecond);

#ifdef IRQLENS_BENCH_FLAME
void BM_FlameLayout(benchmark::State& state) {
    const StackIndex index(store());
    FrameNames names(store());
    const auto tree = CallTree::build(store(), names, stacksOfEvents(store(), index, std::nullopt),
                                      TreeDirection::TopDown);
    for (auto _ : state) {
        const auto boxes = gui::layoutFlame(tree, {}, 1920.0);
        state.counters["boxes"] = static_cast<double>(boxes.size());
        benchmark::DoNotOptimize(boxes.data());
    }
}
BENCHMARK(BM_FlameLayout)->Unit(benchmark::kMicrosecond);
#endif

} // namespace
} // namespace irqlens

BENCHMARK_MAIN();
