#include "core/record/trace_metadata.h"

#include <charconv>
#include <regex>

namespace irqlens {

namespace {
// The digits of a regex match; false when they do not fit (a broken or
// hostile target's header_page: a refusal, never an exception).
bool number(const std::ssub_match& digits, std::uint64_t& value) {
    const std::string text = digits.str();
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
}
} // namespace

bool parseHeaderPage(const std::string& headerPage, std::uint32_t& pageSize, int& longSize) {
    static const std::regex commit(R"(field:\s*local_t commit;\s*offset:\d+;\s*size:(\d+);)");
    static const std::regex data(R"(field:\s*char data;\s*offset:(\d+);\s*size:(\d+);)");
    std::smatch m;
    std::uint64_t commitSize = 0, dataOffset = 0, dataSize = 0;
    if (!std::regex_search(headerPage, m, commit) || !number(m[1], commitSize) ||
        !std::regex_search(headerPage, m, data) || !number(m[1], dataOffset) ||
        !number(m[2], dataSize)) {
        return false;
    }
    // Pages of at most 1 MiB (the kernel's sub-buffers go up to 4 MiB on
    // some kernels; nothing near 4 GiB).
    if ((commitSize != 4 && commitSize != 8) || dataOffset > (1u << 22) || dataSize > (1u << 22) ||
        dataOffset + dataSize < 64) {
        return false;
    }
    longSize = static_cast<int>(commitSize);
    pageSize = static_cast<std::uint32_t>(dataOffset + dataSize);
    return true;
}

} // namespace irqlens
