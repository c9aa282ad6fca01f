// Bounds-checked reading for the trace.dat layout walk (tracedat_layout.cpp,
// layout_options.cpp): every read names what it reads and the section it is
// in, so a file cut short says "truncated" and where, never "corrupt".
// Internal to parsers/tracedat.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace irqlens::tracedat::layout_detail {

struct LayoutError {
    std::string message;
};

inline std::string offsetText(std::uint64_t offset) {
    return std::to_string(offset);
}

// Bounds-checked reads at explicit offsets, in the file's byte order.
class FileBytes {
public:
    FileBytes(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
    // Bytes in memory (a decompressed v7 section).
    explicit FileBytes(const std::vector<char>& bytes, bool bigEndianBytes)
        : bigEndian(bigEndianBytes), fd_(-1), size_(bytes.size()), mem_(bytes.data()) {}
    std::uint64_t size() const { return size_; }
    int fd() const { return fd_; }
    bool bigEndian = false;

    // The section the walk is in ("options", "kallsyms", ...): named in the
    // message when the file ends inside it.
    void enter(const char* section) const { section_ = section; }

    void read(std::uint64_t offset, void* out, std::size_t n, const char* what) const {
        if (offset > size_ || n > size_ - offset) {
            throw LayoutError{"truncated: " + where(what) + " at offset " + offsetText(offset) +
                              " ends beyond the end of the file (" + offsetText(size_) + " bytes)"};
        }
        if (mem_) {
            std::memcpy(out, mem_ + offset, n);
            return;
        }
        if (::pread(fd_, out, n, static_cast<off_t>(offset)) != static_cast<ssize_t>(n)) {
            throw LayoutError{"cannot read " + where(what) + " at offset " + offsetText(offset)};
        }
    }
    std::uint64_t number(std::uint64_t offset, std::size_t n, const char* what) const {
        std::array<unsigned char, 8> b{};
        read(offset, b.data(), n, what);
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t shift = bigEndian ? (n - 1 - i) * 8 : i * 8;
            v |= std::uint64_t(b[i]) << shift;
        }
        return v;
    }
    std::uint16_t u16(std::uint64_t o, const char* what) const {
        return static_cast<std::uint16_t>(number(o, 2, what));
    }
    std::uint32_t u32(std::uint64_t o, const char* what) const {
        return static_cast<std::uint32_t>(number(o, 4, what));
    }
    std::uint64_t u64(std::uint64_t o, const char* what) const { return number(o, 8, what); }
    // A NUL-terminated string of at most `max` characters; advances `offset` past the NUL.
    std::string string(std::uint64_t& offset, std::size_t max, const char* what) const {
        std::string out;
        for (;;) {
            char c = 0;
            read(offset++, &c, 1, what);
            if (c == '\0') {
                return out;
            }
            if (out.size() >= max) {
                throw LayoutError{"corrupt " + where(what) + " at offset " +
                                  offsetText(offset - out.size() - 1) + " (no terminator)"};
            }
            out.push_back(c);
        }
    }
    // A block of `size` bytes at `offset` must lie inside the file.
    void require(std::uint64_t offset, std::uint64_t size, const char* what) const {
        if (offset > size_ || size > size_ - offset) {
            throw LayoutError{"truncated: " + where(what) + " at offset " + offsetText(offset) +
                              " needs " + offsetText(size) + " bytes, the file ends at " +
                              offsetText(size_)};
        }
    }

private:
    // "option in the options section"; just "kallsyms" when the thing read
    // already names its section.
    std::string where(const char* what) const {
        std::string text(what);
        if (section_ && text.find(section_) == std::string::npos) {
            text += std::string(" in the ") + section_ + " section";
        }
        return text;
    }

    int fd_;
    std::uint64_t size_;
    const char* mem_ = nullptr;
    mutable const char* section_ = nullptr;
};

} // namespace irqlens::tracedat::layout_detail
