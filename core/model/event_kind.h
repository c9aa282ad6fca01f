// The event kinds the analyses understand, and how each one packs its key
// field into the store's 32-bit `arg` column.  Every reader (trace.dat, text)
// must fill `arg` exactly as documented here; the span builder relies on it.
#pragma once

#include <cstdint>
#include <string_view>

namespace irqlens {

enum class EventKind : std::uint8_t {
    Other = 0,       // arg = 0; fields decoded on demand from the source
    IrqHandlerEntry, // arg = IrqActionId (interned (irq, name) pair)
    IrqHandlerExit,  // arg = irq number | (ret==handled ? 0 : kIrqRetUnhandled)
    SoftirqRaise,    // arg = vector (0..9)
    SoftirqEntry,    // arg = vector
    SoftirqExit,     // arg = vector
    TaskletEntry,    // arg = AddressId of the tasklet function (0 if unknown)
    TaskletExit,     // arg = AddressId of the tasklet function
    WorkQueue,       // workqueue_queue_work:      arg = WorkId (interned (work, function))
    WorkActivate,    // workqueue_activate_work:   arg = WorkId (function may be 0)
    WorkStart,       // workqueue_execute_start:   arg = WorkId
    WorkEnd,         // workqueue_execute_end:     arg = WorkId (function may be 0)
    SchedSwitch,     // arg = packSwitch(next_pid, prev_state code); prev pid = common pid
    SchedWaking,     // arg = packWake(pid, target_cpu)
    SchedWakeup,     // arg = packWake(pid, target_cpu)
    SchedWakeupNew,  // arg = packWake(pid, target_cpu)
    KernelStack,     // ftrace:kernel_stack: arg = StackId
    UserStack,       // ftrace:user_stack:   arg = StackId
    VectorEntry,     // x86 irq_vectors:*_entry: arg = vector; name of the event = the key
                     // (EventStore::finish interns IrqAction{-1, "local_timer"} etc.)
    VectorExit,      // x86 irq_vectors:*_exit
    IpiEntry,        // ipi:ipi_entry (arm64): arg = StringId of the reason
    IpiExit,         // ipi:ipi_exit: arg = StringId of the reason (as ipi_entry)
    FuncgraphEntry,  // ftrace:funcgraph_entry: arg = packFunc(AddressId, depth)
    FuncgraphExit,   // ftrace:funcgraph_exit:  arg = packFunc(AddressId, depth)
    Function,        // ftrace:function: arg = AddressId of ip
    Print,           // ftrace:bprint / print / bputs (trace_printk, trace_marker): arg =
                     // AddressId of ip (the function that printed); the message is
                     // decoded on demand
    Count
};

// Classifies an event by system and name ("irq", "irq_handler_entry").
EventKind classifyEvent(std::string_view system, std::string_view name);

inline constexpr std::uint32_t kIrqRetUnhandled = 0x8000'0000u;
inline constexpr std::uint32_t kPidBits = 22; // pid_max is at most 2^22

// sched_switch prev_state, reduced to a 4-bit code: 0 = R (still runnable,
// i.e. preempted), 1 = S, 2 = D, 3 = T, 4 = t, 5 = X, 6 = Z, 7 = P, 8 = I,
// 15 = unknown.  The kernel's "R+" (preempted) also maps to 0.
enum class PrevState : std::uint8_t { Running = 0, Sleeping = 1, DiskSleep = 2, Unknown = 15 };
std::uint8_t prevStateCode(std::int64_t rawPrevState);
char prevStateLetter(std::uint8_t code);

constexpr std::uint32_t packSwitch(std::uint32_t nextPid, std::uint8_t stateCode) {
    return (nextPid & ((1u << kPidBits) - 1)) | (std::uint32_t(stateCode & 0xf) << kPidBits);
}
constexpr std::uint32_t switchNextPid(std::uint32_t arg) {
    return arg & ((1u << kPidBits) - 1);
}
constexpr std::uint8_t switchPrevState(std::uint32_t arg) {
    return (arg >> kPidBits) & 0xf;
}

constexpr std::uint32_t packWake(std::uint32_t pid, std::uint32_t targetCpu) {
    return (pid & ((1u << kPidBits) - 1)) | ((targetCpu & 0x3ff) << kPidBits);
}
constexpr std::uint32_t wakePid(std::uint32_t arg) {
    return arg & ((1u << kPidBits) - 1);
}
constexpr std::uint32_t wakeTargetCpu(std::uint32_t arg) {
    return arg >> kPidBits;
}

constexpr std::uint32_t packFunc(std::uint32_t addressId, std::uint32_t depth) {
    return (addressId & 0x00ff'ffffu) | ((depth & 0xffu) << 24);
}
constexpr std::uint32_t funcAddressId(std::uint32_t arg) {
    return arg & 0x00ff'ffffu;
}
constexpr std::uint32_t funcDepth(std::uint32_t arg) {
    return arg >> 24;
}

// Latency-format flags (common_flags of every event), as the kernel defines them.
namespace LatencyFlag {
inline constexpr std::uint8_t IrqsOff = 0x01;
inline constexpr std::uint8_t IrqsNoSupport = 0x02;
inline constexpr std::uint8_t NeedResched = 0x04;
inline constexpr std::uint8_t HardIrq = 0x08;
inline constexpr std::uint8_t SoftIrq = 0x10;
inline constexpr std::uint8_t PreemptResched = 0x20;
inline constexpr std::uint8_t Nmi = 0x40;
inline constexpr std::uint8_t BhOff = 0x80;
} // namespace LatencyFlag

// Softirq vector names in kernel order (HI=0 ... RCU=9).
std::string_view softirqName(std::uint32_t vector);
inline constexpr std::uint32_t kSoftirqHi = 0;
inline constexpr std::uint32_t kSoftirqTasklet = 6;

} // namespace irqlens
