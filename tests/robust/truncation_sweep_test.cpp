// Every trace.dat capture of samples/ and tests/data/ (but big.dat) cut at every 64 KiB boundary and at odd offsets (inside the
// header, mid-section, the last byte): loadCapture() must either load what
// is complete (a warning naming the offset when events were lost) or fail
// with one line naming the file — never crash, trip a sanitizer, or hang.
// Each load runs in a forked child bounded by alarm() (child_load.h).
#include "tests/robust/child_load.h"
#include "tests/support/test_data.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

namespace irqlens::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> traceDatSamples() {
    std::vector<std::string> files;
    for (const std::string& dir : {sourceDir() + "/samples", sourceDir() + "/tests/data"}) {
        for (const auto& entry : fs::directory_iterator(dir)) {
            const fs::path& p = entry.path();
            if (p.extension() == ".dat" && p.filename() != "big.dat") {
                files.push_back(p.string());
            }
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

// 64 KiB boundaries plus odd offsets; deterministic, largest first (the copy
// is shrunk in place with truncate(), so each cut costs no copying).
std::vector<std::uint64_t> cutOffsets(std::uint64_t size) {
    std::vector<std::uint64_t> cuts = {
        1,   9,    10,   12,       13,           17,          18,        40,
        100, 4095, 4097, size / 3, size / 2 + 7, size - 4097, size - 17, size - 1};
    for (std::uint64_t at = 65536; at < size; at += 65536) {
        cuts.push_back(at);
    }
    std::erase_if(cuts, [size](std::uint64_t c) { return c == 0 || c >= size; });
    std::sort(cuts.begin(), cuts.end(), std::greater<>());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    return cuts;
}

struct SweepCounts {
    int cuts = 0, loaded = 0, failedCleanly = 0, bad = 0;
};

// Checks one cut; returns false (and records a failure) on a crash, hang or
// an unclear message.
void checkCut(const std::string& file, std::uint64_t cut, std::uint64_t fullEvents,
              SweepCounts& counts) {
    const ChildLoad r = loadInChild(file);
    ++counts.cuts;
    const std::string where = file + " cut at " + std::to_string(cut);
    switch (r.outcome) {
    case ChildLoad::Outcome::Crashed:
    case ChildLoad::Outcome::Hung:
        ++counts.bad;
        ADD_FAILURE() << where << ": " << outcomeName(r.outcome) << ": " << r.crash;
        return;
    case ChildLoad::Outcome::FailedCleanly:
        ++counts.failedCleanly;
        EXPECT_EQ(r.error.rfind(file + ": ", 0), 0u) << where << ": " << r.error;
        EXPECT_EQ(r.error.find("\\n"), std::string::npos) << "one line: " << r.error;
        EXPECT_GT(r.error.size(), file.size() + 10) << "says what is wrong: " << r.error;
        return;
    case ChildLoad::Outcome::Loaded:
        ++counts.loaded;
        EXPECT_LE(r.events, fullEvents) << where;
        if (r.events < fullEvents) {
            // Events were lost: a warning must name where the file ends.
            const bool named = std::any_of(r.warnings.begin(), r.warnings.end(), [&](auto& w) {
                return w.find(std::to_string(cut)) != std::string::npos;
            });
            EXPECT_TRUE(named) << where << ": loaded " << r.events << " of " << fullEvents
                               << " events without a warning naming offset " << cut;
        }
        return;
    }
}

TEST(TruncationSweep, EveryTraceDatSampleAtEvery64KiBAndOddOffsets) {
    const auto samples = traceDatSamples();
    ASSERT_GE(samples.size(), 6u) << "samples/ and tests/data/ hold the trace.dat captures";
    const fs::path dir =
        fs::temp_directory_path() / ("irqlens-sweep-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    SweepCounts total;
    for (const std::string& sample : samples) {
        const ChildLoad full = loadInChild(sample, 60);
        ASSERT_EQ(full.outcome, ChildLoad::Outcome::Loaded) << sample << ": " << full.error;
        const std::string copy = (dir / fs::path(sample).filename()).string();
        fs::copy_file(sample, copy, fs::copy_options::overwrite_existing);
        fs::permissions(copy, fs::perms::owner_read | fs::perms::owner_write);
        SweepCounts counts;
        for (std::uint64_t cut : cutOffsets(fs::file_size(sample))) {
            fs::resize_file(copy, cut);
            checkCut(copy, cut, full.events, counts);
        }
        std::printf("%s: %d cuts, %d loaded, %d failed cleanly, %d crashed/hung\n", sample.c_str(),
                    counts.cuts, counts.loaded, counts.failedCleanly, counts.bad);
        total.cuts += counts.cuts;
        total.loaded += counts.loaded;
        total.failedCleanly += counts.failedCleanly;
        total.bad += counts.bad;
    }
    std::printf("total: %d cuts, %d loaded, %d failed cleanly, %d crashed/hung\n", total.cuts,
                total.loaded, total.failedCleanly, total.bad);
    fs::remove_all(dir);
    EXPECT_EQ(total.bad, 0);
}

} // namespace
} // namespace irqlens::test
