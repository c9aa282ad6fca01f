// EventSource over a trace.dat: re-reads single records through libtracecmd
// (tracecmd_read_at on the anchor, then stepping) to decode every field,
// print the event like `trace-cmd report`, and look up kernel symbols in the
// capture's kallsyms.  libtracecmd handles are not thread-safe: one mutex.
// The handle is opened on first use: libtracecmd 3.1.6 keeps every
// decompressed chunk a handle has read until it is closed, so the loader's
// handles are closed after loading and this one starts fresh.
#pragma once

#include "core/model/event_source.h"
#include "parsers/tracedat/tracedat_layout.h"

#include <mutex>
#include <string>
#include <vector>

struct tracecmd_input;
struct tep_record;

namespace irqlens::tracedat {

// Where an extra buffer's events are: libtracecmd's instance index
// (BufferLayout::instance) and the store columns of its CPUs.
struct BufferColumns {
    int instance = 0;
    int firstColumn = 0;
    int cpus = 0;
};

class TraceDatSource final : public EventSource {
public:
    // `layout`: the loader's, for its masked copy (safe_open.h); `buffers`:
    // the store columns of the extra buffers (their records are read
    // through libtracecmd's instance handles).
    TraceDatSource(std::string path, Layout layout, std::vector<BufferColumns> buffers = {});
    ~TraceDatSource() override;
    TraceDatSource(const TraceDatSource&) = delete;
    TraceDatSource& operator=(const TraceDatSource&) = delete;

    std::vector<DecodedField> decode(int cpu, std::uint64_t anchorOffset,
                                     std::uint32_t skip) override;
    std::string info(int cpu, std::uint64_t anchorOffset, std::uint32_t skip) override;
    std::optional<Symbol> symbol(std::uint64_t address) const override;

private:
    // The record `skip` events after the anchor on `cpu` (nullptr if none);
    // the caller holds mutex_ and frees the record.
    tep_record* readRecord(int cpu, std::uint64_t anchorOffset, std::uint32_t skip);
    // Opens the handle if needed; nullptr when the file cannot be opened any more.
    tracecmd_input* handle() const;
    // The handle holding store column `column` and that column's CPU in it.
    tracecmd_input* handleOfColumn(int column, int& cpu);

    mutable std::mutex mutex_;
    std::string path_;
    Layout layout_;
    std::vector<BufferColumns> buffers_;
    std::vector<tracecmd_input*> bufferHandles_; // by buffers_ index, opened on first use
    mutable tracecmd_input* handle_ = nullptr;
    mutable bool openFailed_ = false;
};

} // namespace irqlens::tracedat
