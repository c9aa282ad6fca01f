// PodColumn grows large blocks by realloc without copying them: the huge-page
// advice must leave a block glibc maps on its own as one mapping, or mremap
// fails and every doubling is a copy (a 2 s GUI stall at 32 M live events
// per CPU).  The mappings are read from /proc/self/maps, the kernel's view.
#include "core/model/pod_column.h"

#include <cstdint>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <vector>

namespace irqlens {
namespace {

// How many mappings of this process overlap [begin, end).
int mappingsOver(std::uintptr_t begin, std::uintptr_t end) {
    std::ifstream maps("/proc/self/maps");
    int count = 0;
    for (std::string line; std::getline(maps, line);) {
        std::istringstream in(line);
        std::uintptr_t from = 0, to = 0;
        char dash = 0;
        in >> std::hex >> from >> dash >> to;
        count += from < end && to > begin ? 1 : 0;
    }
    return count;
}

TEST(PodColumn, LargeBlockStaysOneMappingAndKeepsItsValuesWhenItGrows) {
    PodColumn<std::uint32_t> column;
    constexpr std::size_t kRoom = std::size_t(16) << 20; // 64 MB: mapped on its own
    column.reserve(kRoom);
    std::vector<std::uint32_t> chunk(1 << 16);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
        chunk[i] = static_cast<std::uint32_t>(i * 2654435761u);
    }
    while (column.size() + chunk.size() <= kRoom) {
        column.append(chunk.data(), chunk.size());
    }
    auto span = [&] {
        const auto begin = reinterpret_cast<std::uintptr_t>(column.begin());
        return std::pair{begin, begin + column.capacity() * sizeof(std::uint32_t)};
    };
    auto [b0, e0] = span();
    EXPECT_EQ(mappingsOver(b0, e0), 1) << "the huge-page advice split the block's mapping";
    column.append(chunk.data(), chunk.size()); // past the room: doubles
    EXPECT_GE(column.capacity(), 2 * kRoom);
    auto [b1, e1] = span();
    EXPECT_EQ(mappingsOver(b1, e1), 1);
    for (std::size_t i = 0; i < column.size(); i += 4099) {
        ASSERT_EQ(column[i], chunk[i % chunk.size()]) << "at " << i;
    }
}

} // namespace
} // namespace irqlens
