// LiveAnalyzer against analyze(): the repository's samples are fed to a
// growing store chunk by chunk (a chunk stands for a ring-buffer page), in
// several CPU orders, with advance() after every chunk.  At the end the live
// analysis must equal the batch one exactly; on the way, nothing may be
// walked past the watermark, and a CPU whose first page comes last must hold
// the walk back.  The control at the end shows the comparison can fail: a
// CPU wrongly marked idle gets its events walked late and the result differs.
#include "core/spans/live_analysis.h"
#include "parsers/capture_loader.h"
#include "tests/support/test_data.h"

#include <algorithm>
#include <functional>
#include <gtest/gtest.h>
#include <iostream>
#include <numeric>
#include <tuple>

namespace irqlens {
namespace {

constexpr std::size_t kChunk = 40; // events per simulated page

auto spanTie(const Span& s) {
    return std::tie(s.start, s.end, s.trigger, s.key, s.pid, s.begin.cpu, s.begin.index,
                    s.finish.cpu, s.finish.index, s.cpu, s.flags, s.kind, s.depth);
}
auto episodeTie(const Episode& e) {
    return std::tie(e.hardIrq, e.firstLink, e.linkCount, e.end, e.topHalfNs, e.waitNs, e.runNs,
                    e.preemptedNs, e.preemptedBy, e.flags);
}

// "" when equal, else the first difference.
std::string difference(const Analysis& a, const Analysis& b) {
    if (a.spans.size() != b.spans.size()) {
        return "spans " + std::to_string(a.spans.size()) + " vs " + std::to_string(b.spans.size());
    }
    for (std::size_t i = 0; i < a.spans.size(); ++i) {
        if (spanTie(a.spans[i]) != spanTie(b.spans[i])) {
            const Span &x = a.spans[i], &y = b.spans[i];
            return "span " + std::to_string(i) + ": start " + std::to_string(x.start) + "/" +
                   std::to_string(y.start) + " end " + std::to_string(x.end) + "/" +
                   std::to_string(y.end) + " flags " + std::to_string(x.flags) + "/" +
                   std::to_string(y.flags) + " kind " + std::to_string(int(x.kind)) + "/" +
                   std::to_string(int(y.kind)) + " trigger " + std::to_string(x.trigger) + "/" +
                   std::to_string(y.trigger) + " key " + std::to_string(x.key) + "/" +
                   std::to_string(y.key) + " pid " + std::to_string(x.pid) + "/" +
                   std::to_string(y.pid) + " depth " + std::to_string(x.depth) + "/" +
                   std::to_string(y.depth) + " begin " + std::to_string(x.begin.index) + "/" +
                   std::to_string(y.begin.index) + " finish " + std::to_string(x.finish.index) +
                   "/" + std::to_string(y.finish.index);
        }
    }
    if (a.taskRuns.size() != b.taskRuns.size() || !(a.taskRuns == b.taskRuns)) {
        return "task runs " + std::to_string(a.taskRuns.size()) + " vs " +
               std::to_string(b.taskRuns.size());
    }
    if (a.episodes.size() != b.episodes.size()) {
        return "episodes " + std::to_string(a.episodes.size()) + " vs " +
               std::to_string(b.episodes.size());
    }
    for (std::size_t i = 0; i < a.episodes.size(); ++i) {
        if (episodeTie(a.episodes[i]) != episodeTie(b.episodes[i])) {
            return "episode " + std::to_string(i);
        }
    }
    for (std::size_t i = 0; i < a.links.size() && i < b.links.size(); ++i) {
        if (std::tie(a.links[i].span, a.links[i].role, a.links[i].triggerTs) !=
            std::tie(b.links[i].span, b.links[i].role, b.links[i].triggerTs)) {
            return "link " + std::to_string(i);
        }
    }
    if (a.links.size() != b.links.size() || a.spanEpisodes != b.spanEpisodes ||
        a.spanEpisodeOffsets != b.spanEpisodeOffsets) {
        return "episode index";
    }
    if (a.preemptions.size() != b.preemptions.size() ||
        a.queueContexts.size() != b.queueContexts.size()) {
        return "side tables";
    }
    for (std::size_t i = 0; i < a.preemptions.size(); ++i) {
        const Preemption &x = a.preemptions[i], &y = b.preemptions[i];
        if (std::tie(x.span, x.start, x.end, x.by, x.cpu) !=
            std::tie(y.span, y.start, y.end, y.by, y.cpu)) {
            return "preemption " + std::to_string(i);
        }
    }
    for (std::size_t i = 0; i < a.queueContexts.size(); ++i) {
        const QueueContext &x = a.queueContexts[i], &y = b.queueContexts[i];
        if (std::tie(x.span, x.context, x.pid, x.queueTs, x.activateTs, x.cpu) !=
            std::tie(y.span, y.context, y.pid, y.queueTs, y.activateTs, y.cpu)) {
            return "queue context " + std::to_string(i);
        }
    }
    return "";
}

struct Chunk {
    int cpu;
    std::size_t first, last; // event range of that CPU
    std::int64_t ts;         // its first event's ts
};

std::vector<Chunk> chunksOf(const std::vector<CpuEvents>& src) {
    std::vector<Chunk> chunks;
    for (int c = 0; c < static_cast<int>(src.size()); ++c) {
        for (std::size_t i = 0; i < src[c].size(); i += kChunk) {
            chunks.push_back({c, i, std::min(i + kChunk, src[c].size()), src[c].ts(i)});
        }
    }
    return chunks;
}

enum class Order { ByTime, ByTimeHighCpuFirst, OneCpuLast, CpuAfterCpu };

// The CPU with the most events (the one whose late first page matters most).
int busiestCpu(const std::vector<CpuEvents>& src) {
    int best = 0;
    for (int c = 0; c < static_cast<int>(src.size()); ++c) {
        best = src[c].size() > src[best].size() ? c : best;
    }
    return best;
}

std::vector<Chunk> schedule(const std::vector<CpuEvents>& src, Order order) {
    std::vector<Chunk> chunks = chunksOf(src);
    const int late = busiestCpu(src);
    auto key = [&](const Chunk& k) {
        switch (order) {
        case Order::ByTime:
            return std::make_tuple(0, k.ts, k.cpu);
        case Order::ByTimeHighCpuFirst:
            return std::make_tuple(0, k.ts, -k.cpu);
        case Order::OneCpuLast:
            return std::make_tuple(k.cpu == late ? 1 : 0, k.ts, k.cpu);
        case Order::CpuAfterCpu:
            return std::make_tuple(k.cpu, k.ts, 0);
        }
        return std::make_tuple(0, k.ts, k.cpu);
    };
    std::stable_sort(chunks.begin(), chunks.end(),
                     [&](const Chunk& a, const Chunk& b) { return key(a) < key(b); });
    return chunks;
}

struct Fed {
    Analysis analysis;
    Analysis batch; // analyze() of the same store once every chunk was in
    std::size_t late = 0;
    std::size_t walkedBeforeLateCpu = 0; // OneCpuLast: walked before its first chunk came
};

// Called after each chunk was walked: (analyzer, chunk number, chunk count).
using AfterChunk = std::function<void(LiveAnalyzer&, std::size_t, std::size_t)>;

// Loads `path` again, empties its columns and feeds them back chunk by chunk.
Fed feed(const std::string& path, Order order, int idleCpu = -1, const AfterChunk& after = {}) {
    auto loaded = loadCapture(path);
    EXPECT_TRUE(loaded.ok()) << loaded.error;
    EventStore& store = *loaded.store;
    std::vector<CpuEvents> src(static_cast<std::size_t>(store.cpuCount()));
    for (int c = 0; c < store.cpuCount(); ++c) {
        std::swap(src[c], store.cpuEventsMutable(c));
    }
    const int lateCpu = busiestCpu(src);
    LiveAnalyzer live(store);
    if (idleCpu >= 0) {
        live.setCpuIdle(idleCpu, true);
    }
    Fed fed;
    bool lateSeen = false;
    const std::vector<Chunk> chunks = schedule(src, order);
    for (std::size_t n = 0; n < chunks.size(); ++n) {
        const Chunk& k = chunks[n];
        if (k.cpu == lateCpu && !lateSeen) {
            lateSeen = true;
            fed.walkedBeforeLateCpu = live.walkedEvents();
        }
        for (std::size_t i = k.first; i < k.last; ++i) {
            store.cpuEventsMutable(k.cpu).append(src[k.cpu].at(i), 0);
        }
        live.advance();
        // Nothing at or past the watermark was walked.
        const std::int64_t mark = live.watermark();
        if (live.edge() >= 0 && idleCpu < 0) {
            EXPECT_LT(live.edge(), mark);
        }
        if (after) {
            after(live, n, chunks.size());
        }
    }
    live.advanceAll();
    if (after) {
        after(live, chunks.size(), chunks.size());
    }
    fed.analysis = live.snapshot();
    // The same store: a second load could intern names in another order.
    fed.batch = analyze(store);
    fed.late = live.lateEvents();
    return fed;
}

class LiveAnalysisTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LiveAnalysisTest, EqualsBatchAnalysisInEveryDeliveryOrder) {
    const std::string path = test::dataPath(GetParam());
    auto loaded = loadCapture(path);
    ASSERT_TRUE(loaded.ok()) << loaded.error;
    const Analysis batch = analyze(*loaded.store);
    ASSERT_GT(batch.spans.size(), 100u);
    int cpusWithEvents = 0;
    for (int c = 0; c < loaded.store->cpuCount(); ++c) {
        cpusWithEvents += loaded.store->cpu(c).empty() ? 0 : 1;
    }
    for (Order order :
         {Order::ByTime, Order::ByTimeHighCpuFirst, Order::OneCpuLast, Order::CpuAfterCpu}) {
        SCOPED_TRACE("order " + std::to_string(static_cast<int>(order)));
        const Fed fed = feed(path, order);
        EXPECT_EQ(fed.batch.spans.size(), batch.spans.size());
        EXPECT_EQ(difference(fed.analysis, fed.batch), "");
        EXPECT_EQ(fed.late, 0u);
        if (order == Order::OneCpuLast && cpusWithEvents > 1) {
            EXPECT_EQ(fed.walkedBeforeLateCpu, 0u); // held back by the silent CPU
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Samples, LiveAnalysisTest,
                         ::testing::Values("irq_wq.dat", "tasklet.dat", "threaded.dat", "wq.dat",
                                           "irq_stack.dat", "net_v6.dat"),
                         [](const auto& param) {
                             std::string name = param.param.substr(0, param.param.find('.'));
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

// The control: the late CPU wrongly treated as idle is walked late, and the
// result is no longer the batch one (cross-CPU pairings: work queued on one
// CPU and run on another, wakeups): the comparison above can fail.
TEST(LiveAnalysisControl, IdleCpuWithEarlyEventsIsWalkedLateAndDiffers) {
    int differing = 0;
    for (const char* name : {"irq_wq.dat", "tasklet.dat", "threaded.dat", "wq.dat", "net_v6.dat"}) {
        const std::string path = test::dataPath(name);
        auto loaded = loadCapture(path);
        ASSERT_TRUE(loaded.ok()) << loaded.error;
        int busiest = 0;
        for (int c = 0; c < loaded.store->cpuCount(); ++c) {
            busiest = loaded.store->cpu(c).size() > loaded.store->cpu(busiest).size() ? c : busiest;
        }
        const Fed fed = feed(path, Order::OneCpuLast, busiest);
        EXPECT_GT(fed.late, 0u) << name;
        const std::string diff = difference(fed.analysis, fed.batch);
        std::cout << name << ": " << fed.late << " late events, " << (diff.empty() ? "same" : diff)
                  << "\n";
        differing += diff.empty() ? 0 : 1;
    }
    EXPECT_GT(differing, 0);
}

} // namespace
} // namespace irqlens

namespace irqlens {
namespace {

// A live picture (build order) put in analyze()'s order: spans sorted by
// (cpu, kind, start, depth, build id) as the batch sort does, every span id
// of the tables renumbered, preemptions and queue contexts sorted again.
Analysis inBatchOrder(const Analysis& picture) {
    std::vector<SpanId> order(picture.spans.size());
    std::iota(order.begin(), order.end(), SpanId{0});
    std::stable_sort(order.begin(), order.end(), [&](SpanId a, SpanId b) {
        const Span &x = picture.spans[a], &y = picture.spans[b];
        return std::tie(x.cpu, x.kind, x.start, x.depth) <
               std::tie(y.cpu, y.kind, y.start, y.depth);
    });
    std::vector<SpanId> to(order.size());
    Analysis out = picture;
    for (std::size_t i = 0; i < order.size(); ++i) {
        to[order[i]] = static_cast<SpanId>(i);
        out.spans[i] = picture.spans[order[i]];
    }
    auto map = [&](SpanId id) { return id == kNone ? kNone : to[id]; };
    // Each episode's links in one run, episode after episode (the live
    // link rows keep unused copies of links an episode moved to the end).
    out.links.clear();
    for (std::size_t e = 0; e < out.episodes.size(); ++e) {
        Episode& ep = out.episodes[e];
        ep.hardIrq = map(ep.hardIrq);
        ep.firstLink = static_cast<std::uint32_t>(out.links.size());
        for (EpisodeLink l : picture.linksOf(static_cast<EpisodeId>(e))) {
            l.span = map(l.span);
            out.links.push_back(l);
        }
    }
    out.spanEpisodeOffsets.assign(1, 0);
    out.spanEpisodes.clear();
    for (SpanId old : order) {
        const auto eps = picture.episodesOf(old);
        out.spanEpisodes.insert(out.spanEpisodes.end(), eps.begin(), eps.end());
        out.spanEpisodeOffsets.push_back(static_cast<std::uint32_t>(out.spanEpisodes.size()));
    }
    for (Preemption& p : out.preemptions) {
        p.span = map(p.span);
    }
    std::sort(out.preemptions.begin(), out.preemptions.end(),
              [](const Preemption& a, const Preemption& b) {
                  return std::tie(a.span, a.start) < std::tie(b.span, b.start);
              });
    for (QueueContext& q : out.queueContexts) {
        q.span = map(q.span);
        q.context = map(q.context);
    }
    std::sort(out.queueContexts.begin(), out.queueContexts.end(),
              [](const QueueContext& a, const QueueContext& b) { return a.span < b.span; });
    // Task runs: in the order their CPU showed them, ids by fixed ranges.
    for (CpuTaskRuns& runs : out.taskRuns.cpus) {
        runs.sortByStart();
    }
    out.taskRuns.index();
    return out;
}

// The picture grown by deltas equals, at every cut, the snapshot built from
// scratch (the whole builder copied and sorted) of the same walked events,
// and after the last chunk analyze() of the whole store.
class LivePictureTest : public ::testing::TestWithParam<std::string> {};

// With the walk reading the shown spans from the picture (showsIn) and
// without (its own copy of every span).
TEST_P(LivePictureTest, DeltasEqualASnapshotFromScratchAtEveryCut) {
    const std::string path = test::dataPath(GetParam());
    struct Run {
        Order order;
        bool showIn; // the walk reads the shown spans from the picture
    };
    for (const Run run :
         {Run{Order::ByTime, true}, Run{Order::OneCpuLast, true}, Run{Order::ByTime, false}}) {
        const Order order = run.order;
        const bool showIn = run.showIn;
        SCOPED_TRACE("order " + std::to_string(static_cast<int>(order)) +
                     (showIn ? ", walk reads the picture" : ", walk keeps every span"));
        Analysis picture;
        int cuts = 0, growing = 0;
        std::size_t lastSpans = 0;
        const Fed fed =
            feed(path, order, -1, [&](LiveAnalyzer& live, std::size_t n, std::size_t of) {
                // Several deltas between two cuts: the picture's own growth.
                if (n % 3 != 0 && n != of) {
                    return;
                }
                if (showIn) {
                    live.showsIn(picture); // the same call again is harmless
                }
                LivePictureDelta d = live.delta();
                EXPECT_EQ(d.firstAdded, picture.spans.size());
                applyLiveDelta(picture, d);
                growing += picture.spans.size() > lastSpans ? 1 : 0;
                lastSpans = picture.spans.size();
                if (n % 15 == 0 || n == of) {
                    ++cuts;
                    const std::string diff = difference(inBatchOrder(picture), live.snapshot());
                    EXPECT_EQ(diff, "") << "at chunk " << n << " of " << of;
                }
            });
        EXPECT_GE(cuts, 3);
        EXPECT_GE(growing, 3);
        EXPECT_EQ(difference(inBatchOrder(picture), fed.batch), "") << "the final picture";
    }
}

// A live picture's tables take their room once (a table of millions that
// doubles is a copy and a gap of hundreds of ms in the pictures), and the
// memory figures count what is written, not that room.
TEST(LivePictureRoom, TablesNeverMoveAndMemoryIsWhatIsWritten) {
    Analysis picture;
    std::vector<const void*> first; // each table's data() once it holds something
    int moved = 0, deltas = 0;
    std::size_t walkBytes = 0;
    auto tables = [&] {
        return std::vector<const void*>{
            picture.spans.empty() ? nullptr : picture.spans.data(),
            picture.episodes.empty() ? nullptr : picture.episodes.data(),
            picture.links.empty() ? nullptr : picture.links.data(),
            picture.spanEpisodes.empty() ? nullptr : picture.spanEpisodes.data(),
            picture.queueContexts.empty() ? nullptr : picture.queueContexts.data()};
    };
    feed(test::dataPath("net_v6.dat"), Order::ByTime, -1,
         [&](LiveAnalyzer& live, std::size_t, std::size_t) {
             live.showsIn(picture);
             LivePictureDelta d = live.delta();
             applyLiveDelta(picture, d);
             ++deltas;
             const auto now = tables();
             first.resize(now.size(), nullptr);
             for (std::size_t t = 0; t < now.size(); ++t) {
                 if (first[t] == nullptr) {
                     first[t] = now[t];
                 } else if (now[t] != first[t]) {
                     ++moved;
                     ADD_FAILURE() << "table " << t << " moved at delta " << deltas;
                     first[t] = now[t];
                 }
             }
             walkBytes = live.bytesUsed();
         });
    EXPECT_GE(deltas, 10);
    EXPECT_EQ(std::count(first.begin(), first.end(), nullptr), 0) << "every table was written";
    EXPECT_EQ(moved, 0);
    // Filled bytes: the written entries, far below the reserved room.
    const std::size_t filled = picture.bytesFilled();
    EXPECT_GE(filled,
              picture.spans.size() * sizeof(Span) + picture.links.size() * sizeof(EpisodeLink));
    EXPECT_LT(filled * 10, picture.bytesUsed());
    // The walk reads the spans it showed from the picture: it holds the
    // open ones, a mirror of episodes and links and its raw links, never
    // the picture's room nor a second copy of every span.  The same walk
    // not told of the picture keeps that copy.
    std::size_t keepingBytes = 0;
    Analysis other;
    feed(test::dataPath("net_v6.dat"), Order::ByTime, -1,
         [&](LiveAnalyzer& live, std::size_t, std::size_t) {
             LivePictureDelta d = live.delta();
             applyLiveDelta(other, d);
             keepingBytes = live.bytesUsed();
         });
    const std::size_t spanBytes = picture.spans.size() * sizeof(Span);
    ASSERT_EQ(other.spans.size(), picture.spans.size());
    EXPECT_LT(walkBytes, filled);
    EXPECT_LE(walkBytes + spanBytes * 9 / 10, keepingBytes)
        << "walk " << walkBytes << " B, keeping every span " << keepingBytes << " B";
}

INSTANTIATE_TEST_SUITE_P(Samples, LivePictureTest,
                         ::testing::Values("irq_wq.dat", "tasklet.dat", "threaded.dat", "wq.dat",
                                           "irq_stack.dat", "net_v6.dat"),
                         [](const auto& param) {
                             return param.param.substr(0, param.param.find('.'));
                         });

} // namespace
} // namespace irqlens
