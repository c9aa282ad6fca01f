// Load speed of the text reader.
//
//   irqlens-bench-text [--mb N] [--keep] [FILE...]
//
// Without FILE, builds two text captures of about N MB (default 256) from the
// shared samples, by repeating their lines with time shifted forward:
//   - irq_stack.report-l.txt (trace-cmd report -l, with kernel_stack frames)
//   - tracefs_trace.txt (the kernel's trace text)
// and loads each, printing lines/s, MB/s, events/s, store bytes/event and the
// peak resident memory (to show the file is never held whole in memory).
#include "parsers/text/text_line.h"
#include "parsers/text/text_loader.h"

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace {

using namespace irqlens;

double cpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long peakRssKb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// The line with its timestamp moved forward by `shiftNs`.
std::string shifted(const std::string& line, std::int64_t shiftNs) {
    EventLine e;
    if (!parseEventLine(line, e)) {
        return line;
    }
    for (auto colon = line.find(": "); colon != std::string::npos;
         colon = line.find(": ", colon + 1)) {
        const auto start = line.rfind(' ', colon) + 1;
        std::int64_t ts = 0;
        if (parseSecondsTs(std::string_view(line).substr(start, colon - start), ts)) {
            const std::int64_t t = (ts + shiftNs) / 1000;
            char buf[40];
            std::snprintf(buf, sizeof buf, "%" PRId64 ".%06" PRId64, t / 1'000'000, t % 1'000'000);
            return line.substr(0, start) + buf + line.substr(colon);
        }
    }
    return line;
}

bool generate(const std::string& sample, const std::string& out, std::uint64_t bytes) {
    std::ifstream in(sample);
    std::vector<std::string> lines;
    std::string header;
    for (std::string l; std::getline(in, l);) {
        if (l.starts_with("#") || l.starts_with("cpus=")) {
            header += l + "\n";
        } else {
            lines.push_back(l);
        }
    }
    if (lines.empty()) {
        std::fprintf(stderr, "%s: cannot read the sample\n", sample.c_str());
        return false;
    }
    std::ofstream os(out, std::ios::binary);
    os << header;
    std::uint64_t written = header.size();
    for (std::int64_t copy = 0; written < bytes; ++copy) {
        for (const auto& l : lines) {
            const std::string s = shifted(l, copy * 1'000'000'000);
            os << s << '\n';
            written += s.size() + 1;
        }
    }
    return static_cast<bool>(os);
}

std::uint64_t countLines(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::uint64_t n = 0;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        for (std::streamsize i = 0; i < in.gcount(); ++i) {
            n += buf[i] == '\n';
        }
    }
    return n;
}

int measure(const std::string& path) {
    const std::uint64_t lines = countLines(path);
    const long rssBefore = peakRssKb();
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpuSeconds();
    LoadResult r = loadTextCapture(path);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpuSeconds() - cpu0;
    if (!r.ok()) {
        std::fprintf(stderr, "%s\n", r.error.c_str());
        return 1;
    }
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    const double mb = static_cast<double>(in.tellg()) / 1e6;
    const auto events = r.store->totalEvents();
    std::printf("%s\n  format %s, %.1f MB, %" PRIu64 " lines, %zu events, %zu stacks\n"
                "  load %.2f s wall, %.2f s CPU: %.2f M lines/s, %.1f MB/s, %.2f M events/s"
                " (per CPU second: %.2f M lines/s)\n"
                "  store %.1f B/event (columns %.1f B/event), peak RSS %.0f MB (was %.0f MB)\n",
                path.c_str(), r.store->info().format.c_str(), mb, lines, events,
                r.store->stacks.size(), s, cpu, double(lines) / s / 1e6, mb / s,
                double(events) / s / 1e6, double(lines) / cpu / 1e6,
                double(r.store->bytesUsed()) / double(events),
                double(r.store->eventBytesUsed()) / double(events), double(peakRssKb()) / 1024.0,
                double(rssBefore) / 1024.0);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    std::uint64_t mb = 256;
    bool keep = false;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--mb" && i + 1 < argc) {
            mb = std::stoull(argv[++i]);
        } else if (arg == "--keep") {
            keep = true;
        } else {
            files.push_back(arg);
        }
    }
    int status = 0;
    if (!files.empty()) {
        for (const auto& f : files) {
            status |= measure(f);
        }
        return status;
    }
    const std::string samples = IRQLENS_TEST_DATA_DIR;
    for (const std::string name : {"irq_stack.report-l.txt", "tracefs_trace.txt"}) {
        const std::string out = "/tmp/irqlens-bench-" + name;
        std::printf("generating %" PRIu64 " MB from %s ...\n", mb, name.c_str());
        if (!generate(samples + "/" + name, out, mb << 20)) {
            return 1;
        }
        status |= measure(out);
        if (!keep) {
            std::remove(out.c_str());
        }
    }
    return status;
}
