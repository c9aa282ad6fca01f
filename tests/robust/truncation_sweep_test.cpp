// Every trace.dat capture of samples/ and tests/data/ (but big.dat) cut at every 64 KiB boundary
// and at odd offsets (inside the header, mid-section, the last byte): loadCapture() must either
// load what is complete (a warning naming the offset when events were lost) or fail with one line
// naming the file — never crash, trip a sanitizer, or hang. Each load runs in a forked child
// bounded by alarm() (child_load.h).
//
// A file cut inside its CPU data must load, and exactly the events of the
// complete pages (v6, uncompressed v7) or chunks (zstd, zlib v7) before the
// cut, CPU by CPU: checked against an independent count (cut_reference.h).
// Besides the repository's captures (v6; v7 zstd recorded by trace-cmd 3.1.6,
// with two buffers; v7 zlib from the field), v7 twins are made with
// `trace-cmd convert`: net_v6.dat as zstd (many chunks per CPU) and
// irq_wq.dat uncompressed.  A cut before the CPU data fails with one line
// that says "truncated" and names the section.
#include "tests/robust/child_load.h"
#include "tests/robust/cut_reference.h"
#include "tests/support/test_data.h"
#include "tests/tracedat/report_reader.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <regex>
#include <sstream>
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

// v7 twins of repository captures, made in `dir` by trace-cmd convert.
std::vector<std::string> v7Twins(const fs::path& dir) {
    const std::pair<const char*, const char*> twins[] = {{"tests/data/net_v6.dat", "zstd"},
                                                         {"samples/irq_wq.dat", "none"}};
    std::vector<std::string> files;
    for (const auto& [source, compression] : twins) {
        const std::string out =
            (dir / (fs::path(source).stem().string() + "-v7" + compression + ".twin")).string();
        runCommand("trace-cmd convert --file-version 7 --compression " + std::string(compression) +
                   " -i '" + sourceDir() + "/" + source + "' -o '" + out + "' >/dev/null 2>&1");
        EXPECT_TRUE(fs::exists(out)) << "trace-cmd convert made no " << out;
        if (fs::exists(out)) {
            files.push_back(out);
        }
    }
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
    int cuts = 0, loaded = 0, failedCleanly = 0, bad = 0, insideData = 0, checkedPartial = 0;
    void add(const SweepCounts& o) {
        cuts += o.cuts;
        loaded += o.loaded;
        failedCleanly += o.failedCleanly;
        bad += o.bad;
        insideData += o.insideData;
        checkedPartial += o.checkedPartial;
    }
};

// How many cuts inside a file's data are checked against the reference:
// each check of a large capture runs trace-cmd report on a 10 MB copy.
int checkBudget(std::uint64_t size) {
    return size > (4u << 20) ? 8 : 16;
}

// A partial load against the reference: the total, and per CPU when the
// capture has one buffer (the report's CPUs are the store's columns then).
void expectReferenceCounts(const ChildLoad& r, const CutCounts& want, const std::string& where) {
    EXPECT_EQ(r.events, want.total)
        << where << ": not the events of the complete pages before the cut";
    if (want.perCpu.empty() && want.total > 0) {
        return;
    }
    std::map<int, std::uint64_t> got;
    for (std::size_t cpu = 0; cpu < r.perCpu.size(); ++cpu) {
        if (r.perCpu[cpu] > 0) {
            got[static_cast<int>(cpu)] = r.perCpu[cpu];
        }
    }
    EXPECT_EQ(got, want.perCpu) << where << ": events per CPU";
}

