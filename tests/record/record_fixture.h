// Shared set-up of the recording tests: root + a mounted tracefs (mounted
// here when missing), a temp dir, bounded disk and loopback network load,
// and helpers to look at tracefs instances.
#pragma once

#include <atomic>
#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <thread>
#include <vector>

namespace irqlens::test {

// Empty when recording can be tested, else why not (for GTEST_SKIP).
std::string tracefsUnavailableReason();

// Names of the instances under /sys/kernel/tracing/instances.
std::vector<std::string> tracefsInstances();

// Disk writes with fsync and TCP traffic over 127.0.0.1, in background
// threads, until stop() (bounded in size).
class LoadGenerator {
public:
    explicit LoadGenerator(const std::filesystem::path& dir);
    ~LoadGenerator() { stop(); }
    void stop();
    std::uint64_t diskBytes() const { return diskBytes_; }
    std::uint64_t netBytes() const { return netBytes_; }

private:
    void disk(std::filesystem::path file);
    void network();
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> diskBytes_{0}, netBytes_{0};
    std::vector<std::thread> threads_;
};

// The `record` command's binary: irqlens-cli when built (then "record" is
// prepended to the arguments), else this branch's irqlens-record-driver.
std::vector<std::string> recordCommand();

// Runs a command (argv) in a child; returns its pid.  stderr goes to `errFile`.
pid_t spawnProcess(const std::vector<std::string>& argv, const std::string& errFile);

// Waits for `pid` up to `seconds`; returns the exit status, or -1 (killed then).
int waitProcess(pid_t pid, int seconds);

// How many `ssh` processes are children of `parent` (the recorder's master
// connection and readers).
int sshChildrenOf(pid_t parent);

class RecordTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;
    std::filesystem::path dir_;
};

} // namespace irqlens::test
