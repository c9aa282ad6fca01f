// Decodes raw ring-buffer pages of ONE CPU (as the kernel writes them to
// trace_pipe_raw and as trace.dat stores them) into the store's columns,
// with libtraceevent's kbuffer and the capture's tep formats.  The file
// loader feeds it pages read from trace.dat (v6: pread into a reused
// buffer; v7: decompressed chunks); the live recorder can feed it the
// pages it reads from tracefs, appending to an open store.
//
// One PageDecoder per thread.  Build them (and register the types) before
// the threads start: construction looks formats up in `tep`, decoding only
// reads it.  Pages are independent (each carries its absolute timestamp),
// so a CPU's pages may be split into ranges decoded by different threads
// and the ranges appended in order afterwards.
#pragma once

#include "core/model/event_store.h"
#include "parsers/tracedat/event_decoder.h"

#include <cstddef>
#include <cstdint>
#include <vector>

struct tep_handle;
struct kbuffer;

namespace irqlens::tracedat {

// trace-cmd's conversion of raw page timestamps to the capture clock
// (TSC2NSEC multiplier/shift and the DATE / OFFSET options):
// ts = (raw * mult) >> shift + offset; mult 0 means raw nanoseconds.
struct TimestampConversion {
    std::uint32_t mult = 0;
    std::uint32_t shift = 0;
    std::int64_t offset = 0;
    std::uint64_t apply(std::uint64_t raw) const;
};

// Where a batch of pages goes: one CPU's column (the store's own, or a
// piece's column appended to the store's later).
struct PageSink {
    CpuEvents* events = nullptr;
    std::vector<MissedEvents>* missed = nullptr;   // eventIndex relative to *events
    std::vector<std::uint64_t>* offsets = nullptr; // optional: every event's source offset
};

struct PageBatchResult {
    std::uint64_t events = 0;
    std::uint64_t pages = 0;
    // Pages whose header or records are impossible (commit larger than the
    // page, a record running past it): their remaining records are skipped.
    std::uint64_t damagedPages = 0;
    std::uint64_t firstDamagedOffset = 0;
};

class PageDecoder {
public:
    // `tep`: the capture's formats (header_page parsed: it gives the page
    // layout, byte order and long size).  `pageSize`: bytes per page.
    PageDecoder(tep_handle* tep, const TypeTable& types, EventStore& store, std::uint32_t pageSize,
                TimestampConversion conversion = {});
    ~PageDecoder();
    PageDecoder(const PageDecoder&) = delete;
    PageDecoder& operator=(const PageDecoder&) = delete;

    // Decodes the whole pages in [bytes, bytes + size) of CPU `cpu` and
    // appends their events to `sink`; a tail shorter than a page is ignored.
    // `sourceOffset` is the offset of the first page in its source (the file
    // offset for v6, libtracecmd's offset for v7): each event's offset is
    // sourceOffset + its position, as EventSource::decode() expects.
    PageBatchResult decodePages(int cpu, const unsigned char* bytes, std::size_t size,
                                std::uint64_t sourceOffset, PageSink& sink);

    // Starts a new CPU stream (forgets per-stream memo: comms seen).
    void startStream();
    // Pids seen in events so far (to name them from saved_cmdlines).
    std::vector<std::int32_t> seenPids() const;
    std::uint32_t pageSize() const { return pageSize_; }

private:
    bool decodePage(int cpu, const unsigned char* page, std::uint64_t offset, PageSink& sink,
                    PageBatchResult& result);

    static constexpr std::size_t kSlack = 16;
    EventDecoder decoder_;
    kbuffer* kbuf_ = nullptr;
    std::vector<unsigned char> scratch_; // the batch's last page, with slack after it
    std::uint32_t pageSize_;
    std::uint32_t headerBytes_; // u64 timestamp + long commit
    bool bigEndian_ = false;
    int longSize_ = 8;
    TimestampConversion conversion_;
};

} // namespace irqlens::tracedat
