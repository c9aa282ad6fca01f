// Frame names equal what trace-cmd prints for the same addresses; offsets
// equal address - symbol start from the capture's kallsyms as `trace-cmd dump
// --kallsyms` lists it; folded stacks and call trees count every stack once.
#include "core/stacks/call_tree.h"
#include "parsers/capture_loader.h"
#include "tests/stacks/report_stacks.h"

#include <cstdio>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <sstream>

namespace irqlens {
namespace {

std::string run(const std::string& cmd) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    std::string text;
    char buf[65536];
    std::size_t n;
    while (pipe && (n = std::fread(buf, 1, sizeof buf, pipe.get())) > 0) {
        text.append(buf, n);
    }
    return text;
}

// address -> name from `trace-cmd dump --kallsyms` ("ffffffff81380c60 t process_one_work").
std::map<std::uint64_t, std::string> kallsyms(const std::string& file) {
    std::map<std::uint64_t, std::string> out;
    std::istringstream in(run("trace-cmd dump --kallsyms '" + file + "' 2>/dev/null"));
    std::string addr, type, name;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream l(line);
        if (l >> addr >> type >> name && addr.size() == 16) {
            out.emplace(std::stoull(addr, nullptr, 16), name);
        }
    }
    return out;
}

class StackNames : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto r = loadCapture(test::dataPath("irq_stack.dat"));
        ASSERT_TRUE(r.ok()) << r.error;
        store_ = r.store.release();
        index_ = new StackIndex(*store_);
        report_ = new test::ReportStacks(
            test::readTraceCmdReport(test::dataPath("irq_stack.dat"), false));
    }
    static void TearDownTestSuite() {
        delete report_;
        delete index_;
        delete store_;
    }
    void SetUp() override {
        if (report_->perCpu.empty()) {
            GTEST_SKIP() << "trace-cmd not available";
        }
    }
    // Stacks in the report that follow `name` (all events when empty) and
    // whose info contains `infoPart`.
    static std::uint64_t reportStacksAfter(const std::string& name, const std::string& infoPart) {
        std::uint64_t n = 0;
        for (const auto& [cpu, events] : report_->perCpu) {
            const test::ReportEvent* owner = nullptr;
            for (const auto& ev : events) {
                if (ev.name != "kernel_stack") {
                    owner = &ev;
                } else if (owner && (name.empty() || owner->name == name) &&
                           owner->info.find(infoPart) != std::string::npos) {
                    ++n;
                }
            }
        }
        return n;
    }
    // Stacks of events from an irq_handler_entry (info containing `entry`)
    // to the next irq_handler_exit (info starting with `exit`) on its CPU.
    static std::uint64_t reportStacksInsideIrq(const std::string& entry, const std::string& exit) {
        std::uint64_t n = 0;
        for (const auto& [cpu, events] : report_->perCpu) {
            bool inside = false;
            bool ownerInside = false;
            for (const auto& ev : events) {
                if (ev.name == "kernel_stack") {
                    n += ownerInside ? 1 : 0;
                    continue;
                }
                if (ev.name == "irq_handler_entry" && ev.info.find(entry) != std::string::npos) {
                    inside = true;
                }
                ownerInside = inside;
                if (ev.name == "irq_handler_exit" && ev.info.rfind(exit, 0) == 0) {
                    inside = false;
                }
            }
        }
        return n;
    }
    static EventStore* store_;
    static StackIndex* index_;
    static test::ReportStacks* report_;
};
EventStore* StackNames::store_ = nullptr;
StackIndex* StackNames::index_ = nullptr;
test::ReportStacks* StackNames::report_ = nullptr;

TEST_F(StackNames, FunctionNamesEqualTraceCmd) {
    FrameNames names(*store_);
    std::map<std::uint64_t, std::string> printed;
    for (const auto& [cpu, events] : report_->perCpu) {
        for (const auto& ev : events) {
            for (const auto& f : ev.frames) {
                printed.emplace(f.address, f.name);
            }
        }
    }
    ASSERT_GT(printed.size(), 100u);
    for (const auto& [address, name] : printed) {
        EXPECT_EQ(names.name(address, FrameStyle::Function), name) << std::hex << address;
    }
}

