// The field corpus: real captures from public repositories, kept outside the
// repository (the shared field folder or $IRQLENS_FIELD_CORPUS, found by test_data.h; README.md
// there says where each comes from).  Every .dat is checked against the
// counts `trace-cmd report` gives for it (counts.json: total, per CPU, per
// event name); every .txt must load with every trace line in the store.
// Files added to the folder are picked up without code changes (a .dat
// without counts in counts.json fails until its counts are added).  The
// v7 captures compressed with zlib, which Debian's libtracecmd cannot
// read, are read by irqlens' own page decoder and checked like the others.
#include "parsers/capture_loader.h"
#include "tests/field/field_checks.h"
#include "tests/support/test_data.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

namespace fs = std::filesystem;

TEST(FieldCorpus, EveryTraceDatMatchesReportCounts) {
    const std::string dir = fieldCorpusDir();
    if (dir.empty()) {
        GTEST_SKIP() << fieldCorpusMissingReason();
    }
    std::ifstream countsFile(dir + "/counts.json");
    ASSERT_TRUE(countsFile) << dir << "/counts.json is missing";
    const CountsFile counts = CountsFile::parse(countsFile);
    const auto files = filesWithExtension(dir, ".dat");
    ASSERT_FALSE(files.empty()) << dir << " holds no .dat";
    for (const fs::path& file : files) {
        const std::string name = file.filename().string();
        SCOPED_TRACE(name);
        ASSERT_TRUE(counts.has(name)) << "counts.json has no entry for " << name;
        const LoadResult result = loadCapture(file.string());
        ASSERT_TRUE(result.ok()) << result.error;
        expectCounts(name, storeCounts(*result.store), counts.at(name));
        std::printf("%-55s %8zu events\n", name.c_str(), result.store->totalEvents());
    }
}

TEST(FieldCorpus, EveryTextCaptureLosesNoTraceLine) {
    const std::string dir = fieldCorpusDir();
    if (dir.empty()) {
        GTEST_SKIP() << fieldCorpusMissingReason();
    }
    const auto files = filesWithExtension(dir, ".txt");
    ASSERT_FALSE(files.empty()) << dir << " holds no .txt";
    for (const fs::path& file : files) {
        SCOPED_TRACE(file.filename().string());
        expectNoTraceLineLost(file.string());
    }
}

} // namespace
} // namespace irqlens::test
