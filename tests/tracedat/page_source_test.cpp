// PageSource: one event found again in the pages (for captures libtracecmd
// cannot re-read: zlib, cut short, damaged pages) must be the event
// libtracecmd finds at the same anchor.  Both sources are built over the
// same file here and compared event by event (TraceDatSource itself is
// checked against `trace-cmd report` by TraceDatLoad.SourceDecodes...):
// a zstd v7 capture (chunks), the ARM v6 one with trace_printk records
// (printk formats), and a cut-short copy, which now gets details too.
#include "parsers/capture_loader.h"
#include "parsers/tracedat/capture_headers.h"
#include "parsers/tracedat/cpu_pages.h"
#include "parsers/tracedat/page_source.h"
#include "parsers/tracedat/tracedat_layout.h"
#include "parsers/tracedat/tracedat_source.h"
#include "tests/support/test_data.h"

#include <algorithm>
#include <fcntl.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

namespace irqlens::test {
namespace {

std::unique_ptr<tracedat::PageSource> pageSourceOf(const std::string& path) {
    auto layout = tracedat::inspectLayout(path);
    EXPECT_TRUE(std::holds_alternative<tracedat::Layout>(layout));
    tracedat::Layout checked = std::get<tracedat::Layout>(layout);
    EXPECT_EQ(tracedat::prepareHeaders(path, checked), "");
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    std::string error;
    auto headers = tracedat::CaptureHeaders::open(path, fd, checked, error);
    EXPECT_NE(headers, nullptr) << error;
    std::vector<tracedat::CpuDataPlan> plans(1);
    EXPECT_EQ(tracedat::describeCpuData(fd, checked, plans[0]), "");
    ::close(fd);
    return std::make_unique<tracedat::PageSource>(path, std::move(headers), std::move(plans));
}

// Every `stride`-th event of every CPU: the same text and fields from both.
void expectSameEvents(const EventStore& store, EventSource& libtracecmd, EventSource& pages,
                      std::uint32_t stride) {
    std::size_t compared = 0;
    for (int cpu = 0; cpu < store.cpuCount(); ++cpu) {
        const CpuEvents& col = store.cpu(cpu);
        for (std::uint32_t i = 0; i < col.size(); i += (i + 1 == col.size() ? 1 : stride)) {
            const auto skip = static_cast<std::uint32_t>(i - col.anchorIndex(i));
            const std::uint64_t anchor = col.anchorOffset(i);
            const std::string expected = libtracecmd.info(cpu, anchor, skip);
            ASSERT_FALSE(expected.empty()) << "cpu " << cpu << " #" << i;
            ASSERT_EQ(pages.info(cpu, anchor, skip), expected) << "cpu " << cpu << " #" << i;
            const auto a = libtracecmd.decode(cpu, anchor, skip);
            const auto b = pages.decode(cpu, anchor, skip);
            ASSERT_EQ(a.size(), b.size());
            for (std::size_t f = 0; f < a.size(); ++f) {
                EXPECT_EQ(a[f].name, b[f].name);
                EXPECT_EQ(a[f].value, b[f].value) << a[f].name;
            }
            ++compared;
        }
    }
    EXPECT_GT(compared, 0u);
}

TEST(PageSource, FindsTheEventsLibtracecmdFindsInZstdChunks) {
    const std::string path = dataPath("irq_wq.dat");
    const LoadResult r = loadCapture(path);
    ASSERT_TRUE(r.ok()) << r.error;
    tracedat::TraceDatSource libtracecmd(path,
                                         std::get<tracedat::Layout>(tracedat::inspectLayout(path)));
    const auto pages = pageSourceOf(path);
    expectSameEvents(*r.store, libtracecmd, *pages, 17);
    // Kernel symbols from the same kallsyms.
    const AddressPool& addresses = r.store->addresses;
    ASSERT_GT(addresses.size(), 1u);
    for (AddressId id = 0; id < addresses.size(); ++id) {
        const auto a = libtracecmd.symbol(addresses.get(id));
        const auto b = pages->symbol(addresses.get(id));
        ASSERT_EQ(a.has_value(), b.has_value());
        if (a) {
            EXPECT_EQ(a->name, b->name);
            EXPECT_EQ(a->start, b->start);
        }
    }
}

TEST(PageSource, PrintsTracePrintkLikeLibtracecmdInV6Pages) {
    const std::string path = dataPath("arm-software-trappy-juno-arm64-bprint-multiline.dat");
    const LoadResult r = loadCapture(path);
    ASSERT_TRUE(r.ok()) << r.error;
    tracedat::Layout layout = std::get<tracedat::Layout>(tracedat::inspectLayout(path));
    ASSERT_EQ(tracedat::prepareHeaders(path, layout), "");
    tracedat::TraceDatSource libtracecmd(path, layout);
    const auto pages = pageSourceOf(path);
    expectSameEvents(*r.store, libtracecmd, *pages, 1);
}

// A copy cut in the middle of the last CPU's data (the ARM v6 capture: its
// CPU data ends the file): what it loads gets its details from the pages,
// equal to the complete file's for the same events.
TEST(PageSource, ACutShortCaptureShowsTheDetailsOfWhatItHolds) {
    const std::string path = dataPath("arm-software-trappy-juno-arm64-bprint-multiline.dat");
    const auto layout = std::get<tracedat::Layout>(tracedat::inspectLayout(path));
    std::uint64_t cutAt = 0;
    for (const tracedat::CpuDataRange& cpu : layout.cpuData) {
        if (cpu.size > 2 * layout.pageSize) {
            cutAt = std::max(cutAt, cpu.offset + cpu.size / 2 + 100);
        }
    }
    ASSERT_GT(cutAt, 0u);
    const auto cut = std::filesystem::temp_directory_path() /
                     ("irqlens-page-source-cut-" + std::to_string(getpid()) + ".dat");
    std::filesystem::copy_file(path, cut, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::resize_file(cut, cutAt);
    const LoadResult whole = loadCapture(path);
    const LoadResult part = loadCapture(cut.string());
    std::filesystem::remove(cut);
    ASSERT_TRUE(whole.ok() && part.ok()) << part.error;
    ASSERT_EQ(part.store->info().truncatedAt, cutAt);
    ASSERT_GT(part.store->totalEvents(), 0u);
    ASSERT_LT(part.store->totalEvents(), whole.store->totalEvents());
    tracedat::TraceDatSource libtracecmd(path, layout);
    // The cut copy's events are a prefix of each CPU's events in the whole file.
    expectSameEvents(*part.store, libtracecmd, *part.store->source(), 1);
}

} // namespace
} // namespace irqlens::test
