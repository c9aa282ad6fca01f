#include "parsers/tracedat/tracedat_source.h"

#include "parsers/tracedat/libtracecmd.h"
#include "parsers/tracedat/record_text.h"
#include "parsers/tracedat/safe_open.h"

#include <memory>

namespace irqlens::tracedat {

namespace {
struct RecordFree {
    void operator()(tep_record* r) const { tracecmd_free_record(r); }
};
using RecordPtr = std::unique_ptr<tep_record, RecordFree>;
} // namespace

extern "C" {
// Exported by libtracecmd.so.1, declared only in its private header.
struct tracecmd_input* tracecmd_buffer_instance_handle(struct tracecmd_input* handle, int indx);
}

TraceDatSource::TraceDatSource(std::string path, Layout layout, std::vector<BufferColumns> buffers)
    : path_(std::move(path)), layout_(std::move(layout)), buffers_(std::move(buffers)),
      bufferHandles_(buffers_.size(), nullptr) {}

TraceDatSource::~TraceDatSource() {
    for (tracecmd_input* h : bufferHandles_) {
        if (h) {
            tracecmd_close(h);
        }
    }
    if (handle_) {
        tracecmd_close(handle_);
    }
}

tracecmd_input* TraceDatSource::handle() const {
    if (!handle_ && !openFailed_) {
        std::string error; // the load opened this file: a failure here is rare
        handle_ = openTraceDat(path_, 0, layout_, error);
        openFailed_ = handle_ == nullptr;
    }
    return handle_;
}

tracecmd_input* TraceDatSource::handleOfColumn(int column, int& cpu) {
    cpu = column;
    if (!handle()) {
        return nullptr;
    }
    for (std::size_t b = 0; b < buffers_.size(); ++b) {
        const BufferColumns& buffer = buffers_[b];
        if (column >= buffer.firstColumn && column < buffer.firstColumn + buffer.cpus) {
            cpu = column - buffer.firstColumn;
            if (!bufferHandles_[b]) {
                bufferHandles_[b] = tracecmd_buffer_instance_handle(handle_, buffer.instance);
            }
            return bufferHandles_[b];
        }
    }
    return handle_;
}

tep_record* TraceDatSource::readRecord(int column, std::uint64_t anchorOffset, std::uint32_t skip) {
    int cpu = column;
    tracecmd_input* handle = handleOfColumn(column, cpu);
    if (!handle) {
        return nullptr;
    }
    int recordCpu = -1;
    tep_record* rec = tracecmd_read_at(handle, anchorOffset, &recordCpu);
    if (!rec || recordCpu != cpu) {
        tracecmd_free_record(rec);
        return nullptr;
    }
    for (std::uint32_t i = 0; i < skip && rec; ++i) {
        tracecmd_free_record(rec);
        rec = tracecmd_read_data(handle, cpu);
    }
    return rec;
}

std::vector<DecodedField> TraceDatSource::decode(int cpu, std::uint64_t anchorOffset,
                                                 std::uint32_t skip) {
    std::lock_guard lock(mutex_);
    RecordPtr rec(readRecord(cpu, anchorOffset, skip));
    std::vector<DecodedField> fields;
    if (!rec) {
        return fields;
    }
    return recordFields(tracecmd_get_tep(handle_), *rec);
}

std::string TraceDatSource::info(int cpu, std::uint64_t anchorOffset, std::uint32_t skip) {
    std::lock_guard lock(mutex_);
    RecordPtr rec(readRecord(cpu, anchorOffset, skip));
    if (!rec) {
        return {};
    }
    return recordInfo(tracecmd_get_tep(handle_), *rec);
}

std::optional<Symbol> TraceDatSource::symbol(std::uint64_t address) const {
    std::lock_guard lock(mutex_);
    if (!handle()) {
        return std::nullopt;
    }
    return kernelSymbol(tracecmd_get_tep(handle_), address);
}

} // namespace irqlens::tracedat
