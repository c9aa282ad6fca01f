// --help of the program and of each subcommand, --version.
#include "cli_runner.h"

#include <gtest/gtest.h>

namespace irqlens::test {
namespace {

TEST(Help, ProgramListsEveryCommand) {
    const RunResult r = runCli({"--help"});
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(r.err.empty());
    for (const char* command : {"summary", "latency", "spans", "compare"}) {
        EXPECT_NE(r.out.find(std::string("\n  ") + command + " "), std::string::npos) << command;
    }
}

TEST(Help, EachCommandHasUsage) {
    for (const char* command : {"summary", "latency", "spans", "compare"}) {
        const RunResult r = runCli({command, "--help"});
        EXPECT_EQ(r.status, 0) << command;
        EXPECT_EQ(r.out.rfind(std::string("Usage: irqlens-cli ") + command, 0), 0u) << r.out;
        const RunResult viaHelp = runCli({"help", command});
        EXPECT_EQ(viaHelp.out, r.out);
    }
}

TEST(Help, Version) {
    const RunResult r = runCli({"--version"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, std::string("irqlens-cli ") + IRQLENS_VERSION + "\n");
}

} // namespace
} // namespace irqlens::test
