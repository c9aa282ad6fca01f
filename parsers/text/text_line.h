// Parses one event line of the event-per-line text layouts:
//
//   trace-cmd report      "  <idle>-0     [001]   379.934929: softirq_raise:  vec=9 [action=RCU]"
//   trace-cmd report -l   "  <idle>-0       1d.h1.   379.934929: softirq_raise:  vec=9 ..."
//   kernel trace          "  <idle>-0       [001] d.h1.  3110.428472: irq_handler_entry: irq=36
//   ..." kernel, no irq-info   "  <idle>-0       [001]  3110.428472: ..." kernel, record-tgid   "
//   bash-1234  (  1234) [001] ....  12.000001: ..." kernel latency-format "  <idle>-0 1d.h1.
//   3110428472us : irq_handler_entry: ..." function tracer       "  bash-1234  [000]
//   .....  12.000001: do_sys_open <-__x64_sys_openat" stack events          "  ... 12.000001:
//   <stack trace>"  (then "=> frame" lines)
#pragma once

#include <cstdint>
#include <string_view>

namespace irqlens {

// What the part after the timestamp is (event_body.h).
enum class BodyForm : std::uint8_t {
    Named,        // "name: info", "<stack trace>", function tracer lines
    SyscallEnter, // syscall tracer "sys_ioctl(fd: ff, cmd: 5410)": name "ioctl", info the
                  // arguments
    SyscallExit,  // "sys_recvmsg -> 0x24": name "recvmsg", info the return value
    Printk,       // trace_printk "func+0x70/0x26c: message" (or "func <addr>: message"):
                  // name "bprint", info the whole text
    Unknown,      // anything else: name its first word, info the rest as raw text
};

struct EventLine {
    std::string_view comm;
    std::int32_t pid = 0;
    int cpu = 0;
    bool hasFlags = false;
    std::uint8_t flags = 0;   // LatencyFlag bits
    std::uint8_t preempt = 0; // preempt count | migrate-disable << 4
    std::int64_t ts = 0;      // ns
    BodyForm form = BodyForm::Named;
    std::string_view name;      // event name ("function" for function tracer lines)
    std::string_view info;      // the rest, trimmed
    std::size_t infoColumn = 0; // where info starts in the line
};

bool parseEventLine(std::string_view line, EventLine& out);

// "d.h1." -> flags/preempt; false when `text` is not a latency flags column.
bool parseLatencyFlags(std::string_view text, std::uint8_t& flags, std::uint8_t& preempt);
// "379.934929" -> ns (any number of fraction digits); false when not a timestamp.
bool parseSecondsTs(std::string_view text, std::int64_t& ns);

std::string_view trim(std::string_view s);
bool isIdentifierChar(char c);

} // namespace irqlens
