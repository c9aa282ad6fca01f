// Key fields packed into `arg` (event_kind.h), comms and symbols, checked
// against the text `trace-cmd report` prints for the same events.
#include "parsers/capture_loader.h"
#include "tests/tracedat/report_reader.h"
#include "tests/tracedat/store_walk.h"

#include <cinttypes>
#include <cstdio>
#include <gtest/gtest.h>
#include <regex>

namespace irqlens::test {
namespace {

std::string hex(std::uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%" PRIx64, v);
    return buf;
}

std::string symbolName(const EventStore& store, std::uint64_t address) {
    auto sym = store.source()->symbol(address);
    return sym ? sym->name : "0x" + hex(address);
}

// The expected report text for the key fields of one event, built from the
// store; "" for kinds this test does not cover.
class FieldChecker {
public:
    explicit FieldChecker(const EventStore& store) : store_(store) {}

    // Returns a description of the mismatch, or "" when the store agrees.
    std::string check(EventRef ref, const ReportEvent& e) {
        const EventFields f = store_.event(ref);
        const EventKind kind = store_.type(f.type).kind;
        ++checked_[kind];
        switch (kind) {
        case EventKind::IrqHandlerEntry: {
            const IrqAction& a = store_.irqActions.get(f.arg);
            return expectInfo(e, "irq=" + std::to_string(a.irq) +
                                     " name=" + std::string(store_.strings.get(a.name)));
        }
        case EventKind::IrqHandlerExit:
            return expectInfo(e, "irq=" + std::to_string(f.arg & ~kIrqRetUnhandled) + " ret=" +
                                     ((f.arg & kIrqRetUnhandled) ? "unhandled" : "handled"));
        case EventKind::SoftirqRaise:
        case EventKind::SoftirqEntry:
        case EventKind::SoftirqExit:
            return expectInfo(e, "vec=" + std::to_string(f.arg) +
                                     " [action=" + std::string(softirqName(f.arg)) + "]");
        case EventKind::WorkStart: {
            const WorkItem& w = store_.works.get(f.arg);
            return expectInfo(e, "work struct 0x" + hex(w.work) + ": function " +
                                     symbolName(store_, w.function));
        }
        case EventKind::WorkQueue: {
            const WorkItem& w = store_.works.get(f.arg);
            return expectPrefix(e, "work struct=0x" + hex(w.work) +
                                       " function=" + symbolName(store_, w.function) + " ");
        }
        case EventKind::SchedSwitch:
            return checkSwitch(f, e);
        case EventKind::SchedWaking:
            return expectInfo(e, "comm=" + std::string(store_.comm(wakePid(f.arg), f.ts)) +
                                     " pid=" + std::to_string(wakePid(f.arg)) +
                                     " prio=" + field(e.info, R"(prio=(\d+))") +
                                     " target_cpu=" + threeDigits(wakeTargetCpu(f.arg)));
        case EventKind::KernelStack:
            return checkStack(f, e);
        default:
            --checked_[kind];
            return "";
        }
    }
    std::size_t checked(EventKind k) { return checked_[k]; }

private:
    static std::string threeDigits(std::uint32_t v) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%03u", v);
        return buf;
    }
    static std::string field(const std::string& text, const char* pattern) {
        std::smatch m;
        return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : "?";
    }
    static std::string expectInfo(const ReportEvent& e, const std::string& want) {
        return e.info == want ? "" : "report \"" + e.info + "\" store \"" + want + "\"";
    }
    static std::string expectPrefix(const ReportEvent& e, const std::string& want) {
        return e.info.starts_with(want) ? "" : "report \"" + e.info + "\" store \"" + want + "\"";
    }
    // "prev:pid [prio] S ==> next:pid [prio]": next pid and comm, prev state
    // (the sched_switch plugin's letters agree with the kernel's for R, S, D).
    std::string checkSwitch(const EventFields& f, const ReportEvent& e) {
        std::smatch m;
        static const std::regex re(R"(^(.*):(\d+) \[\d+\] (\S+) ==> (.*):(\d+) \[\d+\]$)");
        if (!std::regex_match(e.info, m, re)) {
            return "unparsed sched_switch \"" + e.info + "\"";
        }
        const std::uint32_t next = switchNextPid(f.arg);
        const std::string nextComm =
            next == 0 ? m[4].str() : std::string(store_.comm(int(next), f.ts));
        if (std::to_string(next) != m[5].str() || nextComm != m[4].str()) {
            return "next " + m[4].str() + ":" + m[5].str() + " store " + nextComm + ":" +
                   std::to_string(next);
        }
        const std::string state = m[3].str();
        const char letter = prevStateLetter(switchPrevState(f.arg));
        if ((state == "R" || state == "R+" || state == "S" || state == "D") && state[0] != letter) {
            return "prev state " + state + " store " + std::string(1, letter);
        }
        return "";
    }
    // "=> name (hexaddr)" lines equal the interned frames, symbolized.
    std::string checkStack(const EventFields& f, const ReportEvent& e) {
        const auto frames = store_.stacks.get(f.arg);
        if (frames.size() != e.stack.size()) {
            return "stack of " + std::to_string(frames.size()) + " frames, report has " +
                   std::to_string(e.stack.size());
        }
        for (std::size_t i = 0; i < frames.size(); ++i) {
            const auto sym = store_.source()->symbol(frames[i]);
            const std::string want = sym ? sym->name + " (" + hex(frames[i]) + ")" : hex(frames[i]);
            if (e.stack[i] != want) {
                return "frame " + std::to_string(i) + " report \"" + e.stack[i] + "\" store \"" +
                       want + "\"";
            }
        }
        return "";
    }

