// The trace.dat file sink: an existing file is never truncated or replaced
// before a recording is complete (and then only when asked), a failed start
// leaves no file, captures are private (0600, never through a symlink), and
// a failed fsync() or close() fails the recording while keeping the pages.
// fsync and close are wrapped at link time (-Wl,--wrap) to fail on demand.
#include "parsers/writer/tracedat_file_sink.h"
#include "parsers/writer/tracedat_writer.h"
#include "tests/record/report_counts.h"
#include "tests/record/synthetic_pages.h"

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

extern "C" {
int __real_fsync(int fd);
int __real_close(int fd);
}

namespace {
// A path fragment: fsync()/close() of a file whose name contains it fail with EIO.
std::atomic<const char*> g_failFsync{nullptr};
std::atomic<const char*> g_failClose{nullptr};

bool names(int fd, const char* fragment) {
    if (!fragment) {
        return false;
    }
    char link[64], target[PATH_MAX];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t n = ::readlink(link, target, sizeof target - 1);
    return n > 0 &&
           std::string(target, static_cast<std::size_t>(n)).find(fragment) != std::string::npos;
}
} // namespace

extern "C" int __wrap_fsync(int fd) {
    if (names(fd, g_failFsync.load())) {
        errno = EIO;
        return -1;
    }
    return __real_fsync(fd);
}

extern "C" int __wrap_close(int fd) {
    if (names(fd, g_failClose.load())) {
        __real_close(fd); // like NFS: the descriptor is gone, the error is reported
        errno = EIO;
        return -1;
    }
    return __real_close(fd);
}

namespace irqlens {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class SinkTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("irqlens-sink-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override {
        g_failFsync = nullptr;
        g_failClose = nullptr;
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    // Begins the sink and gives it `pages` pages of CPU 0; returns the events.
    std::uint64_t record(TraceDatFileSink& sink, int pages) {
        std::string error;
        EXPECT_TRUE(sink.begin(meta_, error)) << error;
        std::uint64_t events = 0;
        for (int p = 0; p < pages; ++p) {
            const auto page = test::syntheticPage(meta_, 1000000000ull * (p + 1), 50);
            EXPECT_TRUE(sink.pages(0, page.bytes.data(), page.bytes.size()));
            events += page.ticks + page.tocks;
        }
        return events;
    }
    std::vector<std::string> files() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(dir_)) {
            names.push_back(e.path().filename().string());
        }
        std::sort(names.begin(), names.end());
        return names;
    }
    fs::path dir_;
    TraceMetadata meta_ = test::syntheticMetadata(false, 8, 2);
};

TEST_F(SinkTest, ExistingFileIsUntouchedUntilTheRecordingEnds) {
    const fs::path keep = dir_ / "keep.dat";
    std::ofstream(keep) << "an earlier capture";
    {
        TraceDatFileSink refuse(keep.string());
        std::string error;
        EXPECT_FALSE(refuse.open(error));
        EXPECT_NE(error.find("exists"), std::string::npos) << error;
        EXPECT_FALSE(refuse.begin(meta_, error));
    }
    EXPECT_EQ(slurp(keep), "an earlier capture");

    TraceDatFileSink replace(keep.string(), TraceDatFileSink::Existing::Replace);
    const auto events = record(replace, 5);
    EXPECT_EQ(slurp(keep), "an earlier capture") << "replaced before the end";
    EXPECT_TRUE(replace.partialPath().starts_with((dir_ / "keep.partial-").string()))
        << replace.partialPath();
    std::string error;
    EXPECT_TRUE(replace.end("", error)) << error;
    EXPECT_EQ(error, "");
    EXPECT_EQ(replace.writtenPath(), keep.string());
    EXPECT_EQ(files(), std::vector<std::string>{"keep.dat"}) << "partial file left behind";
    const auto report = test::countWithTraceCmdReport(keep.string());
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_EQ(report.total, events);
}

TEST_F(SinkTest, StartThatNeverEndsLeavesNoFile) {
    {
        TraceDatFileSink sink((dir_ / "never.dat").string());
        record(sink, 2);
        EXPECT_EQ(files().size(), 1u); // the partial file while recording
    }
    EXPECT_TRUE(files().empty());
}

TEST_F(SinkTest, TargetAppearingMeanwhileIsNotReplaced) {
    const fs::path out = dir_ / "race.dat";
    TraceDatFileSink sink(out.string());
    const auto events = record(sink, 3);
    std::ofstream(out) << "someone else's";
    std::string error;
    EXPECT_TRUE(sink.end("", error));
    EXPECT_NE(error.find("kept in " + sink.partialPath()), std::string::npos) << error;
    EXPECT_EQ(slurp(out), "someone else's");
    EXPECT_EQ(sink.writtenPath(), sink.partialPath());
    EXPECT_EQ(test::countWithTraceCmdReport(sink.partialPath()).total, events);
}

TEST_F(SinkTest, CapturesArePrivateAndNeverWrittenThroughASymlink) {
    const fs::path victim = dir_ / "victim";
    std::ofstream(victim) << "not a capture";
    const fs::path link = dir_ / "link.dat";
    fs::create_symlink(victim, link);
    std::string error;
    EXPECT_FALSE(TraceDatWriter::create(link.string(), meta_, error)) << "followed a symlink";
    EXPECT_EQ(slurp(victim), "not a capture");
    {
        TraceDatFileSink sink(link.string()); // a dangling or not: it exists, it is refused
        EXPECT_FALSE(sink.open(error));
    }
    TraceDatFileSink replace(link.string(), TraceDatFileSink::Existing::Replace);
    record(replace, 1);
    struct stat st {};
    ASSERT_EQ(::stat(replace.partialPath().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << "holds /proc/kallsyms read as root";
    EXPECT_TRUE(replace.end("", error)) << error;
    EXPECT_EQ(slurp(victim), "not a capture");
    EXPECT_FALSE(fs::is_symlink(link)) << "the link itself is replaced, its target never";
    ASSERT_EQ(::stat(link.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto writer = TraceDatWriter::create((dir_ / "plain.dat").string(), meta_, error);
    ASSERT_TRUE(writer) << error;
    ASSERT_EQ(::stat((dir_ / "plain.dat").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// fsync() or close() failing at the end (a full NFS or thin-provisioned
// disk, an I/O error): the recording fails with a message, the pages stay.
TEST_F(SinkTest, FsyncOrCloseFailureFailsTheRecordingAndKeepsThePages) {
    for (const bool failClose : {false, true}) {
        const std::string name = failClose ? "close.dat" : "fsync.dat";
        const fs::path out = dir_ / name;
        TraceDatFileSink sink(out.string());
        const auto events = record(sink, 4);
        (failClose ? g_failClose : g_failFsync) = failClose ? "close.partial-" : "fsync.partial-";
        std::string error;
        EXPECT_TRUE(sink.end("", error)) << "the pages written are a readable capture";
        g_failFsync = nullptr;
        g_failClose = nullptr;
        EXPECT_NE(error.find(failClose ? "(close)" : "(fsync)"), std::string::npos) << error;
        EXPECT_NE(error.find("Input/output error"), std::string::npos) << error;
        EXPECT_NE(error.find(out.string()), std::string::npos) << error;
        EXPECT_EQ(sink.lastError(), error);
        const auto report = test::countWithTraceCmdReport(out.string());
        ASSERT_TRUE(report.ok) << report.error;
        EXPECT_EQ(report.total, events);
    }
}

} // namespace
} // namespace irqlens
