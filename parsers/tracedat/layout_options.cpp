#include "parsers/tracedat/layout_options.h"

#include <algorithm>

namespace irqlens::tracedat::layout_detail {

namespace {

constexpr const char* optionName(std::uint16_t id) {
    switch (id) {
    case kOptDate:
        return "DATE";
    case kOptCpuStat:
        return "CPUSTAT";
    case kOptTraceClock:
        return "TRACECLOCK";
    case kOptUname:
        return "UNAME";
    case kOptHook:
        return "HOOK";
    case kOptOffset:
        return "OFFSET";
    case kOptCpuCount:
        return "CPUCOUNT";
    case kOptVersion:
        return "VERSION";
    case kOptProcMaps:
        return "PROCMAPS";
    case kOptTimeShift:
        return "TIME_SHIFT";
    case kOptGuest:
        return "GUEST";
    default:
        return "option";
    }
}

std::string optionWhere(std::uint16_t id, std::uint64_t at) {
    return std::string(optionName(id)) + " option at offset " + offsetText(at);
}

// The option's bytes (options are small: text, stats, a few numbers; the
// size was checked against the file before).
std::string optionBytes(const FileBytes& f, std::uint64_t at, std::uint32_t size) {
    std::string bytes(size, '\0');
    f.read(at, bytes.data(), bytes.size(), "option");
    return bytes;
}

void mask(Layout& layout, std::uint16_t id, std::uint64_t idOffset, const std::string& bytes) {
    const std::string text = bytes.substr(0, std::min(bytes.find('\0'), bytes.size()));
    layout.maskedOptions.push_back({idOffset, id, text});
    if (id == kOptTraceClock) {
        layout.clock = selectedClock(text);
    } else if (id == kOptUname) {
        layout.uname = text;
    } else if (id == kOptVersion) {
        layout.writerVersion = text;
    }
}

// tracecmd_create_event_hook() dereferences NULL on a hook text it cannot
// split into "start/end" with their ",": such a HOOK is masked.
bool hookParses(std::string_view text) {
    const auto slash = text.find('/');
    return slash != std::string_view::npos && text.find(',') < slash &&
           text.find(',', slash) != std::string_view::npos;
}

// TIME_SHIFT (host/guest clock sync): libtracecmd callocs a CPU count and
// per-CPU sample counts from it before checking that the option holds that
// many; the samples shift every timestamp, so a bad one is refused, not masked.
void checkTimeShift(const FileBytes& f, std::uint64_t at, std::uint32_t size) {
    if (size < 16) {
        return; // libtracecmd ignores it
    }
    std::uint64_t left = size - 16;
    const std::uint32_t cpus = f.u32(at + 12, "TIME_SHIFT option");
    if (cpus > kMaxCpus || std::uint64_t(cpus) * 4 > left) {
        throw LayoutError{"corrupt " + optionWhere(kOptTimeShift, at) + ": " +
                          std::to_string(cpus) + " CPUs in " + std::to_string(size) + " bytes"};
    }
    std::uint64_t pos = at + 16;
    for (std::uint32_t cpu = 0; cpu < cpus && left >= 4; ++cpu) {
        const std::uint32_t samples = f.u32(pos, "TIME_SHIFT option");
        left -= 4;
        if (std::uint64_t(samples) * 24 > left) {
            throw LayoutError{"corrupt " + optionWhere(kOptTimeShift, at) + ": CPU " +
                              std::to_string(cpu) + " claims " + std::to_string(samples) +
                              " samples, more than the option holds"};
        }
        left -= std::uint64_t(samples) * 24;
        pos += 4 + std::uint64_t(samples) * 24;
    }
}

std::uint32_t wordAt(const FileBytes& f, const std::string& bytes, std::size_t i) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) {
        const auto byte = static_cast<unsigned char>(bytes[i + k]);
        v |= std::uint32_t(byte) << (f.bigEndian ? (3 - k) * 8 : k * 8);
    }
    return v;
}

// GUEST: a name, a trace id, a vCPU count and (vcpu, host pid) pairs.
// libtracecmd reads past an unterminated name, callocs the count as given
// and writes cpu_pid[vcpu] for a negative vcpu.  It ignores a GUEST it
// cannot parse, so one that is not well formed is masked.
bool guestWellFormed(const FileBytes& f, const std::string& bytes) {
    const std::size_t name = bytes.find('\0');
    if (name == std::string::npos || bytes.size() - name - 1 < 12) {
        return false;
    }
    std::size_t i = name + 1 + 8;
    const std::uint32_t vcpus = wordAt(f, bytes, i);
    i += 4;
    if (vcpus > kMaxCpus || (bytes.size() - i) / 8 < vcpus) {
        return false;
    }
    for (std::uint32_t k = 0; k < vcpus; ++k, i += 8) {
        if (wordAt(f, bytes, i) >= vcpus) {
            return false;
        }
    }
    return true;
}

