#include "core/stacks/frame_names.h"

#include <cinttypes>
#include <cstdio>

namespace irqlens {
namespace {

std::string hexAddress(std::uint64_t address) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, address);
    return buf;
}

std::string functionName(const EventStore& store, std::uint64_t address) {
    const EventSource* source = store.source();
    const auto sym = source ? source->symbol(address) : std::nullopt;
    if (!sym) {
        return hexAddress(address);
    }
    return sym->module.empty() ? sym->name : sym->name + " [" + sym->module + "]";
}

} // namespace

const std::string& FrameNames::name(std::uint64_t address, FrameStyle style) {
    auto& cache = style == FrameStyle::Function ? function_ : withOffset_;
    auto it = cache.find(address);
    if (it == cache.end()) {
        std::string text = style == FrameStyle::Function ? functionName(*store_, address)
                                                         : store_->symbolize(address);
        it = cache.emplace(address, std::move(text)).first;
    }
    return it->second;
}

bool FrameNames::known(std::uint64_t address) const {
    const EventSource* source = store_->source();
    return source && source->symbol(address).has_value();
}

} // namespace irqlens
