// Where a store's events came from, for what the store does not keep:
// every field of one event, and kernel symbols.  Implemented by each reader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace irqlens {

struct DecodedField {
    std::string name;
    std::string value; // as the kernel's print format would show it
};

struct Symbol {
    std::string name;
    std::uint64_t start = 0;
    std::string module; // "" for the core kernel
};

class EventSource {
public:
    virtual ~EventSource() = default;
    // Decode all fields of the event `indexInCpu` of `cpu`, given the source
    // offset of the anchor at or before it and how many events to skip.
    virtual std::vector<DecodedField> decode(int cpu, std::uint64_t anchorOffset,
                                             std::uint32_t skip) = 0;
    // The formatted event text (like trace-cmd report's info column).
    virtual std::string info(int cpu, std::uint64_t anchorOffset, std::uint32_t skip) = 0;
    virtual std::optional<Symbol> symbol(std::uint64_t address) const = 0;
};

} // namespace irqlens
