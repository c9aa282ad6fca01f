// function_graph text (written by hand in the kernel's layout, see
// tests/data/funcgraph_kernel.txt) becomes nested Function spans whose times
// are the durations printed in the file.
#include "core/spans/span.h"
#include "core/stacks/stack_index.h"
#include "parsers/capture_loader.h"
#include "tests/stacks/report_stacks.h"

#include <gtest/gtest.h>

namespace irqlens {
namespace {

struct WantSpan {
    int cpu;
    std::string function;
    std::int64_t start;
    std::int64_t end;
    int depth;
};

std::string functionOf(const EventStore& store, const Span& s) {
    return store.symbolize(store.addresses.get(s.key));
}

TEST(FuncgraphSpans, KernelLayoutNestsAsPrinted) {
    auto r = loadCapture(test::dataPath("funcgraph_kernel.txt"));
    ASSERT_TRUE(r.ok()) << r.error;
    const Analysis a = analyze(*r.store);
    // Hand-read from the file: entry lines open, "}" lines close with the
    // printed duration; leaf lines "f();" are whole calls.
    const std::vector<WantSpan> want = {
        {0, "process_one_work", 0, 160500, 0},         {0, "blk_mq_run_work_fn", 0, 152000, 1},
        {0, "__blk_mq_run_hw_queue", 0, 150250, 2},    {1, "handle_irq_event", 0, 14000, 0},
        {1, "__handle_irq_event_percpu", 0, 12345, 1}, {1, "vp_interrupt", 0, 2150, 2},
        {1, "vp_vring_interrupt", 0, 812, 3},          {1, "note_interrupt", 12345, 12745, 1},
    };
    std::vector<const Span*> got;
    for (const Span& s : a.spans) {
        if (s.kind == SpanKind::Function) {
            got.push_back(&s);
        }
    }
    ASSERT_EQ(got.size(), want.size());
    for (const WantSpan& w : want) {
        SCOPED_TRACE(w.function);
        auto it = std::find_if(got.begin(), got.end(), [&](const Span* s) {
            return s->cpu == w.cpu && functionOf(*r.store, *s) == w.function;
        });
        ASSERT_NE(it, got.end());
        EXPECT_EQ((*it)->start, w.start);
        EXPECT_EQ((*it)->end, w.end);
        EXPECT_EQ((*it)->depth, w.depth);
        EXPECT_EQ((*it)->flags & (SpanFlag::OpenStart | SpanFlag::OpenEnd), 0);
    }
    // Nesting: every span at depth d > 0 lies inside one at depth d - 1 on its CPU.
    for (const Span* s : got) {
        if (s->depth == 0) {
            continue;
        }
        const bool inParent = std::any_of(got.begin(), got.end(), [&](const Span* p) {
            return p->cpu == s->cpu && p->depth + 1 == s->depth && p->start <= s->start &&
                   s->end <= p->end;
        });
        EXPECT_TRUE(inParent) << functionOf(*r.store, *s);
    }
}

// trace-cmd report layout: funcgraph events with absolute times, and a
// kernel_stack after a function event that belongs to it.
TEST(FuncgraphSpans, ReportLayoutSpansAndStack) {
    auto r = loadCapture(test::dataPath("funcgraph_report.txt"));
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    const Analysis a = analyze(store);
    std::vector<const Span*> got;
    for (const Span& s : a.spans) {
        if (s.kind == SpanKind::Function) {
            got.push_back(&s);
        }
    }
    ASSERT_EQ(got.size(), 2u);
    const Span* top = got[0]->depth == 0 ? got[0] : got[1];
    const Span* leaf = got[0]->depth == 0 ? got[1] : got[0];
    EXPECT_EQ(functionOf(store, *top), "my_top_half");
    EXPECT_EQ(top->start, 100000010000);
    EXPECT_EQ(top->end, 100000020000); // the exit line's time
    EXPECT_EQ(functionOf(store, *leaf), "queue_work_on");
    EXPECT_EQ(leaf->depth, 1);
    EXPECT_EQ(leaf->start, 100000012000);
    EXPECT_EQ(leaf->duration(), 3250); // "3.250 us"
    // The stack after the function event belongs to it.
    const StackIndex index(store);
    EXPECT_EQ(index.attachedCount(), 1u);
    const CpuEvents& col = store.cpu(0);
    std::uint32_t function = 0;
    while (function < col.size() && store.type(col.type(function)).name != "function") {
        ++function;
    }
    ASSERT_LT(function + 1, col.size());
    EXPECT_EQ(store.type(col.type(function + 1)).name, "kernel_stack");
    const auto stack = index.kernelStackOf({0, function});
    ASSERT_TRUE(stack.has_value());
    const auto frames = store.stacks.get(*stack);
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_EQ(frames[1], 0xffffa31c02ff61c8u); // "=> my_bottom_half (ffffa31c02ff61c8)"
}

} // namespace
} // namespace irqlens
