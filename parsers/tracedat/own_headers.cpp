#include "parsers/tracedat/own_headers.h"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <set>
#include <traceevent/event-parse.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

namespace irqlens::tracedat {

namespace {

// trace-cmd's option ids (trace-cmd.dat.v7(5)).
enum : std::uint16_t {
    kDone = 0,
    kDate = 1,
    kCpuStat = 2,
    kTraceClock = 4,
    kUname = 5,
    kOffset = 7,
    kCpuCount = 8,
    kTsc2Nsec = 14,
    kHeaderInfo = 16,
    kFtraceEvents = 17,
    kEventFormats = 18,
    kKallsyms = 19,
    kPrintk = 20,
    kCmdlines = 21,
};

// Larger than any section a kernel produces (kallsyms is ~10 MB).
constexpr std::uint32_t kMaxSectionBytes = 1u << 30;

struct Damage {
    std::string message;
};

// Bounds-checked reads from a block of bytes (a section, or the options).
class Bytes {
public:
    Bytes(std::string data, bool bigEndian, std::string what)
        : data_(std::move(data)), bigEndian_(bigEndian), what_(std::move(what)) {}
    bool atEnd() const { return at_ >= data_.size(); }
    std::uint64_t number(std::size_t n) {
        need(n);
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t shift = bigEndian_ ? (n - 1 - i) * 8 : i * 8;
            v |= std::uint64_t(static_cast<unsigned char>(data_[at_ + i])) << shift;
        }
        at_ += n;
        return v;
    }
    std::string text(std::uint64_t n) {
        need(n);
        std::string s = data_.substr(at_, n);
        at_ += n;
        return s;
    }
    std::string cString() {
        const std::size_t end = data_.find('\0', at_);
        if (end == std::string::npos) {
            throw Damage{what_ + " is damaged (a name without an end)"};
        }
        std::string s = data_.substr(at_, end - at_);
        at_ = end + 1;
        return s;
    }
    bool startsWith(const char* tag, std::size_t n) {
        if (at_ + n > data_.size() || std::memcmp(data_.data() + at_, tag, n) != 0) {
            return false;
        }
        at_ += n;
        return true;
    }

private:
    void need(std::uint64_t n) const {
        if (n > data_.size() - at_) {
            throw Damage{what_ + " is damaged (it ends early)"};
        }
    }
    std::string data_;
    bool bigEndian_;
    std::string what_;
    std::size_t at_ = 0;
};

class FileReader {
public:
    FileReader(int fd, const Layout& layout) : fd_(fd), layout_(layout) {}

    std::string read(std::uint64_t offset, std::uint64_t n, const std::string& what) const {
        if (offset > layout_.fileSize || n > layout_.fileSize - offset) {
            throw Damage{"truncated: " + what + " at offset " + std::to_string(offset) +
                         " ends beyond the end of the file (" + std::to_string(layout_.fileSize) +
                         " bytes)"};
        }
        std::string out(n, '\0');
        if (n > 0 &&
            ::pread(fd_, out.data(), n, static_cast<off_t>(offset)) != static_cast<ssize_t>(n)) {
            throw Damage{"cannot read " + what + " at offset " + std::to_string(offset)};
        }
        return out;
    }
    Bytes bytes(std::uint64_t offset, std::uint64_t n, const std::string& what) const {
        return Bytes(read(offset, n, what), layout_.bigEndian, what);
    }
    // A v7 section's contents (decompressed when its flags say so).
    Bytes section(std::uint64_t offset, const std::string& what) const {
        Bytes header = bytes(offset, 16, what + " section header");
        header.number(2); // id
        const auto flags = static_cast<std::uint16_t>(header.number(2));
        header.number(4); // description
        const std::uint64_t size = header.number(8);
        if ((flags & 1) == 0) {
            return bytes(offset + 16, size, what);
        }
        Bytes sizes = bytes(offset + 16, 8, what);
        const auto packed = static_cast<std::uint32_t>(sizes.number(4));
        const auto unpacked = static_cast<std::uint32_t>(sizes.number(4));
        if (size < 8 || packed > size - 8 || unpacked > kMaxSectionBytes) {
            throw Damage{what + " section at offset " + std::to_string(offset) +
                         " has impossible sizes"};
        }
        return Bytes(decompress(read(offset + 24, packed, what), unpacked, what, offset),
                     layout_.bigEndian, what);
    }

private:
    std::string decompress(const std::string& in, std::uint32_t unpacked, const std::string& what,
                           std::uint64_t offset) const {
        std::string out(unpacked, '\0');
        bool ok = false;
        if (layout_.compression == "zstd") {
            const std::size_t n = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
            ok = !ZSTD_isError(n) && n == unpacked;
        } else if (layout_.compression == "zlib") {
            uLongf n = unpacked;
            ok = ::uncompress(reinterpret_cast<Bytef*>(out.data()), &n,
                              reinterpret_cast<const Bytef*>(in.data()), in.size()) == Z_OK &&
                 n == unpacked;
        }
        if (!ok) {
            throw Damage{what + " section at offset " + std::to_string(offset) +
                         " does not decompress (" + layout_.compression + ")"};
        }
        return out;
    }

