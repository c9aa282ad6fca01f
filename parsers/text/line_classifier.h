// What one line of a text capture is, decided from the line alone (no state),
// so that the loader and the EventSource (which re-reads lines to decode an
// event) always agree on how many events a line holds and on which CPU.
#pragma once

#include "parsers/text/graph_line.h"
#include "parsers/text/text_line.h"

#include <cstdint>
#include <string_view>

namespace irqlens {

enum class TextFormat {
    EventLines,    // trace-cmd report (default or -l), the kernel's trace / trace_pipe
    FunctionGraph, // the kernel's function_graph tracer output
};

enum class LineKind {
    Blank,      // empty line
    Header,     // "# ...", "cpus=2", "version = 6", "CPU 0 is empty", ...
    Missed,     // "CPU:1 [LOST 12 EVENTS]", "CPU:1 [12 EVENTS DROPPED]"
    StackFrame, // "=> name (addr)" after a kernel_stack / user_stack event
    Event,      // one event line (EventLines)
    Graph,      // one function_graph line (FunctionGraph)
    Bad,        // did not parse
};

struct ClassifiedLine {
    LineKind kind = LineKind::Bad;
    EventLine event; // kind == Event
    GraphLine graph; // kind == Graph
    GraphCall call;  // kind == Event and a funcgraph_entry/exit event: its call column
    bool hasCall = false;
    int headerCpus = 0; // "cpus=N" / "#P:N" headers
    int missedCpu = 0;  // kind == Missed
    std::int64_t missedCount = -1;
};

ClassifiedLine classifyLine(std::string_view line, TextFormat format);

// How many events the line adds to the store (a funcgraph leaf adds an
// entry and an exit), and to which CPU.
int eventCount(const ClassifiedLine& line);
int eventCpu(const ClassifiedLine& line);

} // namespace irqlens
