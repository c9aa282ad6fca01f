// Names of stack frames, resolved through the capture's own kallsyms (and
// the module symbols in it) by the store's EventSource, cached per address.
#pragma once

#include "core/model/event_store.h"

#include <cstdint>
#include <string>
#include <unordered_map>

namespace irqlens {

enum class FrameStyle : std::uint8_t {
    Function,       // "process_one_work" - what aggregation groups by (any call site)
    FunctionOffset, // "process_one_work+0x1be" - like the kernel prints a return address
};

class FrameNames {
public:
    explicit FrameNames(const EventStore& store) : store_(&store) {}

    // Module symbols end with " [module]"; addresses outside kallsyms are
    // "0xffffffffc0a01234" (user stacks, or a capture without kallsyms).
    const std::string& name(std::uint64_t address, FrameStyle style);
    // Whether the address resolved to a symbol.
    bool known(std::uint64_t address) const;

private:
    const EventStore* store_;
    std::unordered_map<std::uint64_t, std::string> function_;
    std::unordered_map<std::uint64_t, std::string> withOffset_;
};

} // namespace irqlens