    int fd_;
    const Layout& layout_;
};

std::string untilNul(const std::string& text) {
    return text.substr(0, text.find('\0'));
}

// The clock in use out of the kernel's list, "local global [x86-tsc]".
std::string selectedClock(const std::string& list) {
    const std::size_t open = list.find('[');
    const std::size_t close = list.find(']', open);
    if (open != std::string::npos && close != std::string::npos) {
        return list.substr(open + 1, close - open - 1);
    }
    std::string clock = list;
    while (!clock.empty() && std::isspace(static_cast<unsigned char>(clock.back()))) {
        clock.pop_back();
    }
    return clock;
}

// trace-cmd's handling of the options that change timestamps
// (trace-input.c, handle_options): DATE in microseconds as text,
// OFFSET in nanoseconds as text, TSC2NSEC as u32 mult, u32 shift, u64 offset.
void noteOption(std::uint16_t id, Bytes& data, std::uint32_t size, OwnHeaders& out) {
    switch (id) {
    case kDate:
        out.conversion.offset += std::strtoll(untilNul(data.text(size)).c_str(), nullptr, 0) * 1000;
        return;
    case kOffset:
        out.conversion.offset += std::strtoll(untilNul(data.text(size)).c_str(), nullptr, 0);
        return;
    case kTsc2Nsec:
        if (size >= 16) {
            out.conversion.mult = static_cast<std::uint32_t>(data.number(4));
            out.conversion.shift = static_cast<std::uint32_t>(data.number(4));
            data.text(size - 8);
            return;
        }
        break;
    case kTraceClock:
        out.clock = selectedClock(untilNul(data.text(size)));
        return;
    case kUname:
        out.uname = untilNul(data.text(size));
        return;
    case kCpuStat:
        out.cpustats += untilNul(data.text(size));
        return;
    case kCpuCount:
        if (size >= 4) {
            out.cpuCount = static_cast<int>(data.number(4));
            data.text(size - 4);
            return;
        }
        break;
    default:
        break;
    }
    data.text(size);
}

void readV6Options(const FileReader& file, const Layout& layout, OwnHeaders& out) {
    const auto it = layout.sectionOffsets.find("options");
    if (it == layout.sectionOffsets.end()) {
        return;
    }
    std::uint64_t at = it->second;
    for (int sections = 0; sections < 64; ++sections) {
        if (file.read(at, 10, "options") != std::string("options  \0", 10)) {
            return;
        }
        at += 10;
        for (;;) {
            Bytes head = file.bytes(at, 2, "option");
            const auto id = static_cast<std::uint16_t>(head.number(2));
            at += 2;
            if (id == kDone) {
                break;
            }
            const auto size = static_cast<std::uint32_t>(file.bytes(at, 4, "option").number(4));
            Bytes data = file.bytes(at + 4, size, "option " + std::to_string(id));
            noteOption(id, data, size, out);
            at += 4 + size;
        }
    }
}

void readHeaderInfo(Bytes section, OwnHeaders& out) {
    if (!section.startsWith("header_page", 12)) {
        throw Damage{"header_page is damaged"};
    }
    out.headerPage = section.text(section.number(8));
}

void readMetadata(const FileReader& file, std::uint16_t id, std::uint64_t offset, OwnHeaders& out) {
    switch (id) {
    case kHeaderInfo:
        return readHeaderInfo(file.section(offset, "header_page"), out);
    case kFtraceEvents: {
        Bytes s = file.section(offset, "ftrace event formats");
        for (std::uint64_t n = s.number(4); n > 0; --n) {
            out.ftraceFormats.push_back(s.text(s.number(8)));
        }
        return;
    }
    case kEventFormats: {
        Bytes s = file.section(offset, "event formats");
        for (std::uint64_t systems = s.number(4); systems > 0; --systems) {
            const std::string system = s.cString();
            for (std::uint64_t n = s.number(4); n > 0; --n) {
                out.eventFormats.emplace_back(system, s.text(s.number(8)));
            }
        }
        return;
    }
    case kKallsyms: {
        Bytes s = file.section(offset, "kallsyms");
        out.kallsyms = s.text(s.number(4));
        return;
    }
    case kPrintk: {
        Bytes s = file.section(offset, "trace_printk formats");
        out.printkFormats = s.text(s.number(4));
        return;
    }
    case kCmdlines: {
        Bytes s = file.section(offset, "saved cmdlines");
        out.cmdlines = s.text(s.number(8));
        return;
    }
    default:
        return;
    }
}

void readV7Options(const FileReader& file, const Layout& layout, bool metadata, OwnHeaders& out) {
    const auto it = layout.sectionOffsets.find("options");
    std::uint64_t next = it == layout.sectionOffsets.end() ? 0 : it->second;
    std::set<std::uint64_t> seen;
    // A cut file's options chain ends where it lies beyond the end of the
    // file (Layout::optionsCutAt): what the walk recovered stands in for it.
    while (next != 0 && next != layout.optionsCutAt && seen.insert(next).second &&
           seen.size() <= 4096) {
        Bytes options = file.section(next, "options");
        next = 0;
        while (!options.atEnd()) {
            const auto id = static_cast<std::uint16_t>(options.number(2));
            const auto size = static_cast<std::uint32_t>(options.number(4));
            Bytes data(options.text(size), layout.bigEndian, "option " + std::to_string(id));
            if (id == kDone && size >= 8) {
                next = data.number(8);
                break;
            }
            if (id >= kHeaderInfo && id <= kCmdlines) {
                if (metadata && size >= 8) {
                    readMetadata(file, id, data.number(8), out);
                }
                continue;
            }
            noteOption(id, data, size, out);
        }
    }
}

} // namespace

