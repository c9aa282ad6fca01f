// The layout walk refuses only what is dangerous (docs/COMPATIBILITY.md):
// options libtracecmd would read past or before are masked and the file
// loads with the same events; options that shift timestamps and cannot be
// read safely are refused with one line; a file cut inside its headers says
// "truncated" and names the section.  The files are v6 captures of tests/data
// with an option added: the option goes right after the "options" tag, padded
// with an option libtracecmd skips to a whole page, and the CPU table's
// offsets move by that page, so everything else stays as written.
#include "parsers/capture_loader.h"
#include "parsers/tracedat/tracedat_layout.h"
#include "tests/tracedat/report_reader.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <regex>
#include <unistd.h>

namespace irqlens::test {
namespace {

namespace fs = std::filesystem;

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string le16(std::uint16_t v) {
    return {static_cast<char>(v & 0xff), static_cast<char>(v >> 8)};
}
std::string le32(std::uint32_t v) {
    return le16(static_cast<std::uint16_t>(v & 0xffff)) + le16(static_cast<std::uint16_t>(v >> 16));
}
std::uint64_t readLe64(const std::string& b, std::size_t at) {
    std::uint64_t v = 0;
    std::memcpy(&v, b.data() + at, 8);
    return v;
}

// One v6 option: u16 id, u32 size, data.
std::string option(std::uint16_t id, const std::string& data) {
    return le16(id) + le32(static_cast<std::uint32_t>(data.size())) + data;
}

class TraceDatCompat : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("irqlens-compat-" + std::to_string(getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // `sample` (a little-endian v6 file of tests/data) with `added` options
    // first in its options section.
    std::string withOption(const std::string& sample, const std::string& added,
                           const std::string& name) {
        std::string bytes = readBytes(dataPath(sample));
        const std::size_t options = bytes.find(std::string("options  \0", 10));
        EXPECT_NE(options, std::string::npos);
        const std::uint32_t cpus = static_cast<std::uint32_t>(readLe64(bytes, options - 4));
        // Pad to a whole page with an option id no trace-cmd defines
        // (libtracecmd skips it), so the CPU data stays page-aligned.
        const std::size_t pad = (4096 - (added.size() + 6) % 4096) % 4096;
        const std::string insert = added + option(0x7ffe, std::string(pad, 'x'));
        bytes.insert(options + 10, insert);
        const std::size_t table = bytes.find(std::string("flyrecord\0", 10), options) + 10;
        for (std::uint32_t cpu = 0; cpu < (cpus & 0xffff); ++cpu) {
            std::uint64_t offset = readLe64(bytes, table + cpu * 16);
            offset += insert.size();
            std::memcpy(bytes.data() + table + cpu * 16, &offset, 8);
        }
        const fs::path p = dir_ / name;
        std::ofstream(p, std::ios::binary) << bytes;
        return p.string();
    }

    static void expectLoadsLikeTheOriginal(const std::string& file, const std::string& sample) {
        const LoadResult r = loadCapture(file);
        ASSERT_TRUE(r.ok()) << r.error;
        const ReportCounts report = countReport(dataPath(sample));
        EXPECT_EQ(r.store->totalEvents(), report.total) << file;
    }

    // The ids of the options the layout walk masked in `file`.
    static std::vector<std::uint16_t> maskedIds(const std::string& file) {
        const auto layout = tracedat::inspectLayout(file);
        std::vector<std::uint16_t> ids;
        if (const auto* l = std::get_if<tracedat::Layout>(&layout)) {
            for (const auto& m : l->maskedOptions) {
                ids.push_back(m.id);
            }
        }
        return ids;
    }

    fs::path dir_;
};

constexpr const char* kSample = "guilhermehiago-i686-ext4-only.dat"; // TRACECLOCK empty, UNAME...
constexpr const char* kNoOptions = "arm-software-trappy-juno-arm64-cpuidle.dat";

TEST_F(TraceDatCompat, PaddingAloneChangesNothing) {
    // The helper itself: an unknown option only.
    const std::string file = withOption(kSample, "", "pad.dat");
    expectLoadsLikeTheOriginal(file, kSample);
    const LoadResult r = loadCapture(file);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.store->info().kernel, "4.13.9");
    EXPECT_EQ(r.store->info().clock, "local");
}

// Fuzz find (version_option.dat): strdup() read past a VERSION without NUL.
TEST_F(TraceDatCompat, UnterminatedUnameAndVersionAreMaskedAndRead) {
    const std::string file = withOption(
        kSample, option(5, "Linux rpi 5.10.17-v7+ armv7l") + option(9, "2.9.1 not-a-git-repo"),
        "uname.dat");
    expectLoadsLikeTheOriginal(file, kSample);
    EXPECT_EQ(maskedIds(file), (std::vector<std::uint16_t>{5, 9}));
    const LoadResult r = loadCapture(file);
    ASSERT_TRUE(r.ok());
    // The file's own UNAME (with NUL) comes later and libtracecmd keeps it.
    EXPECT_EQ(r.store->info().kernel, "4.13.9");
}

TEST_F(TraceDatCompat, UnterminatedTraceClockIsMaskedAndNamesTheClock) {
    const std::string file = withOption(kNoOptions, option(4, "local [global] counter"), "clk.dat");
    expectLoadsLikeTheOriginal(file, kNoOptions);
    EXPECT_EQ(maskedIds(file), (std::vector<std::uint16_t>{4}));
    EXPECT_EQ(loadCapture(file).store->info().clock, "global");
}

TEST_F(TraceDatCompat, UnterminatedUnameNamesTheMachine) {
    const std::string file =
        withOption(kNoOptions, option(5, "Linux juno 4.4.0-rc1 aarch64"), "uname-only.dat");
    const LoadResult r = loadCapture(file);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.store->info().hostname, "juno");
    EXPECT_EQ(r.store->info().kernel, "4.4.0-rc1");
}

// An empty CPUSTAT made libtracecmd write the byte before its buffer; a HOOK
// it cannot parse made it dereference NULL; a GUEST with a negative vCPU
// made it write before its array.
TEST_F(TraceDatCompat, EmptyCpustatBadHookAndBadGuestAreMasked) {
    std::string guest =
        std::string("vm\0", 3) + std::string(8, '\0') + le32(1) + le32(0xffffffff) + le32(1234);
    const std::string file = withOption(
        kSample, option(2, "") + option(6, "no slash here") + option(13, guest), "masked.dat");
    expectLoadsLikeTheOriginal(file, kSample);
    EXPECT_EQ(maskedIds(file), (std::vector<std::uint16_t>{2, 6, 13}));
    EXPECT_TRUE(maskedIds(dataPath(kSample)).empty()) << "its empty TRACECLOCK is accepted as is";
}

// DATE shifts every timestamp by its number of µs: "0x10\n" without a NUL is
// read safely (strtoll stops at the newline) and applied; a number that runs
// to the option's end would be read past it, and cannot be dropped.
TEST_F(TraceDatCompat, DateIsAppliedWhenSafeAndRefusedWhenItRunsToTheEnd) {
    const LoadResult original = loadCapture(dataPath(kSample));
    ASSERT_TRUE(original.ok());
    const std::string shifted = withOption(kSample, option(1, "0x10\n"), "date.dat");
    const LoadResult r = loadCapture(shifted);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_TRUE(maskedIds(shifted).empty());
    EXPECT_EQ(r.store->firstTs(), original.store->firstTs() + 16'000);

    const std::string bad = withOption(kSample, option(1, "12345"), "date-bad.dat");
    const LoadResult refused = loadCapture(bad);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error.rfind(bad + ": trace.dat corrupt DATE option at offset ", 0), 0u)
        << refused.error;
    EXPECT_NE(refused.error.find("its number runs to the end of the option (no NUL)"),
              std::string::npos)
        << refused.error;
}

TEST_F(TraceDatCompat, TimeShiftClaimingMoreThanItHoldsIsRefused) {
    const std::string data = std::string(12, '\0') + le32(1) + le32(0x40000000) + std::string(8, 0);
    const std::string file = withOption(kSample, option(12, data), "tsync.dat");
    const LoadResult r = loadCapture(file);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error.find("corrupt TIME_SHIFT option at offset"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("more than the option holds"), std::string::npos) << r.error;
}

// Cut anywhere inside its headers, a file says "truncated" and the section.
const std::regex kSectionNamed(
    "truncated: .*(header|formats|kallsyms|cmdlines|CPU count|options|CPU table|trace_clock|"
    "CPU data|section)");

TEST_F(TraceDatCompat, CutInsideTheHeadersNamesTheSection) {
    for (const char* sample :
         {kSample, "irq_wq.dat", "net_v6.dat", "kinmax-i686-listen-softirq.dat"}) {
        const std::string bytes = readBytes(dataPath(sample));
        // The headers end where the first CPU data begins (v6) or, for v7,
        // run to the end: cut in the first 1.2 MB either way.
        const std::size_t end = std::min<std::size_t>(bytes.size() - 1, 1'200'000);
        int cuts = 0;
        for (std::size_t cut = 12; cut < end; cut = cut * 3 / 2 + 7) {
            const fs::path p = dir_ / "cut.dat";
            std::ofstream(p, std::ios::binary) << bytes.substr(0, cut);
            const LoadResult r = loadCapture(p.string());
            if (r.ok()) {
                continue; // a v7 file holds its metadata at the end: nothing needed was cut
            }
            ++cuts;
            EXPECT_NE(r.error.find(": trace.dat truncated: "), std::string::npos)
                << sample << " cut at " << cut << ": " << r.error;
            EXPECT_TRUE(std::regex_search(r.error, kSectionNamed))
                << sample << " cut at " << cut << ": " << r.error;
            EXPECT_EQ(r.error.find("corrupt option"), std::string::npos) << r.error;
        }
        EXPECT_GT(cuts, 10) << sample;
    }
}

} // namespace
} // namespace irqlens::test
