#include "core/record/trace_metadata.h"

#include <regex>

namespace irqlens {

bool parseHeaderPage(const std::string& headerPage, std::uint32_t& pageSize, int& longSize) {
    static const std::regex commit(R"(field:\s*local_t commit;\s*offset:\d+;\s*size:(\d+);)");
    static const std::regex data(R"(field:\s*char data;\s*offset:(\d+);\s*size:(\d+);)");
    std::smatch m;
    if (!std::regex_search(headerPage, m, commit))
        return false;
    longSize = std::stoi(m[1].str());
    if (!std::regex_search(headerPage, m, data))
        return false;
    pageSize = static_cast<std::uint32_t>(std::stoul(m[1].str()) + std::stoul(m[2].str()));
    return (longSize == 4 || longSize == 8) && pageSize >= 64;
}

} // namespace irqlens
