// Reading event fields straight out of a record's bytes, with the offsets
// and sizes of each field looked up once per event format (not by name per
// record).  Every read is bounds-checked against the record size: a corrupt
// record yields 0 / "" instead of reading past its end.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <traceevent/event-parse.h>

namespace irqlens::tracedat {

struct FieldRef {
    int offset = -1; // -1: the event has no such field
    int size = 0;
    bool isSigned = false;
    bool dynamic = false;  // __data_loc: a 32-bit (len << 16 | offset) locator
    bool relative = false; // __rel_loc: offset counted from the end of the locator

    bool valid() const { return offset >= 0; }

    static FieldRef find(tep_event* event, const char* name) {
        FieldRef ref;
        if (const tep_format_field* f = event ? tep_find_any_field(event, name) : nullptr) {
            ref.offset = f->offset;
            ref.size = f->size;
            ref.isSigned = (f->flags & TEP_FIELD_IS_SIGNED) != 0;
            ref.dynamic = (f->flags & TEP_FIELD_IS_DYNAMIC) != 0;
            ref.relative = (f->flags & TEP_FIELD_IS_RELATIVE) != 0;
        }
        return ref;
    }
};

// Byte order of the capture relative to this machine.
class FieldReader {
public:
    explicit FieldReader(bool swapBytes = false) : swap_(swapBytes) {}

    // An integer field (1, 2, 4 or 8 bytes), sign-extended when signed.
    std::uint64_t number(const tep_record& rec, const FieldRef& f) const {
        if (!f.valid()) {
            return 0;
        }
        return raw(rec, f.offset, f.size, f.isSigned);
    }
    std::uint64_t raw(const tep_record& rec, int offset, int size, bool isSigned) const {
        if (offset < 0 || offset + size > rec.size) {
            return 0;
        }
        const auto* p = static_cast<const unsigned char*>(rec.data) + offset;
        switch (size) {
        case 1:
            return isSigned ? std::uint64_t(std::int64_t(std::int8_t(*p))) : *p;
        case 2: {
            std::uint16_t v;
            std::memcpy(&v, p, 2);
            v = swap_ ? __builtin_bswap16(v) : v;
            return isSigned ? std::uint64_t(std::int64_t(std::int16_t(v))) : v;
        }
        case 4: {
            std::uint32_t v;
            std::memcpy(&v, p, 4);
            v = swap_ ? __builtin_bswap32(v) : v;
            return isSigned ? std::uint64_t(std::int64_t(std::int32_t(v))) : v;
        }
        case 8: {
            std::uint64_t v;
            std::memcpy(&v, p, 8);
            return swap_ ? __builtin_bswap64(v) : v;
        }
        default:
            return 0;
        }
    }

    // A string field: fixed char[N] (comm) or __data_loc char[] (irq name).
    std::string_view string(const tep_record& rec, const FieldRef& f) const {
        if (!f.valid()) {
            return {};
        }
        int offset = f.offset;
        int length = f.size;
        if (f.dynamic) {
            const auto loc = static_cast<std::uint32_t>(raw(rec, f.offset, 4, false));
            offset = static_cast<int>(loc & 0xffff) + (f.relative ? f.offset + 4 : 0);
            length = static_cast<int>(loc >> 16);
        }
        if (offset < 0 || length < 0 || offset + length > rec.size) {
            return {};
        }
        const char* p = static_cast<const char*>(rec.data) + offset;
        return {p, strnlen(p, static_cast<std::size_t>(length))};
    }

private:
    bool swap_;
};

} // namespace irqlens::tracedat
