// A real local recording through LiveSink: the file on disk is what it was
// (trace-cmd report agrees with the recorder), and the store decoded live
// from the pages holds exactly the events of that file, column by column,
// as our own loader and trace-cmd report see them.
#include "app/live/live_sink.h"
#include "core/record/recorder.h"
#include "core/record/tracedat_file_sink.h"
#include "parsers/capture_loader.h"
#include "tests/record/record_fixture.h"
#include "tests/record/report_counts.h"

#include <chrono>
#include <thread>

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

TEST_F(RecordTest, LiveSinkStoreEqualsTheWrittenFile) {
    const std::string path = dir_ / "live.dat";
    RecordOptions options;
    options.durationSeconds = 2;
    auto recorder = makeLocalRecorder(options);
    TraceDatFileSink file(path);
    live::LiveSink sink(file);
    std::string error;
    test::LoadGenerator load(dir_);
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
            ASSERT_EQ(live.type(a.type).fullName(), file_store.type(b.type).fullName());
        }
    }
    EXPECT_EQ(live.missed().size(), file_store.missed().size() -
                                        static_cast<std::size_t>(std::count_if(
                                            file_store.missed().begin(), file_store.missed().end(),
                                            [](const MissedEvents& m) { return m.ts < 0; })));
}

} // namespace
} // namespace irqlens
