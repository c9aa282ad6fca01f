// EventSource over a trace.dat that libtracecmd cannot re-read: a v7 file
// compressed with zlib (Debian's libtracecmd reads zstd only), a file cut
// short inside its CPU data, or one with damaged pages (libtracecmd trusts
// page headers).  One event is found again the way the page decoder found
// it: the page of its anchor is read (a chunk decompressed), its records
// walked with kbuffer under the decoder's checks, `skip` records counted
// on over the following pages.  Fields, text and symbols come from the
// capture's formats and kallsyms (CaptureHeaders).
#pragma once

#include "core/model/event_source.h"
#include "parsers/tracedat/capture_headers.h"
#include "parsers/tracedat/cpu_pages.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct kbuffer;
struct tep_plugin_list;
struct tep_record;

namespace irqlens::tracedat {

class PageSource final : public EventSource {
public:
    // `plans`: every buffer's streams, as loaded (CpuPages::column is the
    // store column).  The file is opened again here.
    PageSource(const std::string& path, std::unique_ptr<CaptureHeaders> headers,
               std::vector<CpuDataPlan> plans);
    ~PageSource() override;
    PageSource(const PageSource&) = delete;
    PageSource& operator=(const PageSource&) = delete;

    std::vector<DecodedField> decode(int cpu, std::uint64_t anchorOffset,
                                     std::uint32_t skip) override;
    std::string info(int cpu, std::uint64_t anchorOffset, std::uint32_t skip) override;
    std::optional<Symbol> symbol(std::uint64_t address) const override;

private:
    // The record `skip` records after the one at `anchorOffset` of store
    // column `column`, its data in page_; false when there is none.
    bool findRecord(int column, std::uint64_t anchorOffset, std::uint32_t skip, tep_record& rec);
    bool loadPage(const CpuDataPlan& plan, const CpuPages& stream, std::uint64_t at);

    mutable std::mutex mutex_;
    int fd_ = -1;
    std::unique_ptr<CaptureHeaders> headers_;
    std::vector<CpuDataPlan> plans_;
    kbuffer* kbuf_ = nullptr;
    // libtraceevent's print plugins (sched_switch, ...), as trace-cmd
    // report and libtracecmd load them: the loader reads formats without.
    tep_plugin_list* plugins_ = nullptr;
    std::vector<unsigned char> page_; // one page and slack after it (kbuffer peeks past)
};

} // namespace irqlens::tracedat
