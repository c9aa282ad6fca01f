// The key field of a known event, read from its info text and packed into
// the store's `arg` as event_kind.h documents.  Both the kernel's own print
// formats ("prev_comm=a prev_pid=1 ...") and trace-cmd's plugin formats
// ("a:1 [120] S ==> b:2 [120]") are understood.
#pragma once

#include "core/model/event_kind.h"
#include "core/model/event_store.h"
#include "parsers/text/text_symbols.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace irqlens {

// A task name seen in an event's fields (sched_switch, sched_waking...).
struct CommSighting {
    std::int32_t pid = -1;
    std::string_view comm;
};

struct EventArgResult {
    std::uint32_t arg = 0;
    CommSighting comms[2];
};

// Returns nullopt when the info text of a known kind cannot be read.  Stack,
// funcgraph and Other kinds are not handled here (the caller builds them).
std::optional<EventArgResult> parseEventArg(EventKind kind, std::string_view info,
                                            EventStore& store, TextSymbols& symbols);

// The value of `key` ("irq=") in "a=1 irq=42 b=3", up to the next space.
std::optional<std::string_view> fieldValue(std::string_view info, std::string_view key);

// The system a text event belongs to, from its name (and info for the
// irq_vectors events, which share no prefix).  Text captures do not print it.
std::string_view guessSystem(std::string_view name, std::string_view info);

} // namespace irqlens
