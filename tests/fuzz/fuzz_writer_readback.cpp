// Our trace.dat v6 writer's output read back: the fuzz bytes choose the
// target (byte order, long size, CPUs) and the pages (events per page,
// timestamps, lost events); the loaded event count must equal what was written.
#include "parsers/capture_loader.h"
#include "parsers/writer/tracedat_writer.h"
#include "tests/record/synthetic_pages.h"

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const bool bigEndian = data[0] & 1;
    const int longSize = (data[0] & 2) ? 4 : 8;
    const int cpus = 1 + (data[0] >> 2) % 4;
    const auto meta = irqlens::test::syntheticMetadata(bigEndian, longSize, cpus);
    const std::string path = "/tmp/irqlens-fuzz-writer-" + std::to_string(::getpid()) + ".dat";
    std::string error;
    auto writer = irqlens::TraceDatWriter::create(path, meta, error, {1u << 20, 1u << 16});
    if (!writer) {
        std::abort();
    }
    std::uint64_t written = 0;
    std::uint64_t ts = 1000;
    for (std::size_t i = 1; i + 1 < size && i < 64; i += 2) {
        const int cpu = data[i] % cpus;
        const int events = data[i + 1] % 80;
        ts += 1 + std::uint64_t(data[i]) * 977;
        const auto page = irqlens::test::syntheticPage(meta, ts, events, data[i] & 0x40 ? 3 : 0);
        if (!writer->appendPages(cpu, page.bytes.data(), page.bytes.size())) {
            std::abort();
        }
        written += std::uint64_t(page.ticks + page.tocks);
    }
    if (!writer->finish("42 worker\n")) {
        std::abort();
    }
    writer.reset();
    const auto r = irqlens::loadCapture(path);
    if (!r.ok() || r.store->totalEvents() != written) {
        std::abort(); // our own output must read back whole
    }
    std::filesystem::remove(path);
    return 0;
}
