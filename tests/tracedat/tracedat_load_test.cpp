// The parallel load (threads, streams split into pieces) gives the same
// store as a one-thread load; progress, cancellation, capture info and the
// on-demand EventSource, checked against trace-cmd's own output.
#include "parsers/capture_loader.h"
#include "parsers/tracedat/capture_info.h"
#include "parsers/tracedat/tracedat_reader.h"
#include "tests/tracedat/report_reader.h"
#include "tests/tracedat/store_walk.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <unistd.h>

namespace irqlens::test {
namespace {

// An event with its interned ids replaced by the values they stand for
// (ids depend on which thread interned a value first).
std::string resolved(const EventStore& s, int cpu, std::size_t i) {
    const EventFields e = s.cpu(cpu).at(i);
    std::string key = std::to_string(e.ts) + " " + std::to_string(e.pid) + " " +
                      s.type(e.type).fullName() + " " + std::to_string(e.flags) + " " +
                      std::to_string(e.preempt) + " ";
    switch (s.type(e.type).kind) {
    case EventKind::IrqHandlerEntry:
        return key + std::to_string(s.irqActions.get(e.arg).irq) + " " +
               std::string(s.strings.get(s.irqActions.get(e.arg).name));
    case EventKind::WorkQueue:
    case EventKind::WorkActivate:
    case EventKind::WorkStart:
    case EventKind::WorkEnd:
        return key + std::to_string(s.works.get(e.arg).work) + " " +
               std::to_string(s.works.get(e.arg).function);
    case EventKind::KernelStack: {
        for (auto f : s.stacks.get(e.arg)) {
            key += std::to_string(f) + " ";
        }
        return key;
    }
    default:
        return key + std::to_string(e.arg);
    }
}

TEST(TraceDatLoad, SplitStreamsGiveTheSameStoreAsOneThread) {
    for (const char* sample : {"net_v6.dat", "irq_stack.dat"}) {
        const std::string path = dataPath(sample);
        LoadOptions one;
        one.threads = 1;
        LoadOptions three;
        three.threads = 3;
        tracedat::ReaderTuning splitEverything;
        splitEverything.minBytesPerExtraThread = 1;
        splitEverything.minPieceBytes = 16 * 4096;
        const LoadResult a = tracedat::loadTraceDat(path, one);
        const LoadResult b = tracedat::loadTraceDat(path, three, splitEverything);
        ASSERT_TRUE(a.ok() && b.ok()) << a.error << b.error;
        const EventStore& sa = *a.store;
        const EventStore& sb = *b.store;
        ASSERT_EQ(sa.cpuCount(), sb.cpuCount());
        std::size_t differences = 0;
        for (int cpu = 0; cpu < sa.cpuCount(); ++cpu) {
            ASSERT_EQ(sa.cpu(cpu).size(), sb.cpu(cpu).size()) << sample << " cpu " << cpu;
            for (std::size_t i = 0; i < sa.cpu(cpu).size(); ++i) {
                differences += resolved(sa, cpu, i) != resolved(sb, cpu, i);
                if (i % CpuEvents::kAnchorStride == 0) {
                    differences += sa.cpu(cpu).anchorOffset(i) != sb.cpu(cpu).anchorOffset(i);
                }
            }
        }
        EXPECT_EQ(differences, 0u) << sample;
        for (std::int32_t pid : sa.comms.pids()) {
            EXPECT_EQ(sa.comm(pid, sa.lastTs()), sb.comm(pid, sb.lastTs())) << pid;
        }
        // The split load must still read single events back through its anchors.
        const int busiest = sb.cpu(0).size() > sb.cpu(1).size() ? 0 : 1;
        const std::size_t last = sb.cpu(busiest).size() - 1;
        EXPECT_EQ(sa.source()->info(busiest, sa.cpu(busiest).anchorOffset(last),
                                    std::uint32_t(last - sa.cpu(busiest).anchorIndex(last))),
                  sb.source()->info(busiest, sb.cpu(busiest).anchorOffset(last),
                                    std::uint32_t(last - sb.cpu(busiest).anchorIndex(last))));
    }
}

TEST(TraceDatLoad, ProgressIsMonotonicAndCancelStopsTheLoad) {
    const std::string path = dataPath("net_v6.dat");
    std::vector<LoadProgress> calls;
    LoadOptions options;
    options.progress = [&](const LoadProgress& p) { calls.push_back(p); };
    const LoadResult full = loadCapture(path, options);
    ASSERT_TRUE(full.ok()) << full.error;
    ASSERT_FALSE(calls.empty());
    for (std::size_t i = 1; i < calls.size(); ++i) {
        EXPECT_GE(calls[i].fraction, calls[i - 1].fraction);
        EXPECT_GE(calls[i].events, calls[i - 1].events);
    }
    EXPECT_LE(calls.back().fraction, 1.0);
    EXPECT_LE(calls.back().events, full.store->totalEvents());

    std::atomic<bool> cancel{false};
    LoadOptions cancelling;
    cancelling.cancel = &cancel;
    cancelling.progress = [&](const LoadProgress&) { cancel = true; };
    const LoadResult stopped = loadCapture(path, cancelling);
    EXPECT_EQ(stopped.status, LoadResult::Status::Cancelled);
    EXPECT_EQ(stopped.store, nullptr);
    EXPECT_EQ(stopped.error, path + ": loading cancelled");
}

// `trace-cmd dump` prints the header and options libtracecmd read.
TEST(TraceDatLoad, CaptureInfoMatchesTraceCmdDump) {
    for (const char* sample : {"irq_wq.dat", "net_v6.dat"}) {
        const std::string path = dataPath(sample);
        const LoadResult r = loadCapture(path);
        ASSERT_TRUE(r.ok()) << r.error;
        const CaptureInfo& info = r.store->info();
        const std::string summary = runCommand("trace-cmd dump --summary '" + path + "' 2>&1");
        const std::string options = runCommand("trace-cmd dump --options '" + path + "' 2>&1");
        const std::string report = runCommand("trace-cmd report --stat '" + path + "' 2>&1");
        std::smatch m;
        ASSERT_TRUE(std::regex_search(summary, m, std::regex(R"((\d+)\s+\[Version\])")));
        std::string format = "trace.dat v" + m[1].str();
        if (std::regex_search(summary, m, std::regex(R"((\w+)\s+\[Compression algorithm\])"))) {
            format += " (" + m[1].str() + ")";
        }
        EXPECT_EQ(info.format, format);
        ASSERT_TRUE(std::regex_search(summary, m, std::regex(R"((\d+)\s+\[Bytes in a long\])")));
        EXPECT_EQ(info.longSize, std::stoi(m[1].str()));
        ASSERT_TRUE(std::regex_search(summary, m, std::regex(R"((\d+)\s+\[Page size, bytes\])")));
        EXPECT_EQ(info.pageSize, std::stoi(m[1].str()));
        EXPECT_FALSE(info.bigEndian);
        ASSERT_TRUE(std::regex_search(report, m, std::regex(R"(cpus=(\d+))")));
        EXPECT_EQ(info.cpuCount, std::stoi(m[1].str()));
        ASSERT_TRUE(std::regex_search(options, m, std::regex(R"(\[(\w+)\])")));
        EXPECT_EQ(info.clock, m[1].str()); // the selected clock is in brackets
        ASSERT_TRUE(std::regex_search(options, m, std::regex(R"(Linux (\S+) (\S+) )")));
        EXPECT_EQ(info.hostname, m[1].str());
        EXPECT_EQ(info.kernel, m[2].str());
        std::vector<std::int64_t> overruns;
        const std::regex overrun(R"(\noverrun: (\d+))");
        for (auto it = std::sregex_iterator(report.begin(), report.end(), overrun);
             it != std::sregex_iterator(); ++it) {
            overruns.push_back(std::stoll((*it)[1].str()));
        }
        EXPECT_EQ(info.overrunPerCpu, overruns) << sample;
    }
}

// No sample lost events, so make one: set the ring buffer's "events were
// missed" flag (bit 31 of the page header's commit word) on one page of a
// v6 capture; trace-cmd report then prints "CPU:0 [EVENTS DROPPED]" before
// that page's first event, and the store must hold the same mark.
TEST(TraceDatLoad, MissedEventMarksMatchTheReport) {
    const std::string sample = dataPath("net_v6.dat");
    const std::string dump = runCommand("trace-cmd dump --flyrecord '" + sample + "' 2>&1");
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(dump, m, std::regex(R"((\d+)\s+\d+\s+\[offset, size of cpu 0\])")))
        << dump;
    const std::uint64_t page = std::stoull(m[1].str()) + 10 * 4096; // the 11th page of CPU 0
    const auto path = std::filesystem::temp_directory_path() /
                      ("irqlens-missed-" + std::to_string(getpid()) + ".dat");
    std::filesystem::copy_file(sample, path, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::permissions(path, std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    {
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(std::streamoff(page + 8 + 3)); // commit: u64 after the u64 timestamp, LE
        char byte = 0;
        f.read(&byte, 1);
        byte = static_cast<char>(byte | 0x80);
        f.seekp(std::streamoff(page + 8 + 3));
        f.write(&byte, 1);
    }
    const LoadResult r = loadCapture(path.string());
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    StoreWalk walk(store);
    std::vector<MissedEvents> reported;
    forEachReportEvent(path.string(), [&](const ReportEvent& e) {
        const auto ref = walk.match(e);
        if (ref && e.droppedBefore != 0) {
            reported.push_back({ref->cpu, e.tsNs, e.droppedBefore, ref->index});
        }
    });
    std::filesystem::remove(path);
    EXPECT_EQ(walk.mismatches(), 0u) << walk.firstMismatch();
    ASSERT_EQ(reported.size(), 1u);
    ASSERT_EQ(store.missed().size(), 1u);
    const MissedEvents& got = store.missed().front();
    EXPECT_EQ(got.cpu, reported[0].cpu);
    EXPECT_EQ(got.ts, reported[0].ts);
    EXPECT_EQ(got.count, -1);
    EXPECT_EQ(got.eventIndex, reported[0].eventIndex);
    EXPECT_TRUE(store.hasUnknownMissed());
}

TEST(TraceDatLoad, OverrunsAreParsedPerCpu) {
    const std::string stats = "CPU: 0\nentries: 5\noverrun: 0\ncommit overrun: 7\n"
                              "CPU: 2\nentries: 1\noverrun: 1234\n";
    EXPECT_EQ(tracedat::parseOverruns(stats, 3), (std::vector<std::int64_t>{0, -1, 1234}));
}

// decode() and info() re-read one event through the anchors; info() must
// print what trace-cmd report prints after the event name.
TEST(TraceDatLoad, SourceDecodesAndPrintsEventsLikeTheReport) {
    const std::string path = dataPath("irq_wq.dat");
    const LoadResult r = loadCapture(path);
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    StoreWalk walk(store);
    std::size_t compared = 0, differences = 0;
    std::string first;
    bool decodedIrq = false;
    forEachReportEvent(path, [&](const ReportEvent& e) {
        const auto ref = walk.match(e);
        if (!ref) {
            return;
        }
        const CpuEvents& col = store.cpu(ref->cpu);
        const auto skip = std::uint32_t(ref->index - col.anchorIndex(ref->index));
        std::string info = store.source()->info(ref->cpu, col.anchorOffset(ref->index), skip);
        info.erase(info.find_last_not_of(' ') + 1); // the report's text is trimmed too
        ++compared;
        if (info != e.info && differences++ == 0) {
            first = e.name + ": report \"" + e.info + "\" source \"" + info + "\"";
        }
        if (e.name == "irq_handler_entry" && !decodedIrq) {
            decodedIrq = true;
            const auto fields = store.decode(*ref);
            ASSERT_EQ(fields.size(), 2u);
            EXPECT_EQ(fields[0].name, "irq");
            EXPECT_EQ(fields[1].name, "name");
            EXPECT_EQ("irq=" + fields[0].value + " name=" + fields[1].value, e.info);
        }
    });
    EXPECT_EQ(compared, store.totalEvents());
    EXPECT_EQ(differences, 0u) << first;
    EXPECT_TRUE(decodedIrq);
}

} // namespace
} // namespace irqlens::test
