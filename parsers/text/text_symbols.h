// How a function known only by name in a text capture becomes an address.
//
// Text captures print functions as names (`%ps` fields, `=> name` stack
// frames, function_graph calls) while the model keeps 64-bit addresses.
// A name is interned in the store's StringPool and turned into a synthetic
// address: kSyntheticBase | (StringId << kOffsetBits) | offset, where offset is
// the `+0x1c` of "name+0x1c/0x40" (0 when absent).  kSyntheticBase lies in the
// non-canonical hole of 64-bit address spaces (no kernel or user address of
// x86_64, arm64 or any 32-bit machine can look like it), so a synthetic
// address never collides with a real one.
//
// When the text also prints the real address (trace-cmd's "=> name (ffff...)"
// stack frames, hex `%p` values), the real address is kept and remembered
// with its name, so symbolize() shows the name for it too.
#pragma once

#include "core/model/event_source.h"
#include "core/model/intern_pools.h"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace irqlens {

inline constexpr std::uint64_t kSyntheticBase = 0x5a00'0000'0000'0000ull;
inline constexpr std::uint64_t kSyntheticMask = 0xff00'0000'0000'0000ull;
inline constexpr unsigned kOffsetBits = 20;

constexpr bool isSyntheticAddress(std::uint64_t address) {
    return (address & kSyntheticMask) == kSyntheticBase;
}

class TextSymbols {
public:
    explicit TextSymbols(StringPool& strings) : strings_(&strings) {}

    // Address for a function printed as text: "name", "name+0x1c/0x40", or a
    // hex address ("0xffffffff81000000" / "ffffffff81000000").
    std::uint64_t addressOf(std::string_view text);
    // Remembers that `address` (printed by the text) belongs to `name`.
    void noteRealAddress(std::uint64_t address, std::string_view name);

    std::optional<Symbol> symbol(std::uint64_t address) const;
    std::size_t realCount() const { return real_.size(); }

private:
    StringPool* strings_;
    std::unordered_map<std::uint64_t, StringId> real_; // exact address -> name
};

// Parses a hex number with or without "0x"; nullopt when it is not one.
std::optional<std::uint64_t> parseHex(std::string_view text);

} // namespace irqlens
