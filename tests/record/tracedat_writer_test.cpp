// The trace.dat v6 writer, checked by reading its output back with the
// reference tools (`trace-cmd report`, libtracecmd), including files left
// by a killed writer and by a full disk.
#include "parsers/capture_loader.h"
#include "parsers/writer/tracedat_writer.h"
#include "tests/record/report_counts.h"
#include "tests/record/synthetic_pages.h"

#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace irqlens {
namespace {

namespace fs = std::filesystem;

struct Written {
    std::uint64_t ticks = 0, tocks = 0;
};

class WriterTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("irqlens-writer-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override {
        if (std::getenv("IRQLENS_KEEP"))
            return;
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    // Writes `pagesPerCpu[c]` pages for each CPU c, timestamps increasing.
    static Written writePages(TraceDatWriter& writer, const TraceMetadata& meta,
                              const std::vector<int>& pagesPerCpu, int eventsPerPage = 100) {
        Written w;
        for (std::size_t cpu = 0; cpu < pagesPerCpu.size(); ++cpu) {
            for (int p = 0; p < pagesPerCpu[cpu]; ++p) {
                const auto page =
                    test::syntheticPage(meta, 1000000000ull * (p + 1) + cpu, eventsPerPage);
                if (!writer.appendPages(static_cast<int>(cpu), page.bytes.data(),
                                        page.bytes.size()))
                    return w;
                w.ticks += page.ticks;
                w.tocks += page.tocks;
            }
        }
        return w;
    }
    fs::path dir_;
};

void expectCounts(const std::string& path, const Written& w) {
    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_EQ(report.byEvent.count("tick") ? report.byEvent.at("tick") : 0, w.ticks);
    EXPECT_EQ(report.byEvent.count("tock") ? report.byEvent.at("tock") : 0, w.tocks);
    EXPECT_EQ(report.total, w.ticks + w.tocks);
    const auto lib = test::countWithLibtracecmd(path);
    ASSERT_TRUE(lib.ok) << lib.error;
    EXPECT_EQ(lib.total, w.ticks + w.tocks);
}

struct Target {
    bool bigEndian;
    int longSize;
};

class WriterTargetTest : public WriterTest, public ::testing::WithParamInterface<Target> {};

TEST_P(WriterTargetTest, FinishedFileReadsBackWithSameCounts) {
    const auto meta = test::syntheticMetadata(GetParam().bigEndian, GetParam().longSize, 3);
    const std::string path = dir_ / "out.dat";
    std::string error;
    auto writer = TraceDatWriter::create(path, meta, error);
    ASSERT_TRUE(writer) << error;
    const Written w = writePages(*writer, meta, {3, 0, 2});
    writer->setCpuStats(0, "entries: 0\noverrun: 0\n");
    ASSERT_TRUE(writer->finish("42 worker\n43 other\n")) << writer->error();
    writer.reset();
    EXPECT_EQ(w.ticks + w.tocks, 500u);
    expectCounts(path, w);
    // Compacted: no holes left, the file ends right after the last page.
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_LT(st.st_size, 5 * 4096 + (8 << 20));
    const auto dump = test::runCommand("trace-cmd dump --options '" + path + "' 2>&1");
    EXPECT_NE(dump.find("CPUSTAT"), std::string::npos) << dump;
    const auto report = test::runCommand("trace-cmd report '" + path + "' 2>&1 | head -3");
    EXPECT_NE(report.find("worker-42"), std::string::npos) << report;
    // irqlens's own loader reads the target's byte order and long size too.
    auto loaded = loadCapture(path);
    ASSERT_TRUE(loaded.ok()) << loaded.error;
    EXPECT_EQ(loaded.store->totalEvents(), w.ticks + w.tocks);
    EXPECT_EQ(loaded.store->info().bigEndian, GetParam().bigEndian);
    EXPECT_EQ(loaded.store->info().longSize, GetParam().longSize);
}

INSTANTIATE_TEST_SUITE_P(Targets, WriterTargetTest,
                         ::testing::Values(Target{false, 8}, Target{false, 4}, Target{true, 4},
                                           Target{true, 8}),
                         [](const auto& p) {
                             return std::string(p.param.bigEndian ? "BigEndian" : "LittleEndian") +
                                    std::to_string(p.param.longSize * 8);
                         });

// saved_cmdlines is a ring: at the end it can be shorter than at the start.
// The rewritten tail must not leave the longer one's bytes where libtracecmd
// reads the trace clock (seen as a 4 EiB allocation in the remote test).
TEST_F(WriterTest, ShrunkCmdlinesLeaveTheClockReadable) {
    auto meta = test::syntheticMetadata(false, 8, 2);
    for (int pid = 1000; pid < 1400; ++pid)
        meta.savedCmdlines += std::to_string(pid) + " a-rather-long-command-name\n";
    const std::string path = dir_ / "shrunk.dat";
    std::string error;
    auto writer = TraceDatWriter::create(path, meta, error);
    ASSERT_TRUE(writer) << error;
    const Written w = writePages(*writer, meta, {2, 2});
    ASSERT_TRUE(writer->finish("42 worker\n")) << writer->error();
    writer.reset();
    const auto dump = test::runCommand("trace-cmd dump '" + path + "' 2>&1");
    EXPECT_NE(dump.find("[Tracing clock]\n\t\t[local] global counter"), std::string::npos) << dump;
    EXPECT_EQ(dump.find("Cannot allocate"), std::string::npos) << dump;
    expectCounts(path, w);
}

TEST_F(WriterTest, FileOfKilledWriterStillReads) {
    const auto meta = test::syntheticMetadata(false, 8, 2);
    const std::string path = dir_ / "killed.dat";
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        std::string error;
        auto writer = TraceDatWriter::create(path, meta, error);
        if (!writer)
            ::_exit(3);
        writePages(*writer, meta, {4, 3});
        ::kill(::getpid(), SIGKILL); // no finish(), no destructor
        ::_exit(4);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "writer child exited with " << WEXITSTATUS(status);
    expectCounts(path, {350, 350});
}

TEST_F(WriterTest, MissedEventsAreReported) {
    const auto meta = test::syntheticMetadata(false, 8, 1);
    const std::string path = dir_ / "missed.dat";
    if (std::getenv("IRQLENS_KEEP"))
        std::fprintf(stderr, "%s\n", path.c_str());
    std::string error;
    auto writer = TraceDatWriter::create(path, meta, error);
    ASSERT_TRUE(writer) << error;
    const auto first = test::syntheticPage(meta, 1000, 10);
    const auto second = test::syntheticPage(meta, 2000000, 10, 77);
    ASSERT_TRUE(writer->appendPages(0, first.bytes.data(), first.bytes.size()));
    ASSERT_TRUE(writer->appendPages(0, second.bytes.data(), second.bytes.size()));
    ASSERT_TRUE(writer->finish(""));
    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_EQ(report.total, 20u);
    EXPECT_EQ(report.lostMarkers, 1u);
    EXPECT_EQ(report.lostEvents, 77u);
    const auto lib = test::countWithLibtracecmd(path);
    EXPECT_EQ(lib.lostEvents, 77u);
}

TEST_F(WriterTest, FullDiskKeepsWhatWasWritten) {
    const fs::path mnt = dir_ / "small";
    fs::create_directories(mnt);
    if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=256k") != 0)
        GTEST_SKIP() << "cannot mount a small tmpfs to fill (needs root)";
    const auto meta = test::syntheticMetadata(false, 8, 2);
    const std::string path = mnt / "full.dat";
    std::string error;
    auto writer = TraceDatWriter::create(path, meta, error);
    ASSERT_TRUE(writer) << error;
    const Written w = writePages(*writer, meta, {200, 200});
    EXPECT_NE(writer->error().find("No space left"), std::string::npos) << writer->error();
    writer->finish("");
    writer.reset();
    EXPECT_GT(w.ticks, 0u);
    expectCounts(path, w);
    ::umount2(mnt.c_str(), MNT_DETACH);
}

// The traced machine and its board: trace-cmd's UNAME option (as `trace-cmd
// report --uname` prints it), read back into the capture's info, and shown
// by `irqlens-cli summary`.
TEST_F(WriterTest, KernelAndBoardAreStoredAndReadBack) {
    auto meta = test::syntheticMetadata(false, 4, 1);
    meta.uname = "Linux raspberrypi 6.6.51+rpt-rpi-v7 armv7l";
    meta.model = "Raspberry Pi 3 Model B Plus Rev 1.3";
    const std::string path = dir_ / "pi.dat";
    std::string error;
    auto writer = TraceDatWriter::create(path, meta, error);
    ASSERT_TRUE(writer) << error;
    writePages(*writer, meta, {2});
    ASSERT_TRUE(writer->finish(""));
    writer.reset();
    EXPECT_NE(test::runCommand("trace-cmd report --uname '" + path + "' 2>/dev/null")
                  .find("Linux raspberrypi 6.6.51+rpt-rpi-v7 armv7l (Raspberry Pi 3 Model B Plus "
                        "Rev 1.3)"),
              std::string::npos);
    auto loaded = loadCapture(path);
    ASSERT_TRUE(loaded.ok()) << loaded.error;
    const CaptureInfo& info = loaded.store->info();
    EXPECT_EQ(info.hostname, "raspberrypi");
    EXPECT_EQ(info.kernel, "6.6.51+rpt-rpi-v7");
    EXPECT_EQ(info.machine, "armv7l");
    EXPECT_EQ(info.model, "Raspberry Pi 3 Model B Plus Rev 1.3");
    EXPECT_EQ(info.longSize, 4);
    const char* bin = std::getenv("IRQLENS_BIN_DIR");
    const fs::path cli = fs::path(bin ? bin : ".") / "irqlens-cli";
    if (fs::exists(cli)) {
        EXPECT_NE(test::runCommand("'" + cli.string() + "' summary '" + path + "'")
                      .find("target         Raspberry Pi 3 Model B Plus Rev 1.3, Linux "
                            "6.6.51+rpt-rpi-v7 armv7l (raspberrypi)"),
                  std::string::npos);
    }
}

TEST_F(WriterTest, UnwritablePathGivesOneLineError) {
    const auto meta = test::syntheticMetadata(false, 8, 1);
    std::string error;
    auto writer = TraceDatWriter::create("/nonexistent-dir/x.dat", meta, error);
    EXPECT_FALSE(writer);
    EXPECT_NE(error.find("/nonexistent-dir/x.dat: cannot create"), std::string::npos) << error;
}

} // namespace
} // namespace irqlens
