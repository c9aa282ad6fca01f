// Bad input is data: one clear line naming the file and what is wrong,
// never a crash or a hang (ctest's timeout bounds every case).
#include "parsers/capture_loader.h"
#include "parsers/tracedat/tracedat_layout.h"
#include "tests/tracedat/report_reader.h"

#include <algorithm>
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

class TraceDatBadInput : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("irqlens-bad-input-" + std::to_string(getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string write(const std::string& name, const std::string& bytes) {
        const fs::path p = dir_ / name;
        std::ofstream(p, std::ios::binary) << bytes;
        return p.string();
    }
    // The first `size` bytes of `source` as a new file.
    std::string prefix(const std::string& source, std::size_t size) {
        std::ifstream in(source, std::ios::binary);
        std::string bytes(size, '\0');
        in.read(bytes.data(), static_cast<std::streamsize>(size));
        bytes.resize(static_cast<std::size_t>(in.gcount()));
        return write("cut-" + std::to_string(size) + ".dat", bytes);
    }
    static void expectError(const std::string& path, const std::string& message) {
        const LoadResult r = loadCapture(path);
        EXPECT_EQ(r.status, LoadResult::Status::Failed) << path;
        EXPECT_EQ(r.store, nullptr);
        EXPECT_EQ(r.error, message);
        EXPECT_EQ(r.error.find('\n'), std::string::npos) << "one line";
    }
    // v7 keeps its options (and the BUFFER option locating the CPU data) at the
    // end of the file; v6 keeps them up front.  Every cut must fail with a line
    // that names the offset (or, if all the loader needs is intact, load).
    void expectCutsHandled(const std::string& sample) {
        const std::string path = dataPath(sample);
        const std::size_t size = fs::file_size(path);
        std::vector<std::size_t> cuts = {11, 16, 20, 27, 100, 4096, size / 2, size - 100, size - 1};
        for (std::size_t at = 65536; at < size; at += 65536) {
            cuts.push_back(at);
        }
        for (std::size_t cut : cuts) {
            const std::string file = prefix(path, cut);
            const LoadResult r = loadCapture(file);
            if (r.ok()) {
                continue; // nothing needed was cut off
            }
            EXPECT_EQ(r.error.rfind(file + ": trace.dat ", 0), 0u) << r.error;
            EXPECT_NE(r.error.find("offset"), std::string::npos) << r.error;
            EXPECT_NE(r.error.find(std::to_string(cut)), std::string::npos)
                << "names the file size: " << r.error;
        }
    }

    fs::path dir_;
};

TEST_F(TraceDatBadInput, MissingFile) {
    const std::string path = (dir_ / "nothing-here.dat").string();
    expectError(path, path + ": no such file");
}

TEST_F(TraceDatBadInput, Directory) {
    expectError(dir_.string(), dir_.string() + ": is a directory, not a capture file");
}

TEST_F(TraceDatBadInput, EmptyFile) {
    const std::string path = write("empty.dat", "");
    expectError(path, path + ": empty file (0 bytes)");
}

// Text goes to the text reader (parsers/text), which names the file and the
// line it could not read; only the dispatch is checked here.
TEST_F(TraceDatBadInput, TextFileGoesToTheTextReader) {
    const std::string path = write("notes.dat", "hello, this is not a trace\n");
    const LoadResult r = loadCapture(path);
    EXPECT_EQ(r.status, LoadResult::Status::Failed);
    EXPECT_EQ(r.error.rfind(path + ": ", 0), 0u) << r.error;
    EXPECT_EQ(r.error.find("trace.dat"), std::string::npos) << r.error;
    EXPECT_EQ(r.error.find('\n'), std::string::npos);
}

TEST_F(TraceDatBadInput, BinaryFileIsNotATraceDat) {
    const std::string path = write("elf.dat", std::string("\x7f"
                                                          "ELF\x02\x01\x01\x00\x00\x00",
                                                          10));
    expectError(path,
                path + ": not a trace.dat capture (starts with bytes 7f 45 4c 46 02 01 01 00)");
}

TEST_F(TraceDatBadInput, UnsupportedVersion) {
    const std::string path =
        write("v9.dat", std::string("\x17\x08\x44tracing9\0\0\x08\0\x10\0\0", 18));
    expectError(path, path + ": trace.dat unsupported trace.dat version \"9\"");
}

TEST_F(TraceDatBadInput, HeaderCutShort) {
    const std::string path = write("short.dat", std::string("\x17\x08\x44tracing7\0", 12));
    expectError(path, path + ": trace.dat truncated: header at offset 12 ends beyond the end of "
                             "the file (12 bytes)");
}

TEST_F(TraceDatBadInput, TruncatedV7AtManyOffsets) {
    expectCutsHandled("irq_wq.dat");
}

TEST_F(TraceDatBadInput, TruncatedV6AtManyOffsets) {
    expectCutsHandled("net_v6.dat");
}

// The zlib host capture has data for CPUs 5, 6, 8 and 10 of 20 (trace-cmd
// writes none for the others; counts.json: upstream trace-cmd's counts).  Cut
// inside CPU 6's data, it has lost the BUFFER option naming those CPUs: the
// recovered streams are numbered by the CPUSTAT options that show events.
TEST_F(TraceDatBadInput, CutV7NumbersItsRecoveredCpusByTheirCpuStats) {
    const std::string path = dataPath("hip24-x86host-v7zlib-x86tsc-kvm.dat");
    // trace-cmd cannot read zlib files: the whole file's BUFFER option, as
    // the layout walk reads it, says where CPU 6's data lies.
    const auto whole = tracedat::inspectLayout(path);
    ASSERT_TRUE(std::holds_alternative<tracedat::Layout>(whole));
    const auto& cpus = std::get<tracedat::Layout>(whole).cpuData;
    const auto cpu6 = std::find_if(cpus.begin(), cpus.end(), [](auto& c) { return c.cpu == 6; });
    ASSERT_NE(cpu6, cpus.end());
    const std::string file = prefix(path, cpu6->offset + cpu6->size / 2);
    const LoadResult r = loadCapture(file);
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    EXPECT_EQ(store.cpu(5).size(), 3116u); // complete: counts.json's CPU 5
    EXPECT_GT(store.cpu(6).size(), 0u);
    EXPECT_LT(store.cpu(6).size(), 2989u); // counts.json's CPU 6
    EXPECT_EQ(store.cpu(8).size() + store.cpu(10).size(), 0u);
    EXPECT_EQ(store.info().cpusCut, std::vector<int>({6}));
    EXPECT_EQ(store.info().truncatedAt, fs::file_size(file));
    const auto& warnings = store.info().warnings;
    EXPECT_TRUE(std::any_of(warnings.begin(), warnings.end(), [](const std::string& w) {
        return w.find("lies beyond the end of the file") != std::string::npos &&
               w.find("CPUSTAT") != std::string::npos;
    }));
}

TEST_F(TraceDatBadInput, TruncatedV7ExactMessage) {
    const std::string path = dataPath("irq_wq.dat");
    // The first options section starts at the offset the header gives
    // (trace-cmd dump --options prints it): cut just before it.
    const std::string dump = runCommand("trace-cmd dump --options '" + path + "' 2>&1");
    const auto at = dump.find("[Section 0 @ ");
    ASSERT_NE(at, std::string::npos) << dump;
    const std::size_t options = std::stoul(dump.substr(at + 13));
    const std::string file = prefix(path, options);
    expectError(file, file + ": trace.dat truncated: options section at offset " +
                          std::to_string(options) + " ends beyond the end of the file (" +
                          std::to_string(options) + " bytes)");
}

// A damaged first chunk of compressed CPU data makes libtracecmd 3.1.6 crash
// in its own clean-up; the reader must catch it first.
TEST_F(TraceDatBadInput, CorruptCompressedChunk) {
    const std::string path = dataPath("irq_wq.dat");
    const std::string options = runCommand("trace-cmd dump --options '" + path + "' 2>&1");
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(options, m, std::regex(R"(\n\s+0 (\d+)\s+\d+\s+\[id, data offset)")))
        << options;
    const std::size_t cpu0 = std::stoul(m[1].str());
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::size_t i = cpu0 + 40; i < cpu0 + 200; i += 7) {
        bytes[i] = static_cast<char>(bytes[i] ^ 0x5a); // inside the first zstd frame
    }
    const std::string file = write("corrupt-chunk.dat", bytes);
    expectError(file, file + ": trace.dat corrupt: CPU 0 data at offset " + std::to_string(cpu0) +
                          ": its first chunk does not decompress");
}