std::string readOwnHeaders(int fd, const Layout& layout, bool metadata, OwnHeaders& out) {
    const FileReader file(fd, layout);
    try {
        if (layout.version == 6) {
            readV6Options(file, layout, out);
        } else {
            readV7Options(file, layout, metadata, out);
        }
    } catch (const Damage& d) {
        return d.message;
    }
    return "";
}

tep_handle* buildTep(const OwnHeaders& h, const Layout& layout, std::string& error) {
    tep_handle* tep = tep_alloc();
    if (!tep) {
        error = "not enough memory for the event formats";
        return nullptr;
    }
    tep_set_file_bigendian(tep, layout.bigEndian ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
    tep_set_local_bigendian(tep, TEP_LITTLE_ENDIAN);
    tep_set_long_size(tep, layout.longSize);
    tep_set_page_size(tep, static_cast<int>(layout.pageSize));
    std::string headerPage = h.headerPage;
    if (tep_parse_header_page(tep, headerPage.data(), headerPage.size(), layout.longSize) != 0 ||
        tep_get_header_timestamp_size(tep) == 0) {
        error = "header_page is damaged: libtraceevent cannot parse it";
        tep_free(tep);
        return nullptr;
    }
    for (const std::string& format : h.ftraceFormats) {
        tep_parse_event(tep, format.data(), format.size(), "ftrace");
    }
    for (const auto& [system, format] : h.eventFormats) {
        tep_parse_event(tep, format.data(), format.size(), system.c_str());
    }
    // The parsers below read NUL-terminated text.
    const std::string kallsyms = untilNul(h.kallsyms);
    const std::string printk = untilNul(h.printkFormats);
    const std::string cmdlines = untilNul(h.cmdlines);
    tep_parse_kallsyms(tep, kallsyms.c_str());
    tep_parse_printk_formats(tep, printk.c_str());
    tep_parse_saved_cmdlines(tep, cmdlines.c_str());
    tep_set_cpus(tep, h.cpuCount);
    return tep;
}

} // namespace irqlens::tracedat