    const EventStore& store_;
    std::map<EventKind, std::size_t> checked_;
};

struct FieldResult {
    std::size_t mismatches = 0;
    std::string first;
    std::map<EventKind, std::size_t> checked;
};

FieldResult checkFields(const std::string& path) {
    const LoadResult result = loadCapture(path);
    EXPECT_TRUE(result.ok()) << result.error;
    FieldResult out;
    if (!result.ok()) {
        return out;
    }
    StoreWalk walk(*result.store);
    FieldChecker checker(*result.store);
    forEachReportEvent(path, [&](const ReportEvent& e) {
        if (auto ref = walk.match(e)) {
            const std::string problem = checker.check(*ref, e);
            if (!problem.empty() && out.mismatches++ == 0) {
                out.first = e.name + " at " + std::to_string(e.tsNs) + ": " + problem;
            }
        }
    });
    EXPECT_EQ(walk.mismatches(), 0u) << walk.firstMismatch();
    for (auto k : {EventKind::IrqHandlerEntry, EventKind::IrqHandlerExit, EventKind::SoftirqEntry,
                   EventKind::WorkStart, EventKind::WorkQueue, EventKind::SchedSwitch,
                   EventKind::SchedWaking, EventKind::KernelStack}) {
        out.checked[k] = checker.checked(k);
    }
    return out;
}

TEST(TraceDatFields, IrqWqKeyFieldsMatchReport) {
    const std::string path = dataPath("irq_wq.dat");
    const FieldResult r = checkFields(path);
    EXPECT_EQ(r.mismatches, 0u) << r.first;
    // The sample holds all of these (README); a check that ran on none proves nothing.
    EXPECT_GT(r.checked.at(EventKind::IrqHandlerEntry), 0u);
    EXPECT_GT(r.checked.at(EventKind::IrqHandlerExit), 0u);
    EXPECT_GT(r.checked.at(EventKind::SoftirqEntry), 0u);
    EXPECT_GT(r.checked.at(EventKind::WorkStart), 0u);
    EXPECT_GT(r.checked.at(EventKind::WorkQueue), 0u);
    EXPECT_GT(r.checked.at(EventKind::SchedSwitch), 0u);
    EXPECT_GT(r.checked.at(EventKind::SchedWaking), 0u);
}

TEST(TraceDatFields, IrqStackFramesMatchReport) {
    const std::string path = dataPath("irq_stack.dat");
    const FieldResult r = checkFields(path);
    EXPECT_EQ(r.mismatches, 0u) << r.first;
    EXPECT_GT(r.checked.at(EventKind::KernelStack), 100u);
    EXPECT_GT(r.checked.at(EventKind::IrqHandlerEntry), 0u);
}

TEST(TraceDatFields, NetV6KeyFieldsMatchReport) {
    const std::string path = dataPath("net_v6.dat");
    const FieldResult r = checkFields(path);
    EXPECT_EQ(r.mismatches, 0u) << r.first;
    EXPECT_GT(r.checked.at(EventKind::SoftirqEntry), 0u);
    EXPECT_GT(r.checked.at(EventKind::SchedSwitch), 0u);
}

} // namespace
} // namespace irqlens::test
