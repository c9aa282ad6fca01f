// Which spans an instant lies in: the hard IRQ a trace_printk was printed
// from, the work item a message came from.  A binary search per span kind
// over Analysis::spans (sorted by cpu, kind, start).
#pragma once

#include "core/spans/span.h"

#include <vector>

namespace irqlens {

// Spans on `cpu` with start <= ts <= end, innermost (latest start) first
// within each kind, kinds in SpanKind order (task runs: TaskRuns ids).  Looks back at most
// kSpanLookback spans of a kind (nesting is never that deep).
std::vector<SpanId> spansAround(const Analysis& analysis, int cpu, std::int64_t ts);

inline constexpr std::size_t kSpanLookback = 64;

} // namespace irqlens
