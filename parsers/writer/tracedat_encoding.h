// Byte-level building blocks of trace.dat: numbers in the TARGET's byte
// order (the file's, not this host's), strings, size-prefixed blobs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace irqlens::tracedat {

class ByteBuilder {
public:
    explicit ByteBuilder(bool bigEndian) : bigEndian_(bigEndian) {}

    void u8(std::uint8_t v) { bytes_.push_back(static_cast<char>(v)); }
    void u16(std::uint16_t v) { number(v, 2); }
    void u32(std::uint32_t v) { number(v, 4); }
    void u64(std::uint64_t v) { number(v, 8); }
    void raw(std::string_view s) { bytes_.append(s); }
    void cstring(std::string_view s) { bytes_.append(s).push_back('\0'); }
    void blob32(std::string_view s) { u32(static_cast<std::uint32_t>(s.size())), raw(s); }
    void blob64(std::string_view s) { u64(s.size()), raw(s); }

    const std::string& bytes() const { return bytes_; }
    std::size_t size() const { return bytes_.size(); }

    // Encodes `value` over `width` bytes in the builder's byte order.
    static void put(char* out, std::uint64_t value, int width, bool bigEndian) {
        for (int i = 0; i < width; ++i) {
            const int shift = 8 * (bigEndian ? width - 1 - i : i);
            out[i] = static_cast<char>((value >> shift) & 0xff);
        }
    }

private:
    void number(std::uint64_t v, int width) {
        char buf[8];
        put(buf, v, width, bigEndian_);
        bytes_.append(buf, static_cast<std::size_t>(width));
    }

    bool bigEndian_;
    std::string bytes_;
};

// trace.dat v6 option ids (trace-cmd's TRACECMD_OPTION_* values).
enum class OptionId : std::uint16_t {
    Done = 0,
    Date = 1,
    CpuStat = 2,
    TraceClock = 4,
    Uname = 5,
    CpuCount = 8,
    Version = 9,
};

} // namespace irqlens::tracedat
