// Our page decoder against libtracecmd's own record iteration (the
// reference trace-cmd report uses): every event's timestamp, every anchor's
// offset (EventSource re-reads events from it) and every lost-events mark,
// on v6 and v7 (zstd) samples; and the decoder fed raw pages directly, as
// the live recorder will.
#include "parsers/capture_loader.h"
#include "parsers/tracedat/libtracecmd.h"
#include "parsers/tracedat/page_decoder.h"
#include "parsers/tracedat/tracedat_layout.h"
#include "parsers/tracedat/tracedat_reader.h"
#include "tests/support/test_data.h"

#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

namespace irqlens::test {
namespace {

struct Reference {
    std::vector<std::vector<std::uint64_t>> ts, offsets; // per CPU
    std::vector<MissedEvents> missed;
};

// Serial libtracecmd iteration, CPU by CPU.
Reference readWithLibtracecmd(const std::string& path) {
    Reference ref;
    tracecmd_input* handle = tracecmd_open(path.c_str(), TRACECMD_FL_LOAD_NO_PLUGINS);
    if (!handle) {
        return ref;
    }
    const int cpus = tracecmd_cpus(handle);
    ref.ts.resize(std::size_t(cpus));
    ref.offsets.resize(std::size_t(cpus));
    for (int cpu = 0; cpu < cpus; ++cpu) {
        while (tep_record* rec = tracecmd_read_data(handle, cpu)) {
            if (rec->missed_events != 0) {
                MissedEvents m;
                m.cpu = static_cast<std::uint16_t>(cpu);
                m.ts = static_cast<std::int64_t>(rec->ts);
                m.count = rec->missed_events > 0 ? rec->missed_events : -1;
                m.eventIndex = static_cast<std::uint32_t>(ref.ts[std::size_t(cpu)].size());
                ref.missed.push_back(m);
            }
            ref.ts[std::size_t(cpu)].push_back(rec->ts);
            ref.offsets[std::size_t(cpu)].push_back(rec->offset);
            tracecmd_free_record(rec);
        }
    }
    tracecmd_close(handle);
    return ref;
}

void expectSameAsLibtracecmd(const std::string& path, const LoadOptions& options,
                             const tracedat::ReaderTuning& tuning) {
    const Reference ref = readWithLibtracecmd(path);
    const LoadResult r = tracedat::loadTraceDat(path, options, tuning);
    ASSERT_TRUE(r.ok()) << r.error;
    const EventStore& store = *r.store;
    ASSERT_GE(std::size_t(store.cpuCount()), ref.ts.size());
    std::size_t tsDiffs = 0, offsetDiffs = 0, total = 0;
    for (std::size_t cpu = 0; cpu < ref.ts.size(); ++cpu) {
        const CpuEvents& events = store.cpu(int(cpu));
        ASSERT_EQ(events.size(), ref.ts[cpu].size()) << path << " cpu " << cpu;
        for (std::size_t i = 0; i < events.size(); ++i) {
            tsDiffs += std::uint64_t(events.ts(i)) != ref.ts[cpu][i];
            if (i % CpuEvents::kAnchorStride == 0) {
                offsetDiffs += events.anchorOffset(i) != ref.offsets[cpu][i];
            }
        }
        total += events.size();
    }
    EXPECT_GT(total, 0u);
    EXPECT_EQ(tsDiffs, 0u) << path;
    EXPECT_EQ(offsetDiffs, 0u) << path;
    // Marks in the stream (the store adds unplaced overrun marks after them).
    std::vector<MissedEvents> placed;
    for (const MissedEvents& m : store.missed()) {
        if (m.ts >= 0) {
            placed.push_back(m);
        }
    }
    ASSERT_EQ(placed.size(), ref.missed.size()) << path;
    for (std::size_t k = 0; k < placed.size(); ++k) {
        EXPECT_EQ(placed[k].cpu, ref.missed[k].cpu);
        EXPECT_EQ(placed[k].eventIndex, ref.missed[k].eventIndex);
        EXPECT_EQ(placed[k].count, ref.missed[k].count);
        EXPECT_EQ(placed[k].ts, ref.missed[k].ts);
    }
}

TEST(PageDecoder, EveryEventMatchesLibtracecmdOneThreadAndSplit) {
    tracecmd_set_loglevel(TEP_LOG_NONE);
    for (const char* sample : {"net_v6.dat", "irq_stack.dat", "irq_wq.dat", "big.dat"}) {
        const std::string path = dataPath(sample);
        LoadOptions one;
        one.threads = 1;
        expectSameAsLibtracecmd(path, one, {});
        // Small pieces over three threads: most are decoded aside and joined.
        LoadOptions three;
        three.threads = 3;
        tracedat::ReaderTuning small;
        small.minPieceBytes = small.maxPieceBytes = 8 * 4096;
        expectSameAsLibtracecmd(path, three, small);
    }
}

// Raw pages handed to the decoder directly (the live recorder's way in).
class RawPages : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = dataPath("net_v6.dat");
        auto layout = tracedat::inspectLayout(path_);
        ASSERT_TRUE(std::holds_alternative<tracedat::Layout>(layout));
        layout_ = std::get<tracedat::Layout>(layout);
        std::ifstream in(path_, std::ios::binary);
        bytes_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        handle_ = tracecmd_open(path_.c_str(), TRACECMD_FL_LOAD_NO_PLUGINS);
        ASSERT_NE(handle_, nullptr);
    }
    void TearDown() override {
        if (handle_) {
            tracecmd_close(handle_);
        }
    }
    std::string path_;
    tracedat::Layout layout_;
    std::string bytes_;
    tracecmd_input* handle_ = nullptr;
};

