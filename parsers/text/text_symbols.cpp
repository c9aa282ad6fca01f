#include "parsers/text/text_symbols.h"

#include <charconv>

namespace irqlens {

std::optional<std::uint64_t> parseHex(std::string_view text) {
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        text.remove_prefix(2);
    }
    if (text.empty() || text.size() > 16) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

namespace {
// Splits "name+0x1c/0x40" into name and offset.
std::string_view splitOffset(std::string_view text, std::uint64_t& offset) {
    offset = 0;
    const auto plus = text.rfind('+');
    if (plus == std::string_view::npos || plus == 0) {
        return text;
    }
    std::string_view off = text.substr(plus + 1);
    off = off.substr(0, off.find('/'));
    if (auto value = parseHex(off)) {
        offset = *value & ((1ull << kOffsetBits) - 1);
        return text.substr(0, plus);
    }
    return text;
}
} // namespace

std::uint64_t TextSymbols::addressOf(std::string_view text) {
    const bool looksHex = text.size() >= 8 || text.starts_with("0x");
    if (looksHex) {
        if (auto value = parseHex(text)) {
            return *value;
        }
    }
    std::uint64_t offset = 0;
    std::string_view name = splitOffset(text, offset);
    const StringId id = strings_->intern(name);
    return kSyntheticBase | (std::uint64_t(id) << kOffsetBits) | offset;
}

void TextSymbols::noteRealAddress(std::uint64_t address, std::string_view name) {
    if (isSyntheticAddress(address) || real_.contains(address)) {
        return;
    }
    std::uint64_t offset = 0;
    real_.emplace(address, strings_->intern(splitOffset(name, offset)));
}

std::optional<Symbol> TextSymbols::symbol(std::uint64_t address) const {
    if (isSyntheticAddress(address)) {
        const auto id = static_cast<StringId>((address & ~kSyntheticMask) >> kOffsetBits);
        if (id >= strings_->size()) {
            return std::nullopt;
        }
        const std::uint64_t start = address & ~((1ull << kOffsetBits) - 1);
        return Symbol{std::string(strings_->get(id)), start, {}};
    }
    if (auto it = real_.find(address); it != real_.end()) {
        // The text gives the address inside the function, not its start:
        // presenting it as the start shows the plain name, as the text did.
        return Symbol{std::string(strings_->get(it->second)), address, {}};
    }
    return std::nullopt;
}

} // namespace irqlens