TEST_F(StackNames, OffsetsFromKallsyms) {
    const auto syms = kallsyms(test::dataPath("irq_stack.dat"));
    ASSERT_GT(syms.size(), 1000u);
    FrameNames names(*store_);
    std::size_t checked = 0;
    for (const auto& [cpu, events] : report_->perCpu) {
        for (const auto& ev : events) {
            for (const auto& f : ev.frames) {
                auto it = syms.upper_bound(f.address);
                ASSERT_NE(it, syms.begin());
                --it;
                char off[32];
                std::snprintf(off, sizeof off, "+0x%llx",
                              static_cast<unsigned long long>(f.address - it->first));
                const std::string want = it->second + (f.address == it->first ? "" : off);
                ASSERT_EQ(names.name(f.address, FrameStyle::FunctionOffset), want);
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 5000u);
}

TEST_F(StackNames, FoldedCountsSumToStacks) {
    FrameNames names(*store_);
    const auto samples = stacksOfEvents(*store_, *index_, std::nullopt);
    const auto folded = foldedStacks(*store_, names, samples);
    std::uint64_t sum = 0;
    for (const auto& f : folded) {
        sum += f.count;
        EXPECT_EQ(f.frames.find(' '), std::string::npos) << f.frames; // no module symbols here
    }
    EXPECT_EQ(sum, reportStacksAfter("", ""));
    // Outermost first: every -T stack of this capture ends in the tracing hook.
    for (const auto& f : folded) {
        EXPECT_EQ(f.frames.substr(f.frames.rfind(';') + 1).rfind("trace_event_raw_event_", 0), 0u)
            << f.frames;
    }
}

TEST_F(StackNames, CliFoldedCountsSumToStacks) {
    const char* bin = std::getenv("IRQLENS_BIN_DIR");
    ASSERT_NE(bin, nullptr);
    const std::string out =
        run(std::string(bin) + "/irqlens-cli stacks '" + test::dataPath("irq_stack.dat") +
            "' --event irq:irq_handler_entry --folded");
    std::istringstream in(out);
    std::string line;
    std::uint64_t sum = 0;
    while (std::getline(in, line)) {
        sum += std::stoull(line.substr(line.rfind(' ') + 1));
        EXPECT_EQ(line.rfind("trace_event_raw_event_irq_handler_entry"), line.rfind(';') + 1);
    }
    EXPECT_EQ(sum, reportStacksAfter("irq_handler_entry", ""));
    EXPECT_GT(sum, 0u);
}

TEST_F(StackNames, CallTreesOfAnIrqCountItsEntries) {
    const Analysis analysis = analyze(*store_);
    const auto spans = spansOfClass(*store_, analysis, SpanKind::HardIrq, "36 virtio1-req.0");
    const auto begin = stacksOfSpans(*store_, analysis, *index_, spans, StackScope::BeginEvent);
    const auto want = reportStacksAfter("irq_handler_entry", "irq=36 name=virtio1-req.0");
    ASSERT_GT(want, 0u);
    EXPECT_EQ(sampleCount(begin), want);
    FrameNames names(*store_);
    const auto down = CallTree::build(*store_, names, begin, TreeDirection::TopDown);
    const auto up = CallTree::build(*store_, names, begin, TreeDirection::BottomUp);
    EXPECT_EQ(down.total(), want);
    EXPECT_EQ(up.total(), want);
    ASSERT_EQ(up.node(CallTree::kRoot).children.size(), 1u);
    const auto innermost = up.node(CallTree::kRoot).children[0];
    EXPECT_EQ(up.label(innermost), "trace_event_raw_event_irq_handler_entry");
    EXPECT_DOUBLE_EQ(up.percent(innermost), 100.0);
    // Inside the span: the entry's stack plus those of the queue/activate
    // events the handler made (irq_handler_exit's too).
    const auto inside = stacksOfSpans(*store_, analysis, *index_, spans, StackScope::WholeSpan);
    EXPECT_EQ(sampleCount(inside), reportStacksInsideIrq("irq=36 name=virtio1-req.0", "irq=36 "));
    EXPECT_GT(sampleCount(inside), want);
    // Self counts add up to the total in both directions.
    for (const CallTree* t : {&down, &up}) {
        std::uint64_t self = 0;
        for (const auto& n : t->nodes()) {
            self += n.self;
        }
        EXPECT_EQ(self, want);
    }
}

} // namespace
} // namespace irqlens
