#include "parsers/tracedat/page_decoder.h"

#include <algorithm>
#include <cstring>
#include <traceevent/event-parse.h>
extern "C" {
#include <traceevent/kbuffer.h> // a C header without extern "C" of its own
}

namespace irqlens::tracedat {

namespace {

// The commit word of a page header: bytes of event data in its low 27 bits
// (flags such as "missed events" above).
constexpr std::uint64_t kCommitMask = (1u << 27) - 1;

std::uint64_t readWord(const unsigned char* p, int size, bool bigEndian) {
    std::uint64_t v = 0;
    for (int i = 0; i < size; ++i) {
        const int shift = bigEndian ? (size - 1 - i) * 8 : i * 8;
        v |= std::uint64_t(p[i]) << shift;
    }
    return v;
}

// trace-cmd's mul_u64_u32_shr: the 64x32-bit product without overflow.
std::uint64_t mulShift(std::uint64_t a, std::uint64_t mult, std::uint32_t shift) {
    const std::uint64_t low = std::uint64_t(std::uint32_t(a));
    const std::uint64_t high = a >> 32;
    std::uint64_t result = (low * mult) >> shift;
    if (high != 0) {
        result += (high * mult) << (32 - shift);
    }
    return result;
}

} // namespace

std::uint64_t TimestampConversion::apply(std::uint64_t raw) const {
    const std::uint64_t ns = mult != 0 ? mulShift(raw, mult, shift) : raw;
    return ns + static_cast<std::uint64_t>(offset);
}

PageDecoder::PageDecoder(tep_handle* tep, const TypeTable& types, EventStore& store,
                         std::uint32_t pageSize, TimestampConversion conversion)
    : decoder_(tep, types, store), pageSize_(pageSize), conversion_(conversion) {
    bigEndian_ = tep_is_file_bigendian(tep);
    longSize_ = tep_get_long_size(tep) == 4 ? 4 : 8;
    headerBytes_ = 8 + static_cast<std::uint32_t>(longSize_);
    kbuf_ = kbuffer_alloc(longSize_ == 8 ? KBUFFER_LSIZE_8 : KBUFFER_LSIZE_4,
                          bigEndian_ ? KBUFFER_ENDIAN_BIG : KBUFFER_ENDIAN_LITTLE);
    if (kbuf_ && tep_is_old_format(tep)) {
        kbuffer_set_old_format(kbuf_);
    }
    scratch_.assign(pageSize_ + kSlack, 0);
}

PageDecoder::~PageDecoder() {
    kbuffer_free(kbuf_);
}

void PageDecoder::startStream() {
    decoder_.cache().startStream();
}

std::vector<std::int32_t> PageDecoder::seenPids() const {
    return decoder_.cacheView().seenPids();
}

PageBatchResult PageDecoder::decodePages(int cpu, const unsigned char* bytes, std::size_t size,
                                         std::uint64_t sourceOffset, PageSink& sink) {
    PageBatchResult result;
    if (!kbuf_ || pageSize_ <= headerBytes_) {
        return result;
    }
    const std::size_t pages = size / pageSize_;
    for (std::size_t p = 0; p < pages; ++p) {
        const unsigned char* page = bytes + p * pageSize_;
        if (p + 1 == pages) {
            // kbuffer may look a few bytes past the last record's header:
            // the batch's last page is decoded from a copy with room after it.
            std::memcpy(scratch_.data(), page, pageSize_);
            page = scratch_.data();
        }
        const std::uint64_t offset = sourceOffset + std::uint64_t(p) * pageSize_;
        if (!decodePage(cpu, page, offset, sink, result)) {
            if (result.damagedPages++ == 0) {
                result.firstDamagedOffset = offset;
            }
        }
        ++result.pages;
    }
    return result;
}

// False when the page is damaged (its later records are skipped).
bool PageDecoder::decodePage(int cpu, const unsigned char* page, std::uint64_t offset,
                             PageSink& sink, PageBatchResult& result) {
    const std::uint64_t commit = readWord(page + 8, longSize_, bigEndian_) & kCommitMask;
    if (commit > pageSize_ - headerBytes_) {
        return false; // kbuffer would read past the page
    }
    auto* mutablePage = const_cast<unsigned char*>(page); // kbuffer only reads it
    if (kbuffer_load_subbuffer(kbuf_, mutablePage) < 0) {
        return false;
    }
    const unsigned char* end = page + headerBytes_ + commit;
    unsigned long long ts = 0;
    for (void* data = kbuffer_read_event(kbuf_, &ts); data; data = kbuffer_next_event(kbuf_, &ts)) {
        const int size = kbuffer_event_size(kbuf_);
        const auto* bytes = static_cast<const unsigned char*>(data);
        if (size < 0 || bytes < page || bytes + size > end) {
            return false;
        }
        tep_record rec{};
        rec.ts = conversion_.apply(ts);
        rec.offset = offset + static_cast<std::uint64_t>(kbuffer_curr_offset(kbuf_));
        rec.size = size;
        rec.data = data;
        rec.cpu = cpu;
        CpuEvents& events = *sink.events;
        if (const int missed = kbuffer_missed_events(kbuf_); missed != 0) {
            MissedEvents mark;
            mark.cpu = static_cast<std::uint16_t>(cpu);
            mark.ts = static_cast<std::int64_t>(rec.ts);
            mark.count = missed > 0 ? missed : -1;
            mark.eventIndex = static_cast<std::uint32_t>(events.size());
            sink.missed->push_back(mark);
        }
        events.append(decoder_.decode(rec), rec.offset);
        if (sink.offsets) {
            sink.offsets->push_back(rec.offset);
        }
        ++result.events;
    }
    return true;
}

} // namespace irqlens::tracedat
