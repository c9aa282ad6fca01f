// analyze() on random event sequences: every kind, random args, CPUs, pids,
// lost-event marks and time steps (non-decreasing per CPU, as a reader gives).
#include "core/spans/span.h"
#include "tests/spans/test_store.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    constexpr int kCpus = 3;
    irqlens::test::TestStore s(kCpus);
    std::int64_t ts[kCpus] = {1, 1, 1};
    for (std::size_t i = 0; i + 3 < size; i += 4) {
        const int cpu = data[i] % kCpus;
        const std::uint8_t op = data[i + 1];
        const int a = data[i + 2] % 12; // small values: irqs, vectors, works collide
        ts[cpu] += data[i + 3] % 4 == 0 ? 0 : data[i + 3];
        const std::int64_t t = ts[cpu];
        switch (op % 22) {
        case 0:
            s.irqEntry(cpu, t, a, a % 2 ? "eth0" : "timer");
            break;
        case 1:
            s.irqExit(cpu, t, a, op & 0x80);
            break;
        case 2:
            s.raise(cpu, t, a % 10);
            break;
        case 3:
            s.softEntry(cpu, t, a % 10);
            break;
        case 4:
            s.softExit(cpu, t, a % 10);
            break;
        case 5:
            s.taskletEntry(cpu, t, 0x1000 + a);
            break;
        case 6:
            s.taskletExit(cpu, t, 0x1000 + a);
            break;
        case 7:
            s.queueWork(cpu, t, 0x2000 + a, 0x3000 + (op >> 5));
            break;
        case 8:
            s.activateWork(cpu, t, 0x2000 + a);
            break;
        case 9:
            s.workStart(cpu, t, 0x2000 + a, 0x3000 + (op >> 5));
            break;
        case 10:
            s.workEnd(cpu, t, 0x2000 + a);
            break;
        case 11:
            s.switchTo(cpu, t, a * 10, "RSDX"[op >> 6]);
            break;
        case 12:
            s.waking(cpu, t, a * 10, (op >> 5) % kCpus);
            break;
        case 13:
            s.vectorEntry(cpu, t, "local_timer", 236);
            break;
        case 14:
            s.vectorExit(cpu, t, "local_timer", 236);
            break;
        case 15:
            s.funcEntry(cpu, t, 0x4000 + a, op >> 5);
            break;
        case 16:
            s.funcExit(cpu, t, 0x4000 + a, op >> 5);
            break;
        case 17:
            s.drop(cpu, t, op & 1 ? -1 : a);
            break;
        case 18:
            s.current(cpu, a * 10);
            break;
        case 19:
            s.comm(a * 10, "task");
            break;
        default:
            s.other(cpu, t);
            break;
        }
    }
    const auto store = s.finish();
    (void)irqlens::analyze(*store);
    return 0;
}