TEST_F(RawPages, CpuPagesDecodeToLibtracecmdsEventsAndADamagedPageIsSkipped) {
    const Reference ref = readWithLibtracecmd(path_);
    const tracedat::CpuDataRange& cpu0 = layout_.cpuData.at(0);
    EventStore store;
    store.setCpuCount(1);
    const auto types = tracedat::registerEventTypes(tracecmd_get_tep(handle_), store);
    tracedat::PageDecoder decoder(tracecmd_get_tep(handle_), types, store, layout_.pageSize);
    std::vector<MissedEvents> missed;
    tracedat::PageSink sink{&store.cpuEventsMutable(0), &missed, nullptr};
    auto* pages = reinterpret_cast<unsigned char*>(bytes_.data() + cpu0.offset);
    // In two batches (the first ends mid-stream) plus half a page (ignored).
    const std::size_t half = cpu0.size / layout_.pageSize / 2 * layout_.pageSize;
    const auto a = decoder.decodePages(0, pages, half, cpu0.offset, sink);
    const auto b = decoder.decodePages(0, pages + half, cpu0.size - half + layout_.pageSize / 2,
                                       cpu0.offset + half, sink);
    EXPECT_EQ(a.events + b.events, ref.ts.at(0).size());
    ASSERT_EQ(store.cpu(0).size(), ref.ts.at(0).size());
    EXPECT_EQ(std::uint64_t(store.cpu(0).ts(store.cpu(0).size() - 1)), ref.ts.at(0).back());
    EXPECT_EQ(a.damagedPages + b.damagedPages, 0u);

    // A commit larger than the page: the page's events are dropped, the
    // pages after it still decode.
    std::string damaged(pages, pages + 3 * layout_.pageSize);
    damaged[8 + 3] = static_cast<char>(0x07); // commit (little-endian long) += 0x07000000
    EventStore again;
    again.setCpuCount(1);
    const auto types2 = tracedat::registerEventTypes(tracecmd_get_tep(handle_), again);
    tracedat::PageDecoder decoder2(tracecmd_get_tep(handle_), types2, again, layout_.pageSize);
    tracedat::PageSink sink2{&again.cpuEventsMutable(0), &missed, nullptr};
    const auto c = decoder2.decodePages(0, reinterpret_cast<unsigned char*>(damaged.data()),
                                        damaged.size(), cpu0.offset, sink2);
    EXPECT_EQ(c.damagedPages, 1u);
    EXPECT_EQ(c.firstDamagedOffset, cpu0.offset);
    EXPECT_EQ(c.pages, 3u);
    // The two intact pages hold what libtracecmd reads from them.
    std::size_t inPages23 = 0;
    for (std::uint64_t off : ref.offsets.at(0)) {
        inPages23 +=
            off >= cpu0.offset + layout_.pageSize && off < cpu0.offset + 3 * layout_.pageSize;
    }
    EXPECT_EQ(c.events, inPages23);
    EXPECT_GT(inPages23, 0u);
}

// v7 files compressed with zlib (Debian's libtracecmd reads zstd only): our
// own section and chunk decompression and format parsing.  counts.json
// holds what an upstream trace-cmd built with zlib reports for them.
TEST(PageDecoder, ZlibCapturesLoadWithTraceCmdsCounts) {
    const std::string dir = fieldCorpusDir();
    if (dir.empty()) {
        GTEST_SKIP() << fieldCorpusMissingReason();
    }
    std::ifstream in(dir + "/counts.json");
    const auto counts = nlohmann::json::parse(in);
    int checked = 0;
    for (const char* name :
         {"hip24-x86guest-v7zlib-irq-wq.dat", "hip24-x86host-v7zlib-x86tsc-kvm.dat"}) {
        const LoadResult r = loadCapture(dir + "/" + name);
        ASSERT_TRUE(r.ok()) << r.error;
        const EventStore& store = *r.store;
        const auto& want = counts.at(name);
        EXPECT_EQ(store.info().format, "trace.dat v7 (zlib)");
        EXPECT_EQ(store.totalEvents(), want.at("events").get<std::uint64_t>()) << name;
        std::map<std::string, std::uint64_t> perName;
        for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
            const auto it = want.at("cpus").find(std::to_string(cpu));
            const std::uint64_t expected =
                it == want.at("cpus").end() ? 0 : it->get<std::uint64_t>();
            EXPECT_EQ(store.cpu(cpu).size(), expected) << name << " cpu " << cpu;
            for (std::size_t i = 0; i < store.cpu(cpu).size(); ++i) {
                ++perName[store.type(store.cpu(cpu).type(i)).name];
            }
        }
        using Counts = std::map<std::string, std::uint64_t>;
        EXPECT_EQ(perName, want.at("event_counts").get<Counts>()) << name;
        ++checked;
    }
    EXPECT_EQ(checked, 2);
}

} // namespace
} // namespace irqlens::test
