// Every trace.dat capture of samples/ and tests/data/ (but big.dat) cut at every 64 KiB boundary
// and at odd offsets (inside the header, mid-section, the last byte): loadCapture() must either
// load what is complete (a warning naming the offset when events were lost) or fail with one line
// naming the file — never crash, trip a sanitizer, or hang. Each load runs in a forked child
// bounded by alarm() (child_load.h).
//
// A v6 file cut inside its CPU data must load exactly the events of the
// complete pages before the cut: checked against `trace-cmd report` on a
// full-length copy whose CPU table is shortened to those pages.
#include "parsers/tracedat/tracedat_layout.h"
#include "tests/robust/child_load.h"
#include "tests/support/test_data.h"
#include "tests/tracedat/report_reader.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
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
    int cuts = 0, loaded = 0, failedCleanly = 0, bad = 0, checkedPartial = 0;
};

// The v6 flyrecord table of a sample: where each CPU's pages lie.
class V6CpuTable {
public:
    explicit V6CpuTable(const std::string& path) : path_(path) {
        const auto layout = tracedat::inspectLayout(path);
        const auto* l = std::get_if<tracedat::Layout>(&layout);
        if (!l || l->version != 6 || l->bigEndian || l->cpuData.empty()) {
            return;
        }
        bytes_ = readFileBytes(path);
        const std::size_t tag = bytes_.find(std::string("flyrecord\0", 10));
        if (tag == std::string::npos) {
            return;
        }
        table_ = tag + 10;
        page_ = l->pageSize;
        ranges_ = l->cpuData;
        for (std::size_t c = 0; c < ranges_.size(); ++c) {
            // The table as trace-cmd wrote it: u64 offset, u64 size per CPU.
            if (u64(table_ + 16 * c) != ranges_[c].offset ||
                u64(table_ + 16 * c + 8) != ranges_[c].size) {
                ranges_.clear();
                return;
            }
        }
    }
    // The cut lies inside some CPU's data.
    bool insideData(std::uint64_t cut) const {
        return std::any_of(ranges_.begin(), ranges_.end(), [cut](const auto& r) {
            return r.size > 0 && cut > r.offset && cut < r.offset + r.size;
        });
    }
    // Events of the whole pages before `cut`, as trace-cmd reports them.
    std::uint64_t eventsBefore(std::uint64_t cut, const std::string& scratch) {
        std::string patched = bytes_;
        std::string key;
        for (std::size_t c = 0; c < ranges_.size(); ++c) {
            const auto& r = ranges_[c];
            const std::uint64_t kept =
                r.offset >= cut ? 0 : std::min(r.size, (cut - r.offset) / page_ * page_);
            std::memcpy(patched.data() + table_ + 16 * c + 8, &kept, 8); // little-endian
            key += std::to_string(kept) + ",";
        }
        if (const auto it = cache_.find(key); it != cache_.end()) {
            return it->second;
        }
        writeFileBytes(scratch, patched);
        return cache_[key] = countReport(scratch).total;
    }

private:
    std::uint64_t u64(std::size_t at) const {
        std::uint64_t v = 0;
        std::memcpy(&v, bytes_.data() + at, 8);
        return v;
    }
    std::string path_;
    std::string bytes_;
    std::size_t table_ = 0;
    std::uint64_t page_ = 4096;
    std::vector<tracedat::CpuDataRange> ranges_;
    std::map<std::string, std::uint64_t> cache_;
};

// Checks one cut; returns false (and records a failure) on a crash, hang or
// an unclear message.
void checkCut(const std::string& file, std::uint64_t cut, std::uint64_t fullEvents,
              SweepCounts& counts, V6CpuTable& table) {
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
        // Every 8th cut inside the CPU data, 8 per sample at most: each
        // check runs trace-cmd report on a 10 MB copy (~1 s of CPU).
        if (table.insideData(cut) && counts.loaded % 8 == 1 && counts.checkedPartial < 8) {
            ++counts.checkedPartial;
            EXPECT_EQ(r.events, table.eventsBefore(cut, file + ".shortened-table.dat"))
                << where << ": not the events of the complete pages before the cut";
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
        V6CpuTable table(sample);
        for (std::uint64_t cut : cutOffsets(fs::file_size(sample))) {
            fs::resize_file(copy, cut);
            checkCut(copy, cut, full.events, counts, table);
        }
        std::printf("%s: %d cuts, %d loaded (%d checked against trace-cmd report), %d failed "
                    "cleanly, %d crashed/hung\n",
                    sample.c_str(), counts.cuts, counts.loaded, counts.checkedPartial,
                    counts.failedCleanly, counts.bad);
        total.checkedPartial += counts.checkedPartial;
        total.cuts += counts.cuts;
        total.loaded += counts.loaded;
        total.failedCleanly += counts.failedCleanly;
        total.bad += counts.bad;
    }
    std::printf("total: %d cuts, %d loaded, %d failed cleanly, %d crashed/hung\n", total.cuts,
                total.loaded, total.failedCleanly, total.bad);
    fs::remove_all(dir);
    EXPECT_EQ(total.bad, 0);
    // net_v6.dat (v6) is among the samples: cuts inside its data were checked.
    EXPECT_GT(total.checkedPartial, 0) << "no cut inside v6 CPU data was checked";
}

} // namespace
} // namespace irqlens::test