// Checks one cut; a crash, hang or unclear message is a failure.
void checkCut(const std::string& file, std::uint64_t cut, std::uint64_t fullEvents, int budget,
              SweepCounts& counts, CutReference& reference) {
    const ChildLoad r = loadInChild(file);
    ++counts.cuts;
    const std::string where = file + " cut at " + std::to_string(cut);
    const bool inside = reference.unsupported().empty() && reference.insideData(cut);
    counts.insideData += inside ? 1 : 0;
    switch (r.outcome) {
    case ChildLoad::Outcome::Crashed:
    case ChildLoad::Outcome::Hung:
        ++counts.bad;
        ADD_FAILURE() << where << ": " << outcomeName(r.outcome) << ": " << r.crash;
        return;
    case ChildLoad::Outcome::FailedCleanly:
        ++counts.failedCleanly;
        EXPECT_FALSE(inside) << where << ": a cut inside the CPU data must load: " << r.error;
        EXPECT_EQ(r.error.rfind(file + ": ", 0), 0u) << where << ": " << r.error;
        EXPECT_EQ(r.error.find("\\n"), std::string::npos) << "one line: " << r.error;
        // Nothing but the end of the file is wrong with it: the message
        // says so and names the section (or the file's header).  Cut
        // inside its magic it is no longer recognisable as a trace.dat.
        if (cut < 10) {
            EXPECT_NE(r.error.find("not a trace.dat capture"), std::string::npos) << r.error;
        } else {
            static const std::regex truncated(
                "trace\\.dat truncated: .*(header|formats|kallsyms|cmdlines|CPU count|options|"
                "CPU table|trace_clock|CPU data|section)");
            EXPECT_TRUE(std::regex_search(r.error, truncated)) << where << ": " << r.error;
        }
        return;
    case ChildLoad::Outcome::Loaded:
        ++counts.loaded;
        EXPECT_LE(r.events, fullEvents) << where;
        if (r.events < fullEvents) {
            // Events were lost: a warning must name where the file ends.
            const bool named = std::any_of(r.warnings.begin(), r.warnings.end(), [&](auto& w) {
                return w.find("truncated at offset " + std::to_string(cut)) != std::string::npos;
            });
            EXPECT_TRUE(named) << where << ": loaded " << r.events << " of " << fullEvents
                               << " events without a warning naming offset " << cut;
        }
        if (inside && counts.checkedPartial < budget) {
            ++counts.checkedPartial;
            const std::string scratch = file + ".shortened.dat";
            CutCounts want = reference.eventsBefore(cut, scratch);
            if (want.total != r.events) {
                // In 2 of 7 runs of this test with another test beside it
                // (ctest -j2; one under ASan) the report of one field cut
                // gave no events where, run alone, it gives 2 every time (20
                // of 20) and so does our loader: a load that disagrees is
                // compared with a second report (a real difference
                // disagrees with both).
                want = reference.eventsBefore(cut, scratch, true);
            }
            expectReferenceCounts(r, want, where);
        }
        return;
    }
}

// The zlib walker of the reference against upstream trace-cmd's count of
// the whole file (NAME.counts.json next to it).
void checkWalker(const std::string& sample, CutReference& reference) {
    std::ifstream json(fs::path(sample).replace_extension(".counts.json"));
    std::stringstream text;
    text << json.rdbuf();
    std::smatch m;
    const std::string body = text.str();
    ASSERT_TRUE(std::regex_search(body, m, std::regex(R"re("events": (\d+))re")))
        << sample << ": a zlib capture needs its counts.json";
    EXPECT_EQ(reference.walkedTotal(), std::stoull(m[1].str())) << sample;
}

SweepCounts sweepOne(const std::string& sample, const fs::path& dir) {
    SweepCounts counts;
    const ChildLoad full = loadInChild(sample, 60);
    EXPECT_EQ(full.outcome, ChildLoad::Outcome::Loaded) << sample << ": " << full.error;
    CutReference reference(sample);
    if (reference.codec() == "zlib" && reference.unsupported().empty()) {
        checkWalker(sample, reference);
    }
    const std::string copy = (dir / (fs::path(sample).filename().string() + ".cut")).string();
    fs::copy_file(sample, copy, fs::copy_options::overwrite_existing);
    fs::permissions(copy, fs::perms::owner_read | fs::perms::owner_write);
    const std::uint64_t size = fs::file_size(sample);
    std::vector<std::uint64_t> cuts = cutOffsets(size);
    for (std::uint64_t c : reference.dataCuts()) {
        if (c > 0 && c < size) {
            cuts.push_back(c);
        }
    }
    std::sort(cuts.begin(), cuts.end(), std::greater<>());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    for (std::uint64_t cut : cuts) {
        fs::resize_file(copy, cut);
        checkCut(copy, cut, full.events, checkBudget(size), counts, reference);
    }
    std::printf("%s: %d cuts, %d loaded, %d inside CPU data (%d checked against the reference%s), "
                "%d failed cleanly, %d crashed/hung\n",
                sample.c_str(), counts.cuts, counts.loaded, counts.insideData,
                counts.checkedPartial,
                reference.unsupported().empty() ? "" : (": " + reference.unsupported()).c_str(),
                counts.failedCleanly, counts.bad);
    return counts;
}

TEST(TruncationSweep, EveryTraceDatSampleAtEvery64KiBAndOddOffsets) {
    auto samples = traceDatSamples();
    ASSERT_GE(samples.size(), 6u) << "samples/ and tests/data/ hold the trace.dat captures";
    const fs::path dir =
        fs::temp_directory_path() / ("irqlens-sweep-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    for (const std::string& twin : v7Twins(dir)) {
        samples.push_back(twin);
    }
    SweepCounts total;
    for (const std::string& sample : samples) {
        total.add(sweepOne(sample, dir));
    }
    std::printf("total: %d cuts, %d loaded, %d inside CPU data (%d checked), %d failed cleanly, "
                "%d crashed/hung\n",
                total.cuts, total.loaded, total.insideData, total.checkedPartial,
                total.failedCleanly, total.bad);
    fs::remove_all(dir);
    EXPECT_EQ(total.bad, 0);
    EXPECT_GT(total.checkedPartial, 150) << "cuts inside CPU data checked against the reference";
}

} // namespace
} // namespace irqlens::test
