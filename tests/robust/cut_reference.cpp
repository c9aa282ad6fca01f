#include "tests/robust/cut_reference.h"

#include "parsers/tracedat/tracedat_layout.h"
#include "tests/robust/child_load.h"
#include "tests/tracedat/report_reader.h"

#include <algorithm>
#include <cstring>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>
#include <unistd.h>
#include <zlib.h>

namespace irqlens::test {

namespace {

// Ring-buffer record types (kernel ring_buffer.c): 29 padding (or a
// discarded event), 30 time extend, 31 absolute timestamp; 0..28 data.
constexpr std::uint32_t kPadding = 29;

// The data records of one page (little-endian, 8-byte longs: the sample).
std::uint64_t recordsInPage(const unsigned char* page, std::uint32_t pageSize) {
    std::uint64_t commit = 0;
    std::memcpy(&commit, page + 8, 8);
    commit &= (1u << 27) - 1;
    const std::uint64_t end = std::min<std::uint64_t>(16 + commit, pageSize);
    std::uint64_t n = 0;
    for (std::uint64_t at = 16; at + 4 <= end;) {
        std::uint32_t header = 0;
        std::memcpy(&header, page + at, 4);
        const std::uint32_t type = header & 31;
        std::uint32_t length = 0;
        if (at + 8 <= end) {
            std::memcpy(&length, page + at + 4, 4);
        }
        if (type == kPadding && (header >> 5) == 0) {
            break; // the rest of the page is empty
        }
        if (type == 0 || type == kPadding) {
            n += type == 0 ? 1 : 0;
            at += 4 + ((std::uint64_t(length) + 3) & ~std::uint64_t(3));
        } else if (type > kPadding) {
            at += 8;
        } else {
            ++n;
            at += 4 + 4 * std::uint64_t(type);
        }
    }
    return n;
}

// `trace-cmd report -N`: without plugins every record prints as one line
// (the function_graph plugin prints a leaf call's entry and exit as one),
// "COMM-PID [CPU] SECONDS: name: ...", a kernel_stack's "=>" lines after it.
// trace-cmd report always starts with "cpus=N".  Without it the command
// did not run: popen's fork of a large (ASan) test process can fail on a
// loaded machine, which once read as "0 events"; it is tried again.
std::string reportText(const std::string& path) {
    std::string text;
    for (int attempt = 0; attempt < 5 && text.find("cpus=") == std::string::npos; ++attempt) {
        if (attempt > 0) {
            ::sleep(1);
        }
        text = runCommand("trace-cmd report -N -t '" + path + "' 2>/dev/null");
    }
    EXPECT_NE(text.find("cpus="), std::string::npos) << "trace-cmd report did not run on " << path;
    return text;
}

CutCounts reportWithoutPlugins(const std::string& path) {
    std::istringstream lines(reportText(path));
    static const std::regex prefix(R"(\[(\d+)\]\s+\d+\.\d+: )");
    CutCounts out;
    std::smatch m;
    for (std::string line; std::getline(lines, line);) {
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line.compare(first, 2, "=>") == 0 ||
            !std::regex_search(line, m, prefix)) {
            continue;
        }
        ++out.total;
        ++out.perCpu[std::stoi(m[1].str())];
    }
    return out;
}

} // namespace

CutReference::CutReference(const std::string& path) {
    const auto walked = tracedat::inspectLayout(path);
    const auto* layout = std::get_if<tracedat::Layout>(&walked);
    // The shortened copies and the walker write and read little-endian
    // numbers; the walker reads 8-byte page commits.
    if (!layout || layout->bigEndian || layout->cpuData.empty() ||
        (layout->compression == "zlib" && layout->longSize != 8)) {
        unsupported_ = "not a little-endian capture with CPU data";
        return;
    }
    bytes_ = readFileBytes(path);
    codec_ = layout->compression;
    std::vector<Stream> streams;
    for (const auto& r : layout->cpuData) {
        streams.push_back({r.cpu, true, r.offset, r.size, 0, layout->pageSize, {}});
    }
    for (const auto& b : layout->buffers) {
        for (const auto& r : b.cpuData) {
            streams.push_back({r.cpu, false, r.offset, r.size, 0, b.pageSize, {}});
        }
    }
    buffers_ = 1 + static_cast<int>(layout->buffers.size());
    if (layout->version == 6) {
        locateV6(streams);
    } else {
        locateV7(std::move(streams));
    }
}

std::uint64_t CutReference::u64(std::uint64_t at) const {
    std::uint64_t v = 0;
    std::memcpy(&v, bytes_.data() + at, 8);
    return v;
}

std::uint32_t CutReference::u32(std::uint64_t at) const {
    std::uint32_t v = 0;
    std::memcpy(&v, bytes_.data() + at, 4);
    return v;
}

