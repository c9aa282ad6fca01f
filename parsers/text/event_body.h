// The part of an event line after its "TASK-PID [CPU] flags TIMESTAMP: "
// prefix.  Every body gives an event, so a line with that prefix is never
// lost:
//
//   "irq_handler_entry: irq=36 name=virtio1"       named event (Named)
//   "<stack trace>", "do_sys_open <-__x64_sys_open" stack / function tracer
//   "sys_ioctl(fd: ff, cmd: 5410, arg: 7ffe0babe8fc)" syscall tracer entry
//   "sys_recvmsg -> 0x24"                           syscall tracer exit
//   "__handle_irq_event_percpu+0x70/0x26c: [+] irq: [86] ..."  trace_printk
//   "bcm2835_mbox_work_callback <8066bb5c>: current process: ..." (sym-addr)
//   anything else                                   named by its first word
//
// Also used for the "/* ... */" comments of function_graph output, which
// print the same bodies inline.
#pragma once

#include "parsers/text/text_line.h"

#include <string>
#include <string_view>

namespace irqlens {

// Fills out.form, out.name and out.info from `body` (trimmed).  False only
// for an empty body.  `kernelLayout`: the kernel's own layout ("[001] d.h1."),
// where a bare "func+0x4/0x20" is a function tracer line without its parent.
bool parseEventBody(std::string_view body, bool kernelLayout, EventLine& out);

// The store's event name of a parsed body: "sys_enter_ioctl" for a syscall
// entry, "sys_exit_recvmsg" for an exit (the kernel's syscalls events), else
// out.name.
std::string eventNameOf(const EventLine& line);

// The printing function of a trace_printk body: "func+0x70/0x26c" or
// "func <8066bb5c>" (the text before ": ").
std::string_view printkSymbol(std::string_view info);
// The message of a trace_printk body (the text after the symbol's ": ").
std::string_view printkMessage(std::string_view info);

} // namespace irqlens
