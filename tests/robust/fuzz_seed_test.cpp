// The trace.dat seeds of the fuzz corpus (each once crashed libtracecmd or
// kbuffer, see tests/fuzz/CMakeLists.txt) through the loader as it is now
// (layout walk, our page decoder): each loads or fails with one line naming
// the file, never crashes (under ASan in the asan preset) or hangs.  Runs in
// every build, not only the clang fuzz preset.
#include "tests/robust/child_load.h"
#include "tests/support/test_data.h"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

namespace fs = std::filesystem;

TEST(FuzzSeeds, EveryTraceDatSeedLoadsOrFailsCleanly) {
    const fs::path dir = fs::path(sourceDir()) / "tests/fuzz/corpus/tracedat";
    std::vector<std::string> seeds;
    for (const auto& entry : fs::directory_iterator(dir)) {
        seeds.push_back(entry.path().string());
    }
    std::sort(seeds.begin(), seeds.end());
    ASSERT_GE(seeds.size(), 8u) << "the seeds of " << dir;
    for (const std::string& seed : seeds) {
        const ChildLoad r = loadInChild(seed);
        EXPECT_TRUE(r.outcome == ChildLoad::Outcome::Loaded ||
                    r.outcome == ChildLoad::Outcome::FailedCleanly)
            << seed << ": " << outcomeName(r.outcome) << " " << r.crash;
        if (r.outcome == ChildLoad::Outcome::FailedCleanly) {
            EXPECT_EQ(r.error.rfind(seed + ": ", 0), 0u) << r.error;
        }
    }
}

} // namespace
} // namespace irqlens::test
