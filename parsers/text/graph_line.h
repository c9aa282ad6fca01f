// The function_graph layout, as the kernel writes it to `trace` and as
// trace-cmd prints funcgraph_entry/funcgraph_exit events:
//
//   [abstime |] [ cpu)] [proc |] [lat flags] [mark duration us] |  <indent>call
//
// where call is "func() {" (entry), "func();" (leaf: entry and exit merged),
// "}" or "} /* func */" (exit), or "/* text */" (a comment: trace_printk or
// another trace event printed inline).  The indent is 2 spaces per depth.
// Other lines of that output: "------" separators around CPU-switch lines
// " 1)  bash-1234  =>  kworker-56 ", and " 0)  ==========> |" IRQ markers.
#pragma once

#include <cstdint>
#include <string_view>

namespace irqlens {

struct GraphCall {
    enum class Type { Enter, Leaf, Exit, Comment };
    Type type = Type::Enter;
    std::string_view function; // empty for an exit printed as a bare "}"
    std::string_view comment;  // text inside /* */ of a Comment
    int depth = 0;
    std::int64_t durationNs = -1; // -1: none printed
};

// Parses the duration column and the call column of a funcgraph event's
// info text ("+ 11.945 us  |    }").
bool parseGraphInfo(std::string_view info, GraphCall& out);
// Parses the call column (the text right after its '|').
bool parseGraphColumn(std::string_view column, GraphCall& out);
// "+ 11.945 us", "1234567 us", or blank (-> -1).  False when it is neither.
bool parseGraphDuration(std::string_view text, std::int64_t& ns);

struct GraphLine {
    enum class Type { Call, CpuSwitch, Separator, IrqMark };
    Type type = Type::Call;
    bool hasTs = false;
    std::int64_t ts = 0;
    int cpu = 0;
    bool hasPid = false; // proc column, or the task switched to on a CpuSwitch line
    std::string_view comm;
    std::int32_t pid = 0;
    bool hasFlags = false;
    std::uint8_t flags = 0;
    std::uint8_t preempt = 0;
    GraphCall call;
    std::size_t column = 0; // where the call column starts in the line
};

// A line of the kernel's function_graph tracer output.
bool parseGraphLine(std::string_view line, GraphLine& out);

} // namespace irqlens