void checkTextOption(std::uint16_t id, std::uint64_t idOffset, std::uint64_t at,
                     const std::string& bytes, Layout& layout) {
    const bool terminated = bytes.find('\0') != std::string::npos;
    switch (id) {
    case kOptDate:
    case kOptOffset:
        // strtoll(): an empty option is read as garbage (masked: no shift);
        // a number that runs to the option's end would be read past it.
        if (bytes.empty()) {
            mask(layout, id, idOffset, bytes);
        } else if (!strtollStopsInside(bytes)) {
            throw LayoutError{"corrupt " + optionWhere(id, at) +
                              ": its number runs to the end of the option (no NUL)"};
        }
        return;
    case kOptCpuStat:
    case kOptProcMaps:
        // Copied by length, but buf[size - 1] is written (CPUSTAT) or read
        // (PROCMAPS): an empty one would touch the byte before the buffer.
        if (bytes.empty()) {
            mask(layout, id, idOffset, bytes);
        }
        return;
    case kOptTraceClock:
        // Older trace-cmd writes TRACECLOCK empty (the clock follows the CPU
        // data): strtok_r() on libtracecmd's 0-byte buffer stays inside the
        // allocator's minimum chunk, and the clock is read again from the
        // trace_clock text.  Text without a NUL would be read past.
        if (!bytes.empty() && !terminated) {
            mask(layout, id, idOffset, bytes);
        }
        return;
    case kOptUname:
    case kOptVersion: // strdup()
        if (!terminated) {
            mask(layout, id, idOffset, bytes);
        }
        return;
    case kOptHook:
        if (!terminated || !hookParses(bytes.substr(0, bytes.find('\0')))) {
            mask(layout, id, idOffset, bytes);
        }
        return;
    default:
        return;
    }
}

} // namespace

std::string selectedClock(std::string_view text) {
    const auto open = text.find('[');
    const auto close = open == std::string_view::npos ? open : text.find(']', open);
    if (close == std::string_view::npos) {
        return {};
    }
    return std::string(text.substr(open + 1, close - open - 1));
}

bool strtollStopsInside(std::string_view bytes) {
    const auto isSpace = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    const auto isHex = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    };
    std::size_t i = 0;
    while (i < bytes.size() && isSpace(bytes[i])) {
        ++i;
    }
    if (i < bytes.size() && (bytes[i] == '+' || bytes[i] == '-')) {
        ++i;
    }
    bool hex = false;
    if (i + 1 < bytes.size() && bytes[i] == '0' && (bytes[i + 1] == 'x' || bytes[i + 1] == 'X')) {
        hex = true;
        i += 2;
    } else if (i + 1 == bytes.size() && bytes[i] == '0') {
        return false; // "0" at the very end: strtoll looks for an 'x' after it
    }
    while (i < bytes.size() && (hex ? isHex(bytes[i]) : (bytes[i] >= '0' && bytes[i] <= '9'))) {
        ++i;
    }
    return i < bytes.size();
}

void checkOption(const FileBytes& f, std::uint16_t id, std::uint64_t idOffset, std::uint64_t at,
                 std::uint32_t size, Layout& layout) {
    f.require(at, size, "option");
    switch (id) {
    case kOptCpuCount:
        // libtracecmd reads 4 bytes whatever the size, then allocates per CPU.
        if (size < 4) {
            mask(layout, id, idOffset, {});
        } else if (const std::uint32_t cpus = f.u32(at, "CPUCOUNT option"); cpus > kMaxCpus) {
            throw LayoutError{"corrupt CPUCOUNT option " + std::to_string(cpus) + " at offset " +
                              offsetText(at)};
        }
        return;
    case kOptTimeShift:
        checkTimeShift(f, at, size);
        return;
    case kOptGuest:
        if (!guestWellFormed(f, optionBytes(f, at, size))) {
            mask(layout, id, idOffset, {});
        }
        return;
    case kOptDate:
    case kOptCpuStat:
    case kOptTraceClock:
    case kOptUname:
    case kOptHook:
    case kOptOffset:
    case kOptVersion:
    case kOptProcMaps:
        checkTextOption(id, idOffset, at, optionBytes(f, at, size), layout);
        return;
    default:
        return;
    }
}

} // namespace irqlens::tracedat::layout_detail
