// Decodes a recording's raw ring-buffer pages as they arrive into an
// EventStore that one consumer thread (the GUI) owns and reads freely.
//
// Threads: any recorder thread calls pages() (a copy is queued); one worker
// decodes the queue into a private staging store (its own interning pools
// and per-CPU columns); the consumer calls apply(), which moves the decoded
// events into the live store and copies the pools' new entries.  The live
// store is only ever written inside apply(), on the consumer's thread, so
// the consumer's readers never race with the decoder.  The pools of both
// stores are filled in the same order, so their ids agree.
#pragma once

#include "core/model/event_store.h"
#include "core/model/trace_metadata.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct tep_handle;

namespace irqlens::tracedat {
class PageDecoder;
}

namespace irqlens::live {

// What one apply() added.
struct Applied {
    std::uint64_t events = 0;                // new events over all CPUs
    std::vector<std::uint64_t> eventsPerCpu; // new events of each column
    std::uint64_t missedMarks = 0;
};

struct DecoderStats {
    std::uint64_t pagesQueued = 0;
    std::uint64_t pagesDecoded = 0;
    std::uint64_t damagedPages = 0;
    std::uint64_t queuedBytes = 0; // waiting for the worker now
};

class LiveDecoder {
public:
    LiveDecoder();
    ~LiveDecoder(); // stops the worker (pages still queued are dropped)
    LiveDecoder(const LiveDecoder&) = delete;
    LiveDecoder& operator=(const LiveDecoder&) = delete;

    // Parses the target's formats and creates the live store; starts the
    // worker.  Call once, before any pages().
    bool begin(const TraceMetadata& metadata, std::string& error);
    // Whole pages of one CPU; any thread.  Copies them.
    void pages(int cpu, const void* data, std::size_t bytes);
    // Blocks until every page queued so far is decoded (the end of a recording).
    void drain();

    // ---- the consumer's thread ----
    // The live store (null before begin()).  Read it only on the thread that
    // calls apply().
    std::shared_ptr<EventStore> store() const { return store_; }
    // Moves what the worker decoded since the last call into store().
    // Never waits for the worker: when it is busy this returns nothing and
    // the worker pauses before its next chunk, so the next call succeeds.
    Applied apply();
    DecoderStats stats() const;

private:
    struct Chunk {
        int cpu;
        std::vector<unsigned char> bytes;
    };
    void run();
    void decode(Chunk& chunk);
    void syncPools();
    void internDerivedKeys(int cpu, std::size_t firstNew);
    void waitWhileApplyWanted();

    std::shared_ptr<EventStore> store_;   // the consumer's
    std::unique_ptr<EventStore> staging_; // the worker's
    tep_handle* tep_ = nullptr;
    std::unique_ptr<tracedat::PageDecoder> decoder_;
    std::vector<std::vector<MissedEvents>> missed_;   // staging, per CPU
    std::vector<std::vector<std::uint64_t>> offsets_; // staging, per CPU
    std::vector<std::uint64_t> streamBytes_;          // bytes decoded per CPU
    int lastCpu_ = -1;
    std::size_t worksSeen_ = 0;
    bool hasIpi_ = false;

    mutable std::mutex queueMutex_;
    std::condition_variable queueCv_, idleCv_;
    std::deque<Chunk> queue_;
    bool busy_ = false;
    bool stop_ = false;
    DecoderStats stats_;

    std::mutex stagingMutex_; // the worker decoding vs apply() taking the staging
    std::atomic<bool> applyWanted_{false};
    std::mutex applyMutex_;
    std::condition_variable applyCv_;
    std::thread worker_;
};

} // namespace irqlens::live
