// Which stacks to aggregate: those of a span class (all hard IRQ entries of
// irq N, all work items of function F, ...) or of one event type.
//
// Scope choice for spans (StackScope): by default the stack attached to the
// span's *begin* event - the path that led into the top half or bottom half
// (irq_handler_entry's stack ends in the interrupt entry code, a work item's
// in process_one_work).  WholeSpan takes every stack attached to any event
// inside the span on its CPU (begin..end inclusive), e.g. the paths of all
// queue_work and raise events a handler made; a stack counts once even when
// spans of the class nest.
#pragma once

#include "core/model/event_store.h"
#include "core/spans/span.h"
#include "core/stacks/frame_names.h"
#include "core/stacks/stack_index.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace irqlens {

struct StackSample {
    StackId stack = 0;
    std::uint64_t count = 0;
};

enum class StackScope : std::uint8_t { BeginEvent, WholeSpan };

struct StackKindFilter {
    bool kernel = true;
    bool user = false;
};

// Span ids of one kind, optionally only those whose spanKeyName is `keyName`.
std::vector<SpanId> spansOfClass(const EventStore& store, const Analysis& analysis, SpanKind kind,
                                 const std::optional<std::string>& keyName = std::nullopt);

std::vector<StackSample> stacksOfSpans(const EventStore& store, const Analysis& analysis,
                                       const StackIndex& index, const std::vector<SpanId>& spans,
                                       StackScope scope, StackKindFilter kinds = {});

// Stacks of every event of `type` (all events when nullopt).
std::vector<StackSample> stacksOfEvents(const EventStore& store, const StackIndex& index,
                                        std::optional<TypeId> type, StackKindFilter kinds = {});

// Keeps the samples with a frame whose function name contains `text`.
std::vector<StackSample> withFrameMatching(const EventStore& store, FrameNames& names,
                                           const std::vector<StackSample>& samples,
                                           std::string_view text);

std::uint64_t sampleCount(const std::vector<StackSample>& samples);

} // namespace irqlens
