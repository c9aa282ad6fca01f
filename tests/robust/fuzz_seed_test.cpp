// The trace.dat seeds of the fuzz corpus (each once crashed libtracecmd or
// kbuffer, see tests/fuzz/CMakeLists.txt) through the loader as it is now
// (layout walk, our page decoder): each loads or fails with one line naming
// the file, never crashes (under ASan in the asan preset) or hangs.  Runs in
// every build, not only the clang fuzz preset.
#include "parsers/capture_loader.h"
#include "tests/robust/child_load.h"
#include "tests/support/test_data.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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

// ASan reserves terabytes of address space, so RLIMIT_AS cannot bound an
// ASan build's memory: the ASan preset does not build this test (a skip
// there would be a skip without a needs-* reason); the ci preset runs it.
#if !defined(__SANITIZE_ADDRESS__)

// A capture larger than the memory allowed: one message, never an uncaught
// bad_alloc (the child's address space is limited to 200 MB; big.dat's
// 3.2 M events take ~52 MB of columns plus libtracecmd's kallsyms).
// The process's mapped address space now (/proc/self/statm, first field).
rlim_t currentAddressSpaceBytes() {
    std::ifstream statm("/proc/self/statm");
    rlim_t pages = 0;
    statm >> pages;
    return pages * rlim_t(::sysconf(_SC_PAGESIZE));
}

TEST(OutOfMemory, ALoadThatCannotGetItsMemorySaysSoInOneLine) {
    int pipeFds[2];
    ASSERT_EQ(::pipe(pipeFds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(pipeFds[0]);
        // big.dat's columns need about 70 MB (3.25 M events at ~21 B): allow
        // 40 MB more address space than the process has now.
        const rlim_t allowed = currentAddressSpaceBytes() + (40u << 20);
        rlimit limit{allowed, allowed};
        ::setrlimit(RLIMIT_AS, &limit);
        const LoadResult r = loadCapture(dataPath("big.dat"));
        const std::string text = r.ok() ? "loaded" : r.error;
        (void)!::write(pipeFds[1], text.data(), text.size());
        ::_exit(0);
    }
    ::close(pipeFds[1]);
    std::string text;
    char buffer[512];
    for (ssize_t n; (n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0;) {
        text.append(buffer, std::size_t(n));
    }
    ::close(pipeFds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the child died: " << status;
    EXPECT_NE(text.find("big.dat: not enough memory: about "), std::string::npos) << text;
    EXPECT_NE(text.find(" GB"), std::string::npos) << text;
}
#endif // !__SANITIZE_ADDRESS__

} // namespace
} // namespace irqlens::test
