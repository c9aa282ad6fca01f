// Corrupt and odd captures: flipped bytes in trace.dat headers (magic,
// version, endianness, long size, page size, section tags and ids), captures
// without event formats, a zero-event capture, big-endian and 32-bit
// targets (written by our writer), and text captures cut mid-line.  Each
// load runs in a forked child bounded by alarm(): never a crash or a hang.
#include "parsers/writer/tracedat_writer.h"
#include "tests/record/report_counts.h"
#include "tests/record/synthetic_pages.h"
#include "tests/robust/child_load.h"
#include "tests/support/test_data.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

namespace irqlens::test {
namespace {

namespace fs = std::filesystem;

class CorruptCapture : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("irqlens-corrupt-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Writes a capture of `pagesPerCpu` synthetic pages with our writer.
    std::string writeSynthetic(const std::string& name, const TraceMetadata& meta,
                               int pagesPerCpu) {
        const std::string path = (dir_ / name).string();
        std::string error;
        auto writer = TraceDatWriter::create(path, meta, error, {std::uint64_t{1} << 20, 1 << 16});
        EXPECT_TRUE(writer) << error;
        for (int cpu = 0; writer && cpu < meta.cpus; ++cpu) {
            for (int p = 0; p < pagesPerCpu; ++p) {
                const auto page = syntheticPage(meta, 1000000ull * (p + 1) + cpu, 50);
                writer->appendPages(cpu, page.bytes.data(), page.bytes.size());
            }
        }
        EXPECT_TRUE(writer && writer->finish("42 worker\n"));
        return path;
    }
    // Loads `bytes` with one byte changed; a crash or hang fails the test.
    ChildLoad loadMutated(const std::string& bytes, std::size_t at, char value) {
        std::string copy = bytes;
        copy[at] = value;
        const std::string path = (dir_ / ("mutated-" + std::to_string(at) + ".dat")).string();
        writeFileBytes(path, copy);
        const ChildLoad r = loadInChild(path);
        expectNoCrash(r, path + " byte " + std::to_string(at));
        fs::remove(path);
        return r;
    }
    static void expectNoCrash(const ChildLoad& r, const std::string& what) {
        EXPECT_NE(r.outcome, ChildLoad::Outcome::Crashed) << what << ": " << r.crash;
        EXPECT_NE(r.outcome, ChildLoad::Outcome::Hung) << what << ": " << r.crash;
        if (r.outcome == ChildLoad::Outcome::FailedCleanly) {
            EXPECT_EQ(r.error.find("\\n"), std::string::npos) << what << ": " << r.error;
            EXPECT_NE(r.error.find(".dat: "), std::string::npos) << what << ": " << r.error;
        }
    }
    // Every `stride`-th byte of the first `span` bytes, inverted, one at a time.
    void sweepHeaderFlips(const std::string& path, std::size_t span, std::size_t stride) {
        const std::string bytes = readFileBytes(path);
        int loaded = 0, failed = 0;
        for (std::size_t at = 0; at < std::min(span, bytes.size()); at += stride) {
            const ChildLoad r = loadMutated(bytes, at, static_cast<char>(~bytes[at]));
            (r.outcome == ChildLoad::Outcome::Loaded ? loaded : failed)++;
        }
        std::printf("%s: %d header flips loaded, %d did not\n", path.c_str(), loaded, failed);
    }

    fs::path dir_;
};

TEST_F(CorruptCapture, MagicVersionEndiannessAndSizesFlipped) {
    const std::string v7 = dataPath("irq_wq.dat");
    const std::string v6 = dataPath("net_v6.dat");
    for (const std::string& path : {v7, v6}) {
        const std::string bytes = readFileBytes(path);
        // Magic: no longer a trace.dat; the text probe or the format probe says so.
        const ChildLoad magic = loadMutated(bytes, 0, 0x18);
        EXPECT_EQ(magic.outcome, ChildLoad::Outcome::FailedCleanly);
        // Version "9": named as unsupported.
        const ChildLoad version = loadMutated(bytes, 10, '9');
        EXPECT_EQ(version.outcome, ChildLoad::Outcome::FailedCleanly);
        EXPECT_NE(version.error.find("unsupported trace.dat version \"9\""), std::string::npos)
            << version.error;
        // Endianness flag, long size, page size: loaded or refused, never a crash.
        for (std::size_t at : {12u, 13u, 14u, 15u, 16u, 17u}) {
            loadMutated(bytes, at, static_cast<char>(~bytes[at]));
            loadMutated(bytes, at, 0);
        }
    }
}

// A flipped byte inside header_page/header_event text (v6) or inside a
// zstd-compressed section (v7) makes libtracecmd 3.1.6 fail while reading the
// headers; its tracecmd_open() then crashed in its own clean-up.  The loader
// opens in steps and never closes such a handle (parsers/tracedat/safe_open.h).
TEST_F(CorruptCapture, EveryHeaderByteFlippedV7) {
    const std::string v7 = dataPath("irq_wq.dat");
    sweepHeaderFlips(v7, 768, 5);
}

TEST_F(CorruptCapture, EveryHeaderByteFlippedV6) {
    const std::string v6 = dataPath("net_v6.dat");
    sweepHeaderFlips(v6, 512, 9);
}

// The damaged section is named with its offset.  net_v6.dat: the
// "header_page" tag follows the 18-byte file header (magic, "6\0", endian,
// long size, page size; `xxd -l 32 net_v6.dat`); byte 45 is inside its
// "field: u64 timestamp;" line, which libtraceevent then refuses.
TEST_F(CorruptCapture, DamagedHeaderPageIsNamed) {
    const std::string v6 = dataPath("net_v6.dat");
    const std::string bytes = readFileBytes(v6);
    ASSERT_EQ(bytes.substr(18, 12), std::string("header_page\0", 12));
    const ChildLoad r = loadMutated(bytes, 45, static_cast<char>(~bytes[45]));
    ASSERT_EQ(r.outcome, ChildLoad::Outcome::FailedCleanly);
    EXPECT_NE(r.error.find("mutated-45.dat: trace.dat header_page is damaged (offset 18)"),
              std::string::npos)
        << r.error;
}

TEST_F(CorruptCapture, SectionTagsAndIdsFlipped) {
    const std::string path = writeSynthetic("tags.dat", syntheticMetadata(false, 8, 2), 2);
    const std::string bytes = readFileBytes(path);
    for (const char* tag : {"header_page", "header_event", "options  ", "flyrecord"}) {
        const auto at = bytes.find(tag);
        ASSERT_NE(at, std::string::npos) << tag;
        const ChildLoad r = loadMutated(bytes, at, 'X');
        EXPECT_EQ(r.outcome, ChildLoad::Outcome::FailedCleanly) << tag;
    }
    // v7 options section ids (the first options section's id must be 0).
    {
        const std::string v7 = dataPath("irq_wq.dat");
        const std::string v7bytes = readFileBytes(v7);
        const std::size_t compressionEnd = v7bytes.find('\0', v7bytes.find('\0', 18) + 1) + 1;
        std::uint64_t options = 0;
        std::memcpy(&options, v7bytes.data() + compressionEnd, 8); // little-endian sample
        ASSERT_LT(options, v7bytes.size());
        const ChildLoad r = loadMutated(v7bytes, options, 7);
        EXPECT_EQ(r.outcome, ChildLoad::Outcome::FailedCleanly);
        EXPECT_NE(r.error.find("offset " + std::to_string(options)), std::string::npos) << r.error;
    }
}

TEST_F(CorruptCapture, MissingEventFormatsLoadsOrFailsCleanly) {
    TraceMetadata meta = syntheticMetadata(false, 8, 2);
    meta.systems.clear();
    const std::string path = writeSynthetic("noformats.dat", meta, 2);
    const ChildLoad r = loadInChild(path);
    expectNoCrash(r, path);
    meta = syntheticMetadata(false, 8, 1);
    meta.headerEvent.clear();
    meta.headerPage.clear();
    const std::string noHeaders = writeSynthetic("noheaders.dat", meta, 1);
    expectNoCrash(loadInChild(noHeaders), noHeaders);
}

TEST_F(CorruptCapture, ZeroEventCaptureLoadsEmptyWithAWarning) {
    const std::string path = writeSynthetic("empty.dat", syntheticMetadata(false, 8, 2), 0);
    const auto report = countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    ASSERT_EQ(report.total, 0u);
    const ChildLoad r = loadInChild(path);
    ASSERT_EQ(r.outcome, ChildLoad::Outcome::Loaded) << r.error << r.crash;
    EXPECT_EQ(r.events, 0u);
    EXPECT_NE(std::find(r.warnings.begin(), r.warnings.end(), "the capture holds no events"),
              r.warnings.end());
}

TEST_F(CorruptCapture, BigEndianAnd32BitTargetsLoadAndSurviveCuts) {
    for (const auto& [bigEndian, longSize] :
         {std::pair{true, 4}, std::pair{true, 8}, std::pair{false, 4}}) {
        const std::string path =
            writeSynthetic("target.dat", syntheticMetadata(bigEndian, longSize, 2), 3);
        const auto report = countWithTraceCmdReport(path);
        ASSERT_TRUE(report.ok) << report.error;
        const ChildLoad full = loadInChild(path);
        ASSERT_EQ(full.outcome, ChildLoad::Outcome::Loaded) << full.error << full.crash;
        EXPECT_EQ(full.events, report.total);
        const std::string bytes = readFileBytes(path);
        for (std::size_t cut = bytes.size() - 1; cut > 0; cut = cut * 3 / 4) {
            const std::string file = (dir_ / "target-cut.dat").string();
            writeFileBytes(file, bytes.substr(0, cut));
            expectNoCrash(loadInChild(file), file + " cut at " + std::to_string(cut));
        }
    }
}

// Text captures cut in the middle of a line: the complete lines load (no
// more events than the whole file), or the reader refuses in one line.
TEST_F(CorruptCapture, TextCapturesCutMidLine) {
    std::vector<std::string> texts;
    for (const auto& e : fs::directory_iterator(sourceDir() + "/tests/data")) {
        if (e.path().extension() == ".txt") {
            texts.push_back(e.path().string());
        }
    }
    ASSERT_GE(texts.size(), 6u) << "tests/data holds the text captures";
    for (const std::string& text : texts) {
        const ChildLoad full = loadInChild(text);
        ASSERT_EQ(full.outcome, ChildLoad::Outcome::Loaded) << text << full.error << full.crash;
        const std::string bytes = readFileBytes(text);
        for (int part = 1; part < 12; ++part) {
            std::size_t cut = bytes.size() * part / 12;
            const auto eol = bytes.find('\n', cut);
            cut = eol == std::string::npos ? cut : std::max(cut, eol - eol % 7 + 3);
            cut = std::min(cut, bytes.size() - 1);
            const std::string file = (dir_ / "cut.txt").string();
            writeFileBytes(file, bytes.substr(0, cut));
            const ChildLoad r = loadInChild(file);
            const std::string what = text + " cut at " + std::to_string(cut);
            EXPECT_NE(r.outcome, ChildLoad::Outcome::Crashed) << what << ": " << r.crash;
            EXPECT_NE(r.outcome, ChildLoad::Outcome::Hung) << what << ": " << r.crash;
            if (r.outcome == ChildLoad::Outcome::Loaded) {
                EXPECT_LE(r.events, full.events) << what;
            } else if (r.outcome == ChildLoad::Outcome::FailedCleanly) {
                EXPECT_EQ(r.error.rfind(file + ": ", 0), 0u) << what << ": " << r.error;
            }
        }
    }
}

} // namespace
} // namespace irqlens::test
