// A real local recording through LiveSink: the file on disk is what it was
// (trace-cmd report agrees with the recorder), and the store decoded live
// from the pages holds exactly the events of that file, column by column,
// as our own loader and trace-cmd report see them.
#include "app/live/live_sink.h"
#include "core/record/recorder.h"
#include "core/record/remote_recorder.h"
#include "core/record/tracedat_file_sink.h"
#include "core/spans/live_analysis.h"
#include "parsers/capture_loader.h"
#include "tests/record/record_fixture.h"
#include "tests/record/report_counts.h"
#include "tests/record/sshd_fixture.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iterator>
#include <set>
#include <thread>
#include <tuple>

namespace irqlens {
namespace {

using test::RecordTest;

std::map<std::string, std::uint64_t> countByName(const EventStore& store) {
    std::map<std::string, std::uint64_t> counts;
    for (int c = 0; c < store.cpuCount(); ++c) {
        for (std::size_t i = 0; i < store.cpu(c).size(); ++i) {
            ++counts[store.type(store.cpu(c).type(i)).name];
        }
    }
    return counts;
}

// Spans as (kind, cpu, start, end, key by name): ids of interned names
// differ between two stores, names do not.  Task and irq-thread keys are
// pids (their names come from saved_cmdlines only when a file is loaded).
std::multiset<std::tuple<int, int, std::int64_t, std::int64_t, std::string>>
spanSet(const EventStore& store, const Analysis& analysis) {
    std::multiset<std::tuple<int, int, std::int64_t, std::int64_t, std::string>> out;
    for (const Span& s : analysis.spans) {
        const bool byPid = s.kind == SpanKind::IrqThread;
        out.emplace(static_cast<int>(s.kind), s.cpu, s.start, s.end,
                    byPid ? std::to_string(s.key) : spanKeyName(store, s));
    }
    forEachSpanOf(analysis, SpanKind::Task, [&](SpanId, const Span& s) {
        out.emplace(static_cast<int>(s.kind), s.cpu, s.start, s.end, std::to_string(s.key));
    });
    return out;
}

// Records through a LiveSink with `recorder`, applying while it records as
// the GUI does, and checks the live store and its live analysis against the
// written file (trace-cmd report, our loader, analyze()).
void expectLiveEqualsFile(Recorder* recorder, const std::string& path,
                          const std::filesystem::path& dir) {
    TraceDatFileSink file(path);
    live::LiveSink sink(file);
    std::string error;
    test::LoadGenerator load(dir);
    ASSERT_TRUE(recorder->start(sink, error)) << error;
    ASSERT_TRUE(sink.decoding()) << sink.decoderError();
    // Applied while recording, as the GUI does, not only at the end.
    std::atomic<bool> done{false};
    std::uint64_t applies = 0, appliedEvents = 0;
    std::thread consumer([&] {
        while (!done) {
            appliedEvents += sink.decoder().apply().events;
            ++applies;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    const auto result = recorder->wait();
    done = true;
    consumer.join();
    load.stop();
    ASSERT_TRUE(result.ok) << result.error;
    appliedEvents += sink.decoder().apply().events;
    EXPECT_GE(applies, 5u);
    const EventStore& live = *sink.decoder().store();
    EXPECT_EQ(live.totalEvents(), appliedEvents);
    EXPECT_EQ(sink.decoder().stats().damagedPages, 0u);

    const auto report = test::countWithTraceCmdReport(path);
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(report.total, 1000u);
    EXPECT_EQ(live.totalEvents(), report.total);
    EXPECT_EQ(countByName(live), report.byEvent);

    // Column by column, the live store equals the loader's store of the file.
    auto loaded = loadCapture(path);
    ASSERT_TRUE(loaded.ok()) << loaded.error;
    const EventStore& file_store = *loaded.store;
    ASSERT_EQ(file_store.cpuCount(), live.cpuCount());
    for (int c = 0; c < live.cpuCount(); ++c) {
        ASSERT_EQ(live.cpu(c).size(), file_store.cpu(c).size()) << "cpu " << c;
        for (std::size_t i = 0; i < live.cpu(c).size(); ++i) {
            const EventFields a = live.cpu(c).at(i);
            const EventFields b = file_store.cpu(c).at(i);
            ASSERT_EQ(a.ts, b.ts) << "cpu " << c << " event " << i;
            ASSERT_EQ(a.pid, b.pid) << "cpu " << c << " event " << i;
            EXPECT_EQ(live.type(a.type).fullName(), file_store.type(b.type).fullName());
        }
    }
    // The live analysis of the live store finds the spans the batch
    // analysis of the written file finds.
    LiveAnalyzer analyzer(live);
    analyzer.advanceAll();
    const Analysis liveSpans = analyzer.snapshot();
    const Analysis fileSpans = analyze(file_store);
    EXPECT_GT(fileSpans.count(SpanKind::Workqueue), 0u);
    EXPECT_EQ(liveSpans.spans.size(), fileSpans.spans.size());
    EXPECT_EQ(liveSpans.episodes.size(), fileSpans.episodes.size());
    const auto a = spanSet(live, liveSpans), b = spanSet(file_store, fileSpans);
    std::vector<std::tuple<int, int, std::int64_t, std::int64_t, std::string>> onlyLive, onlyFile;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(onlyLive));
    std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(onlyFile));
    EXPECT_EQ(onlyLive.size(), 0u);
    EXPECT_EQ(onlyFile.size(), 0u);
    for (std::size_t i = 0; i < std::min<std::size_t>(3, onlyLive.size()); ++i) {
        const auto& [k, c, t0, t1, name] = onlyLive[i];
        ADD_FAILURE() << "live only: kind " << k << " cpu " << c << " " << t0 << "-" << t1 << " "
                      << name;
    }
    for (std::size_t i = 0; i < std::min<std::size_t>(3, onlyFile.size()); ++i) {
        const auto& [k, c, t0, t1, name] = onlyFile[i];
        ADD_FAILURE() << "file only: kind " << k << " cpu " << c << " " << t0 << "-" << t1 << " "
                      << name;
    }
    EXPECT_EQ(live.missed().size(), file_store.missed().size() -
                                        static_cast<std::size_t>(std::count_if(
                                            file_store.missed().begin(), file_store.missed().end(),
                                            [](const MissedEvents& m) { return m.ts < 0; })));
}

TEST_F(RecordTest, LiveSinkStoreEqualsTheWrittenFile) {
    RecordOptions options;
    options.durationSeconds = 2;
    auto recorder = makeLocalRecorder(options);
    expectLiveEqualsFile(recorder.get(), dir_ / "live.dat", dir_);
}

// The same through the remote recorder, over the tests' loopback sshd.
TEST_F(RecordTest, RemoteLiveSinkStoreEqualsTheWrittenFile) {
    test::LoopbackSshd sshd(dir_ / "sshd");
    if (!sshd.error().empty()) {
        GTEST_SKIP() << sshd.error();
    }
    ::setenv("IRQLENS_SSH_CONFIG", sshd.goodConfig().c_str(), 1);
    RecordOptions options;
    options.durationSeconds = 2;
    std::string error;
    auto recorder = makeRemoteRecorder(options, sshd.destination(), error);
    ASSERT_TRUE(recorder) << error;
    expectLiveEqualsFile(recorder.get(), dir_ / "remote-live.dat", dir_);
    ::unsetenv("IRQLENS_SSH_CONFIG");
}

} // namespace
} // namespace irqlens