// The v6 flyrecord table (u64 offset, u64 size per CPU) after its tag:
// the top buffer's only (an extra buffer has a table of its own).
void CutReference::locateV6(const std::vector<Stream>& streams) {
    const std::size_t tag = bytes_.find(std::string("flyrecord\0", 10));
    if (tag == std::string::npos || buffers_ != 1) {
        unsupported_ = "no single flyrecord table";
        return;
    }
    for (std::size_t c = 0; c < streams.size(); ++c) {
        Stream s = streams[c];
        const std::uint64_t entry = tag + 10 + 16 * c;
        if (u64(entry) != s.offset || u64(entry + 8) != s.size) {
            unsupported_ = "the flyrecord table is not where the layout says";
            return;
        }
        s.sizeField = entry + 8;
        streams_.push_back(s);
    }
}

// Each CPU's entry of a v7 BUFFER option (u32 id, u64 offset, u64 size),
// found by its bytes.
void CutReference::locateV7(std::vector<Stream> streams) {
    for (Stream& s : streams) {
        if (s.size == 0) {
            continue;
        }
        char entry[20];
        const auto id = static_cast<std::uint32_t>(s.cpu);
        std::memcpy(entry, &id, 4);
        std::memcpy(entry + 4, &s.offset, 8);
        std::memcpy(entry + 12, &s.size, 8);
        const std::size_t at = bytes_.find(std::string(entry, 20));
        if (at == std::string::npos ||
            bytes_.find(std::string(entry, 20), at + 1) != std::string::npos) {
            unsupported_ = "a BUFFER option's CPU entry is not found once";
            return;
        }
        s.sizeField = at + 12;
        if (compressed()) {
            readChunks(s);
        }
        streams_.push_back(std::move(s));
    }
}

void CutReference::readChunks(Stream& s) const {
    std::uint64_t at = s.offset + 4;
    for (std::uint32_t i = 0, n = u32(s.offset); i < n; ++i) {
        const Chunk c{at, u32(at), u32(at + 4)};
        s.chunks.push_back(c);
        at += 8 + c.packed;
    }
}

bool CutReference::insideData(std::uint64_t cut) const {
    return std::any_of(streams_.begin(), streams_.end(), [cut](const Stream& s) {
        return s.size > 0 && cut > s.offset && cut < s.offset + s.size + (s.chunks.empty() ? 0 : 4);
    });
}

std::vector<std::uint64_t> CutReference::dataCuts() const {
    std::vector<std::uint64_t> cuts;
    for (const Stream& s : streams_) {
        const std::uint64_t end = s.offset + s.size + (s.chunks.empty() ? 0 : 4);
        cuts.insert(cuts.end(), {s.offset + 1, s.offset + s.pageSize,
                                 s.offset + (end - s.offset) / 2, end - 1, end});
        for (std::size_t i = 0; i < s.chunks.size() && i < 2; ++i) {
            const Chunk& c = s.chunks[s.chunks.size() - 1 - i];
            cuts.insert(cuts.end(), {c.at, c.at + 8 + c.packed - 1});
        }
    }
    return cuts;
}

CutCounts CutReference::eventsBefore(std::uint64_t cut, const std::string& scratch, bool again) {
    if (codec_ == "zlib") {
        return walk(cut);
    }
    std::string patched = bytes_;
    std::string key;
    for (const Stream& s : streams_) {
        std::uint64_t kept = 0;
        if (s.chunks.empty()) {
            kept =
                s.offset >= cut ? 0 : std::min(s.size, (cut - s.offset) / s.pageSize * s.pageSize);
        } else {
            std::uint32_t whole = 0;
            for (const Chunk& c : s.chunks) {
                if (c.at + 8 + c.packed > cut) {
                    break;
                }
                ++whole;
                kept += 8 + c.packed;
            }
            std::memcpy(patched.data() + s.offset, &whole, 4); // the chunk count
        }
        std::memcpy(patched.data() + s.sizeField, &kept, 8); // little-endian
        key += std::to_string(kept) + ",";
    }
    if (const auto it = cache_.find(key); it != cache_.end() && !again) {
        return it->second;
    }
    writeFileBytes(scratch, patched);
    CutCounts out = reportWithoutPlugins(scratch);
    if (!singleBuffer()) {
        out.perCpu.clear();
    }
    return cache_[key] = out;
}

// The complete zlib chunks before `cut`, inflated and walked.
CutCounts CutReference::walk(std::uint64_t cut) const {
    CutCounts out;
    std::vector<unsigned char> pages;
    for (const Stream& s : streams_) {
        for (const Chunk& c : s.chunks) {
            if (c.at + 8 + c.packed > cut) {
                break;
            }
            pages.assign(c.unpacked, 0);
            uLongf n = c.unpacked;
            if (::uncompress(pages.data(), &n,
                             reinterpret_cast<const Bytef*>(bytes_.data() + c.at + 8),
                             c.packed) != Z_OK) {
                break;
            }
            for (std::uint64_t p = 0; p + s.pageSize <= n; p += s.pageSize) {
                const std::uint64_t events = recordsInPage(pages.data() + p, s.pageSize);
                out.total += events;
                if (s.top && singleBuffer()) {
                    out.perCpu[s.cpu] += events;
                }
            }
        }
    }
    return out;
}

std::uint64_t CutReference::walkedTotal() const {
    return walk(bytes_.size()).total;
}

} // namespace irqlens::test
