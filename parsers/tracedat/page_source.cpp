#include "parsers/tracedat/page_source.h"

#include "parsers/tracedat/record_text.h"

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <traceevent/event-parse.h>
#include <unistd.h>
extern "C" {
#include <traceevent/kbuffer.h> // a C header without extern "C" of its own
}

namespace irqlens::tracedat {

namespace {

constexpr std::size_t kSlack = 16;
constexpr std::uint64_t kCommitMask = (1u << 27) - 1;

std::uint64_t readWord(const unsigned char* p, int size, bool bigEndian) {
    std::uint64_t v = 0;
    for (int i = 0; i < size; ++i) {
        v |= std::uint64_t(p[i]) << (bigEndian ? (size - 1 - i) * 8 : i * 8);
    }
    return v;
}

// The stream of store column `column` and its plan; nullptr when none.
const CpuPages* streamOf(const std::vector<CpuDataPlan>& plans, int column,
                         const CpuDataPlan*& plan) {
    for (const CpuDataPlan& p : plans) {
        for (const CpuPages& stream : p.cpus) {
            if (stream.column == column) {
                plan = &p;
                return &stream;
            }
        }
    }
    return nullptr;
}

} // namespace

PageSource::PageSource(const std::string& path, std::unique_ptr<CaptureHeaders> headers,
                       std::vector<CpuDataPlan> plans)
    : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)), headers_(std::move(headers)),
      plans_(std::move(plans)) {
    tep_handle* tep = headers_->tep();
    const bool bigEndian = tep_is_file_bigendian(tep);
    kbuf_ = kbuffer_alloc(tep_get_long_size(tep) == 4 ? KBUFFER_LSIZE_4 : KBUFFER_LSIZE_8,
                          bigEndian ? KBUFFER_ENDIAN_BIG : KBUFFER_ENDIAN_LITTLE);
    if (kbuf_ && tep_is_old_format(tep)) {
        kbuffer_set_old_format(kbuf_);
    }
    tep_clear_flag(tep, TEP_DISABLE_PLUGINS); // set by the loader's libtracecmd open
    plugins_ = tep_load_plugins(tep);
}

PageSource::~PageSource() {
    tep_unload_plugins(plugins_, headers_->tep());
    kbuffer_free(kbuf_);
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

// The page at `at` of the stream into page_ (a compressed stream's chunk
// holding it is decompressed).
bool PageSource::loadPage(const CpuDataPlan& plan, const CpuPages& stream, std::uint64_t at) {
    std::uint64_t begin = at;
    if (!stream.chunks.empty()) {
        auto it = std::upper_bound(stream.chunks.begin(), stream.chunks.end(), at,
                                   [](std::uint64_t pos, const Chunk& c) { return pos < c.start; });
        if (it == stream.chunks.begin()) {
            return false;
        }
        begin = std::prev(it)->start;
    }
    page_.assign(plan.pageSize + kSlack, 0);
    bool found = false;
    PageReader reader(fd_, plan);
    const std::string error =
        reader.read(stream, begin, at + plan.pageSize,
                    [&](const unsigned char* pages, std::size_t size, std::uint64_t sourceOffset) {
                        const std::uint64_t want = stream.sourceBase + at;
                        if (want >= sourceOffset && want - sourceOffset + plan.pageSize <= size) {
                            std::memcpy(page_.data(), pages + (want - sourceOffset), plan.pageSize);
                            found = true;
                            return false;
                        }
                        return true;
                    });
    return found && error.empty();
}

bool PageSource::findRecord(int column, std::uint64_t anchorOffset, std::uint32_t skip,
                            tep_record& rec) {
    const CpuDataPlan* plan = nullptr;
    const CpuPages* stream = streamOf(plans_, column, plan);
    if (!stream || !kbuf_ || fd_ < 0 || anchorOffset < stream->sourceBase) {
        return false;
    }
    const std::uint32_t pageSize = plan->pageSize;
    const int longSize = tep_get_long_size(headers_->tep()) == 4 ? 4 : 8;
    const bool bigEndian = tep_is_file_bigendian(headers_->tep());
    const std::uint64_t headerBytes = 8 + std::uint64_t(longSize);
    bool atAnchor = true;
    for (std::uint64_t at = (anchorOffset - stream->sourceBase) / pageSize * pageSize;
         at + pageSize <= stream->bytes; at += pageSize) {
        if (!loadPage(*plan, *stream, at)) {
            return false;
        }
        // The page decoder's checks: a damaged page's records end at the damage.
        const std::uint64_t commit = readWord(page_.data() + 8, longSize, bigEndian) & kCommitMask;
        if (commit > pageSize - headerBytes || kbuffer_load_subbuffer(kbuf_, page_.data()) < 0) {
            continue;
        }
        const unsigned char* end = page_.data() + headerBytes + commit;
        unsigned long long ts = 0;
        for (void* data = kbuffer_read_event(kbuf_, &ts); data;
             data = kbuffer_next_event(kbuf_, &ts)) {
            const int size = kbuffer_event_size(kbuf_);
            const auto* bytes = static_cast<const unsigned char*>(data);
            if (size < 0 || bytes + size > end) {
                break;
            }
            const std::uint64_t offset =
                stream->sourceBase + at + static_cast<std::uint64_t>(kbuffer_curr_offset(kbuf_));
            if (atAnchor && offset < anchorOffset) {
                continue;
            }
            if (atAnchor && offset != anchorOffset) {
                return false; // no record starts there
            }
            atAnchor = false;
            if (skip-- == 0) {
                rec.ts = headers_->conversion().apply(ts);
                rec.offset = offset;
                rec.size = size;
                rec.data = data;
                rec.cpu = column;
                return true;
            }
        }
    }
    return false;
}

std::vector<DecodedField> PageSource::decode(int cpu, std::uint64_t anchorOffset,
                                             std::uint32_t skip) {
    std::lock_guard lock(mutex_);
    tep_record rec{};
    if (!findRecord(cpu, anchorOffset, skip, rec)) {
        return {};
    }
    return recordFields(headers_->tep(), rec);
}

std::string PageSource::info(int cpu, std::uint64_t anchorOffset, std::uint32_t skip) {
    std::lock_guard lock(mutex_);
    tep_record rec{};
    if (!findRecord(cpu, anchorOffset, skip, rec)) {
        return {};
    }
    return recordInfo(headers_->tep(), rec);
}

std::optional<Symbol> PageSource::symbol(std::uint64_t address) const {
    std::lock_guard lock(mutex_);
    return kernelSymbol(headers_->tep(), address);
}

} // namespace irqlens::tracedat
