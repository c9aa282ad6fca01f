// function_graph output written by hand in the kernel's layout (and in
// trace-cmd's), checked against the nesting and durations printed in it.
#include "parsers/text/text_loader.h"
#include "tests/textread/test_util.h"

#include <gtest/gtest.h>

namespace irqlens {
namespace {

struct Call {
    std::string kind; // "entry", "exit", or another event name
    std::string function;
    std::uint32_t depth;
    std::int64_t ts;
};

std::vector<Call> callsOf(const EventStore& store, int cpu) {
    std::vector<Call> out;
    const CpuEvents& col = store.cpu(cpu);
    for (std::size_t i = 0; i < col.size(); ++i) {
        const EventFields f = col.at(i);
        const EventKind kind = store.type(f.type).kind;
        if (kind == EventKind::FuncgraphEntry || kind == EventKind::FuncgraphExit) {
            out.push_back({kind == EventKind::FuncgraphEntry ? "entry" : "exit",
                           store.symbolize(store.addresses.get(funcAddressId(f.arg))),
                           funcDepth(f.arg), f.ts});
        } else {
            out.push_back({store.type(f.type).name, "", 0, f.ts});
        }
    }
    return out;
}

void expectCalls(const std::vector<Call>& got, const std::vector<Call>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        SCOPED_TRACE("event " + std::to_string(i));
        EXPECT_EQ(got[i].kind, want[i].kind);
        EXPECT_EQ(got[i].function, want[i].function);
        EXPECT_EQ(got[i].depth, want[i].depth);
        EXPECT_EQ(got[i].ts, want[i].ts);
    }
}

// Lines of the kernel layout carry no time: it is rebuilt from the durations
// (each CPU starts at 0; the time between calls is not printed).
TEST(FuncgraphText, KernelLayoutNestingAndDurations) {
    LoadResult r = loadTextCapture(test::dataPath("funcgraph_kernel.txt"));
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    EXPECT_EQ(store.info().format, "function_graph text");
    EXPECT_TRUE(store.info().warnings.empty()) << store.info().warnings.front();
    ASSERT_EQ(store.cpuCount(), 2);
    expectCalls(callsOf(store, 1), {{"entry", "handle_irq_event", 0, 0},
                                    {"entry", "__handle_irq_event_percpu", 1, 0},
                                    {"irq_handler_entry", "", 0, 0},
                                    {"entry", "vp_interrupt", 2, 0},
                                    {"entry", "vp_vring_interrupt", 3, 0},
                                    {"exit", "vp_vring_interrupt", 3, 812},
                                    {"exit", "vp_interrupt", 2, 2150},
                                    {"exit", "__handle_irq_event_percpu", 1, 12345},
                                    {"entry", "note_interrupt", 1, 12345},
                                    {"exit", "note_interrupt", 1, 12745},
                                    {"exit", "handle_irq_event", 0, 14000}});
    expectCalls(callsOf(store, 0), {{"entry", "process_one_work", 0, 0},
                                    {"entry", "blk_mq_run_work_fn", 1, 0},
                                    {"entry", "__blk_mq_run_hw_queue", 2, 0},
                                    {"exit", "__blk_mq_run_hw_queue", 2, 150250},
                                    {"exit", "blk_mq_run_work_fn", 1, 152000},
                                    {"print", "", 0, 152000},
                                    {"exit", "process_one_work", 0, 160500}});
    // The comment is a real irq event; the CPU-switch line names the task.
    const EventFields irq = store.cpu(1).at(2);
    EXPECT_EQ(store.type(irq.type).kind, EventKind::IrqHandlerEntry);
    EXPECT_EQ(store.irqActions.get(irq.arg).irq, 36);
    EXPECT_EQ(store.cpu(0).pid(0), 56);
    EXPECT_EQ(store.comm(56, 0), "kworker");
    EXPECT_EQ(store.source()->info(0, store.cpu(0).anchorOffset(0), 5),
              "/* my message from trace_printk */");
}

TEST(FuncgraphText, KernelLayoutWithAbsoluteTimeAndTask) {
    LoadResult r = loadTextCapture(test::dataPath("funcgraph_abstime.txt"));
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    expectCalls(callsOf(store, 0), {{"entry", "do_sys_open", 0, 200'000'100'000},
                                    {"entry", "getname", 1, 200'000'102'000},
                                    {"exit", "getname", 1, 200'000'103'500},
                                    {"exit", "do_sys_open", 0, 200'000'110'000}});
    EXPECT_EQ(store.cpu(0).pid(0), 1234);
    EXPECT_EQ(store.comm(1234, 200'000'100'000), "bash");
}

TEST(FuncgraphText, TraceCmdFuncgraphEventsAndFunctionStack) {
    LoadResult r = loadTextCapture(test::dataPath("funcgraph_report.txt"));
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    EXPECT_EQ(store.info().format, "trace-cmd report -l text");
    expectCalls(callsOf(store, 0), {{"entry", "my_top_half", 0, 100'000'010'000},
                                    {"entry", "queue_work_on", 1, 100'000'012'000},
                                    {"exit", "queue_work_on", 1, 100'000'015'250},
                                    {"exit", "my_top_half", 0, 100'000'020'000},
                                    {"function", "", 0, 100'000'050'000},
                                    {"kernel_stack", "", 0, 100'000'052'000}});
    const EventFields top = store.cpu(0).at(0);
    EXPECT_EQ(top.flags, LatencyFlag::IrqsOff | LatencyFlag::HardIrq);
    EXPECT_EQ(top.preempt, 1);
    EXPECT_EQ(store.symbolize(store.addresses.get(store.cpu(0).arg(4))), "my_bottom_half");
    auto frames = store.stacks.get(store.cpu(0).arg(5));
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_EQ(frames[1], 0xffffa31c02ff61c8ull); // the text's own address is kept
    EXPECT_EQ(store.symbolize(frames[1]), "my_bottom_half");
    EXPECT_EQ(store.symbolize(frames[2]), "process_one_work");
    // The leaf's exit decodes from the same line, with its duration.
    auto fields = store.decode({0, 2});
    ASSERT_EQ(fields.size(), 3u);
    EXPECT_EQ(fields[0].value, "queue_work_on");
    EXPECT_EQ(fields[2].name, "duration_ns");
    EXPECT_EQ(fields[2].value, "3250");
}

TEST(FuncgraphText, KernelStackFramesWithOffsets) {
    LoadResult r = loadTextCapture(test::dataPath("trace_stacks.txt"));
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    EXPECT_EQ(store.cpuCount(), 4); // "#P:4", though only CPU 3 has events
    ASSERT_EQ(store.cpu(3).size(), 3u);
    EXPECT_EQ(store.type(store.cpu(3).type(1)).kind, EventKind::KernelStack);
    auto frames = store.stacks.get(store.cpu(3).arg(1));
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_EQ(store.symbolize(frames[0]), "__handle_irq_event_percpu+0x55");
    EXPECT_EQ(store.symbolize(frames[2]), "handle_edge_irq+0x91");
    EXPECT_EQ(store.cpu(3).arg(2), 36u | kIrqRetUnhandled);
}

} // namespace
} // namespace irqlens
