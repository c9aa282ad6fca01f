// Times analyze() on a capture (default: tests/data/big.dat) and prints
// span/episode counts and memory.
#include "core/spans/span.h"
#include "parsers/capture_loader.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

using namespace irqlens;

int main(int argc, char** argv) {
    std::string path = argc > 1 ? argv[1] : "";
    if (path.empty()) {
        path = IRQLENS_TEST_DATA_DIR "/big.dat";
    }
    LoadResult loaded = loadCapture(path);
    if (!loaded.ok()) {
        std::fprintf(stderr, "%s\n", loaded.error.c_str());
        return 2;
    }
    const EventStore& store = *loaded.store;
    double best = 1e9;
    double bestCpu = 1e9;
    Analysis a;
    for (int run = 0; run < 5; ++run) {
        const std::clock_t c0 = std::clock();
        const auto t0 = std::chrono::steady_clock::now();
        a = analyze(store);
        const auto t1 = std::chrono::steady_clock::now();
        const std::clock_t c1 = std::clock();
        best = std::min(best, std::chrono::duration<double, std::milli>(t1 - t0).count());
        bestCpu = std::min(bestCpu, 1000.0 * static_cast<double>(c1 - c0) / CLOCKS_PER_SEC);
    }
    std::printf("file %s\nevents %zu (load %.2f s)\n", path.c_str(), store.totalEvents(),
                loaded.seconds);
    std::printf("analyze best of 5: %.1f ms wall, %.1f ms CPU (%.1f M events/s wall)\n", best,
                bestCpu, static_cast<double>(store.totalEvents()) / best / 1e3);
    for (int k = 0; k < static_cast<int>(SpanKind::Count); ++k) {
        const auto kind = static_cast<SpanKind>(k);
        std::printf("  %-10s %zu\n", std::string(spanKindName(kind)).c_str(), a.count(kind));
    }
    std::size_t noWork = 0, shared = 0, incomplete = 0;
    for (const Episode& e : a.episodes) {
        noWork += (e.flags & EpisodeFlag::NoNewDeferredWork) != 0;
        shared += (e.flags & EpisodeFlag::SharedBottomHalf) != 0;
        incomplete += (e.flags & EpisodeFlag::Incomplete) != 0;
    }
    std::printf("episodes %zu (no new deferred work %zu, shared %zu, incomplete %zu), links %zu\n",
                a.episodes.size(), noWork, shared, incomplete, a.links.size());
    std::printf("preemptions %zu, queue contexts %zu, analysis %.1f MB\n", a.preemptions.size(),
                a.queueContexts.size(), static_cast<double>(a.bytesUsed()) / 1e6);
    for (const std::string& w : a.warnings) {
        std::printf("warning: %s\n", w.c_str());
    }
    return 0;
}
