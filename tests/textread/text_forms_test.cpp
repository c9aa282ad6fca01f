// Text lines seen in other people's captures that must never be lost: the
// syscall tracer's lines (in a file without a header), trace_printk lines,
// bodies we do not know, the x86-tsc clock's integer timestamps glued to the
// CPU, module functions in function_graph output, and timestamps too large
// for nanoseconds.  Expected values are read off the lines written here.
#include "core/spans/span.h"
#include "core/spans/span_lookup.h"
#include "parsers/capture_loader.h"
#include "tests/textread/test_util.h"

#include <gtest/gtest.h>
#include <map>

namespace irqlens {
namespace {

// A capture written for the test; the file stays while the result lives
// (fields are decoded from it on demand).
struct TextCapture {
    TextCapture(const std::string& name, const std::string& text) : path(test::tempPath(name)) {
        test::writeFile(path, text);
        result = loadCapture(path);
    }
    ~TextCapture() { std::remove(path.c_str()); }
    TextCapture(const TextCapture&) = delete;
    TextCapture& operator=(const TextCapture&) = delete;
    std::string path;
    LoadResult result;
};

std::map<std::string, std::string> fieldsOf(const EventStore& store, EventRef ref) {
    std::map<std::string, std::string> out;
    for (const auto& f : store.decode(ref)) {
        out[f.name] = f.value;
    }
    return out;
}

// The syscall tracer (events/syscalls) as the kernel prints it in `trace`,
// cut from a longer file: no header at all.
TEST(TextForms, SyscallTracerLinesWithoutAHeaderLoad) {
    const TextCapture capture(
        "syscalls.txt",
        "            bash-1234    [002] .... 12345.678901: sys_ioctl(fd: ff, cmd: 5410, arg: "
        "7ffe0babe8fc)\n"
        "            bash-1234    [002] .... 12345.678910: sys_ioctl -> 0x0\n"
        " systemd-journal-321     [000] .... 12345.679001: sys_recvmsg(fd: 7, msg: 7ffd5e0c1a50, "
        "flags: 40)\n"
        " systemd-journal-321     [000] .... 12345.679020: sys_recvmsg -> 0x24\n");
    const LoadResult& r = capture.result;
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    ASSERT_EQ(store.totalEvents(), 4u);
    EXPECT_EQ(store.info().unparsedLines, 0u);
    const EventRef enter{2, 0}, exit{2, 1}, recvExit{0, 1};
    EXPECT_EQ(store.type(store.event(enter).type).fullName(), "syscalls:sys_enter_ioctl");
    EXPECT_EQ(store.type(store.event(exit).type).fullName(), "syscalls:sys_exit_ioctl");
    EXPECT_EQ(store.type(store.event(recvExit).type).fullName(), "syscalls:sys_exit_recvmsg");
    EXPECT_EQ(store.event(enter).ts, 12345678901000);
    EXPECT_EQ(store.event(enter).pid, 1234);
    const auto args = fieldsOf(store, enter);
    EXPECT_EQ(args.at("fd"), "ff");
    EXPECT_EQ(args.at("cmd"), "5410");
    EXPECT_EQ(args.at("arg"), "7ffe0babe8fc");
    EXPECT_EQ(fieldsOf(store, recvExit).at("ret"), "0x24");
}

// A Raspberry Pi `trace` with trace_printk lines (sym-offset on) inside the
// hard IRQ that printed them.
constexpr const char* kPrintkInIrq =
    "# tracer: nop\n"
    "          <idle>-0     [000] d.h.   551.393630: irq_handler_entry: irq=86 name=mmc1\n"
    "          <idle>-0     [000] d.h.   551.393641: __handle_irq_event_percpu+0x70/0x26c: [+] "
    "irq: [86] handler: bcm2835_mmc_irq+0x0/0x6ec\n"
    "          <idle>-0     [000] d.h.   551.393650: irq_handler_exit: irq=86 ret=handled\n";

TEST(TextForms, TracePrintkLinesAreBprintEventsInsideTheirIrq) {
    const TextCapture capture("printk.txt", kPrintkInIrq);
    const LoadResult& r = capture.result;
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    ASSERT_EQ(store.totalEvents(), 3u);
    const EventRef printk{0, 1};
    const EventFields e = store.event(printk);
    EXPECT_EQ(store.type(e.type).fullName(), "ftrace:bprint");
    EXPECT_EQ(store.type(e.type).kind, EventKind::Print);
    EXPECT_EQ(store.symbolize(store.addresses.get(e.arg)), "__handle_irq_event_percpu+0x70");
    const auto fields = fieldsOf(store, printk);
    EXPECT_EQ(fields.at("ip"), "__handle_irq_event_percpu+0x70/0x26c");
    EXPECT_EQ(fields.at("message"), "[+] irq: [86] handler: bcm2835_mmc_irq+0x0/0x6ec");

    const Analysis a = analyze(store);
    const auto around = spansAround(a, 0, e.ts);
    ASSERT_EQ(around.size(), 1u);
    const Span& irq = a.spans[around[0]];
    EXPECT_EQ(irq.kind, SpanKind::HardIrq);
    EXPECT_EQ(spanKeyName(store, irq), "86 mmc1");
    EXPECT_EQ(irq.begin, (EventRef{0, 0}));
    EXPECT_EQ(irq.finish, (EventRef{0, 2}));
}

// The wikibook excerpt (tests/data, from a Raspberry Pi): two trace_printk
// lines in sym-addr form printed by the work function while its item runs.
TEST(TextForms, SymAddrPrintkSitsInsideItsWorkItem) {
    const LoadResult r = loadCapture(test::dataPath("wikibook-rpi-workqueue-symaddr-excerpt.txt"));
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    const Analysis a = analyze(store);
    int found = 0;
    const CpuEvents& cpu0 = store.cpu(0);
    for (std::uint32_t i = 0; i < cpu0.size(); ++i) {
        if (store.type(cpu0.type(i)).kind != EventKind::Print) {
            continue;
        }
        ++found;
        EXPECT_EQ(store.symbolize(store.addresses.get(cpu0.arg(i))), "bcm2835_mbox_work_callback");
        std::vector<SpanKind> kinds;
        for (SpanId id : spansAround(a, 0, cpu0.ts(i))) {
            const Span s = a.spanAt(id); // task runs too
            kinds.push_back(s.kind);
            if (s.kind == SpanKind::Workqueue) {
                EXPECT_EQ(spanKeyName(store, s), "bcm2835_mbox_work_callback");
                EXPECT_EQ(s.start, 181354033000); // workqueue_execute_start
                EXPECT_EQ(s.end, 181354273000);   // workqueue_execute_end
            }
        }
        EXPECT_NE(std::find(kinds.begin(), kinds.end(), SpanKind::Workqueue), kinds.end());
    }
    EXPECT_EQ(found, 2); // lines 45 and 46 of the excerpt
}

TEST(TextForms, UnknownBodyIsKeptAsRawText) {
    const TextCapture capture(
        "unknown.txt", "# tracer: nop\n"
                       "     foo-12    [001] .... 100.000001: sched_switch: prev_comm=foo "
                       "prev_pid=12 prev_prio=120 prev_state=S ==> next_comm=bar next_pid=13 "
                       "next_prio=120\n"
                       "     bar-13    [001] .... 100.000002: my driver said (hello) 42\n"
                       "this is not a trace line\n");
    const LoadResult& r = capture.result;
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    ASSERT_EQ(store.totalEvents(), 2u);
    EXPECT_EQ(store.info().unparsedLines, 1u);
    const EventTypeInfo& type = store.type(store.cpu(1).type(1));
    EXPECT_EQ(type.name, "my");
    EXPECT_EQ(type.kind, EventKind::Other);
    EXPECT_EQ(fieldsOf(store, {1, 1}).at("info"), "driver said (hello) 42");
}

// trace-cmd report of an x86-tsc capture (the HIP24 KVM host file of the
// field corpus): the integer clock glued to the CPU column.
TEST(TextForms, TscTimestampGluedToTheCpuField) {
    const TextCapture capture(
        "tsc.txt", "cpus=20\n"
                   "       CPU 5/KVM-4050  [005]303280081900681: kvm_entry:            vcpu 0, rip "
                   "0xffffffff81c2a6fb\n"
                   "       CPU 5/KVM-4050  [005]303280081903017: kvm_exit:             reason "
                   "MSR_WRITE rip 0xffffffff8107b3d8 info 0 0\n");
    const LoadResult& r = capture.result;
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    ASSERT_EQ(store.totalEvents(), 2u);
    ASSERT_EQ(store.cpu(5).size(), 2u);
    EXPECT_EQ(store.cpu(5).ts(0), 303280081900681);
    EXPECT_EQ(store.cpu(5).ts(1), 303280081903017);
    EXPECT_EQ(store.cpu(5).pid(0), 4050);
    EXPECT_EQ(store.comm(4050, 303280081900681), "CPU 5/KVM");
}

// 10^10 seconds do not fit in int64 nanoseconds: the line is not a trace
// line (counted), never an overflow (UBSan in the asan preset).
TEST(TextForms, TimestampBeyondNanosecondRangeIsNotParsed) {
    const TextCapture capture(
        "huge-ts.txt",
        "# tracer: nop\n"
        "  <idle>-0  [000] d.h. 10000000000.000000: irq_handler_entry: irq=1 name=a\n"
        "  <idle>-0  [000] d.h. 9223372036.854775: irq_handler_entry: irq=1 name=a\n"
        "  <idle>-0  [000] d.h. 100.000000: irq_handler_exit: irq=1 ret=handled\n");
    const LoadResult& r = capture.result;
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.store->totalEvents(), 2u);
    EXPECT_EQ(r.store->info().unparsedLines, 1u);
    EXPECT_EQ(r.store->cpu(0).ts(0), 9223372036854775000);
}

// function_graph prints a module's functions with their module: "e1000_clean [e1000]()".
TEST(TextForms, ModuleFunctionsInFunctionGraph) {
    const TextCapture capture(
        "module-graph.txt",
        "# tracer: function_graph\n"
        " 9344.122354 |   1)   ksoftir-21   |  ..s. |               |  e1000_clean [e1000]() {\n"
        " 9344.122358 |   1)   ksoftir-21   |  ..s. |   1.747 us    |    e1000_clean_rx_irq "
        "[e1000]();\n"
        " 9344.122365 |   1)   ksoftir-21   |  ..s. | + 10.719 us   |  }\n");
    const LoadResult& r = capture.result;
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    ASSERT_EQ(store.totalEvents(), 4u);
    EXPECT_EQ(store.info().unparsedLines, 0u);
    const auto fn = [&](std::uint32_t i) {
        return store.symbolize(store.addresses.get(funcAddressId(store.cpu(1).arg(i))));
    };
    EXPECT_EQ(fn(0), "e1000_clean");
    EXPECT_EQ(fn(1), "e1000_clean_rx_irq");
    EXPECT_EQ(fn(3), "e1000_clean");
}

} // namespace
} // namespace irqlens