// A damaged chunk further in: libtracecmd stops that CPU's stream there
// without a word.  The store must hold what trace-cmd report shows of the
// same file, and say that the rest is missing.
TEST_F(TraceDatBadInput, DamagedLaterChunkLoadsTheReadablePartWithAWarning) {
    const std::string path = dataPath("irq_wq.dat");
    const std::string options = runCommand("trace-cmd dump --options '" + path + "' 2>&1");
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(options, m, std::regex(R"(\n\s+1 (\d+)\s+\d+\s+\[id, data offset)")))
        << options;
    const std::size_t cpu1 = std::stoul(m[1].str());
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto u32 = [&](std::size_t at) {
        std::uint32_t v = 0;
        std::memcpy(&v, bytes.data() + at, 4); // the sample is little-endian
        return v;
    };
    // trace-cmd.dat.v7(5): u32 chunk count, then per chunk u32 packed size,
    // u32 unpacked size, data.
    ASSERT_GE(u32(cpu1), 2u) << "the sample's CPU 1 data has two chunks";
    const std::size_t second = cpu1 + 4 + 8 + u32(cpu1 + 4);
    for (std::size_t i = second + 8 + 40; i < second + 8 + u32(second); i += 9) {
        bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
    }
    const std::string file = write("damaged-chunk.dat", bytes);
    const LoadResult r = loadCapture(file);
    ASSERT_TRUE(r.ok()) << r.error;
    const ReportCounts report = countReport(file);
    const ReportCounts original = countReport(path);
    EXPECT_EQ(r.store->totalEvents(), report.total);
    EXPECT_EQ(r.store->cpu(1).size(), report.perCpu.at(1));
    EXPECT_LT(r.store->cpu(1).size(), original.perCpu.at(1));
    ASSERT_EQ(r.store->info().warnings.size(), 1u);
    // The warning names the damaged chunk (its header's offset, found above).
    EXPECT_EQ(r.store->info().warnings[0], "CPU 1: the chunk at offset " + std::to_string(second) +
                                               " does not decompress: its events are missing");
}

} // namespace
} // namespace irqlens::test
