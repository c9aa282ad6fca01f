// Records ftrace events into a TraceSink, locally (libtracefs) or from a
// remote machine over SSH.  Life cycle, from any UI:
//
//   auto rec = makeLocalRecorder(options);          // or makeRemoteRecorder(...)
//   if (!rec->start(sink, error)) ...               // instance created, readers running
//   RecordResult r = rec->wait(progress);           // until duration / requestStop()
//
// requestStop() and requestAbort() may be called from another thread or a
// signal handler, also while start() runs (it then gives up soon and
// returns false).  A start() that fails leaves nothing behind: no reader
// thread touches the sink once it returned, and the instance is removed.
// wait() always finalises the sink and removes the tracefs instance.
#pragma once

#include "core/record/record_options.h"
#include "core/record/ring_page.h"
#include "core/record/trace_sink.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace irqlens {

struct RecordCounters {
    std::uint64_t events = 0;    // records in the pages received
    std::uint64_t lost = 0;      // events the kernel dropped (counts stored in pages)
    std::uint64_t lostMarks = 0; // pages that say "events lost" (count known or not)
    std::uint64_t pages = 0;
    std::uint64_t bytes = 0;
    double seconds = 0; // since tracing was switched on
    std::vector<std::uint64_t> eventsPerCpu;
};

struct RecordResult {
    bool ok = false;                   // the sink holds a readable capture
    std::string error;                 // why recording ended early / failed (one line)
    std::vector<std::string> warnings; // e.g. "no ipi:* events on this kernel"
    RecordCounters counters;
    std::uint64_t kernelOverrun = 0; // sum of per_cpu stats "overrun:" at the end
    std::uint64_t kernelDropped = 0; // sum of per_cpu stats "dropped events:"
    // Remote: events the target's readers had not taken when the stop gave
    // up waiting for them (sum of "entries:"); they are not in the capture.
    std::uint64_t eventsLeftOnTarget = 0;
    bool stoppedByRequest = false;
};

// The warning for result.eventsLeftOnTarget (one wording for the CLI and
// the GUI); empty when nothing was left.
std::string eventsLeftWarning(const RecordResult& result);

using ProgressCallback = std::function<void(const RecordCounters&)>;

class Recorder {
public:
    virtual ~Recorder() = default;
    // Creates the tracefs instance, enables the events, hands the metadata
    // to sink.begin() and starts one reader per CPU.
    virtual bool start(TraceSink& sink, std::string& error) = 0;
    // Blocks until the duration elapsed, requestStop() or a fatal error;
    // then drains the buffers, finalises the sink and removes the instance.
    // `progress` is called ~4 times a second from the calling thread.
    virtual RecordResult wait(const ProgressCallback& progress = {}) = 0;

    void requestStop() { stop_.store(true, std::memory_order_relaxed); }
    bool stopRequested() const { return stop_.load(std::memory_order_relaxed); }
    // A second Ctrl-C: stop without draining what is still in the buffers
    // (the file is still finished and the instance still removed).
    void requestAbort() {
        abort_.store(true, std::memory_order_relaxed);
        requestStop();
    }
    bool abortRequested() const { return abort_.load(std::memory_order_relaxed); }
    RecordCounters counters() const;
    const std::vector<std::string>& warnings() const { return warnings_; }

protected:
    // Per-CPU bookkeeping every reader goes through: counts, then the sink.
    bool deliverPages(int cpu, const void* data, std::size_t bytes);
    void resetCounters(int cpus, const PageLayout& layout);
    void markTracingStarted() { started_ = std::chrono::steady_clock::now(); }
    // The last step of every wait(): a recording that holds no event at all
    // says so (a quiet selection, or a target that delivered nothing).
    void warnIfNothingRecorded(const RecordResult& result);
    // The first half of every wait(): false (result.error set) when start()
    // did not succeed; otherwise sleeps in short steps until stop, the
    // deadline, or `finished()` says so, and sets result.stoppedByRequest.
    bool waitForEnd(RecordResult& result, double durationSeconds, const ProgressCallback& progress,
                    const std::function<bool()>& finished);

    std::atomic<bool> stop_{false};
    std::atomic<bool> abort_{false};
    TraceSink* sink_ = nullptr;
    std::vector<std::string> warnings_;
    std::atomic<bool> sinkFailed_{false};

private:
    struct CpuCounters {
        std::atomic<std::uint64_t> events{0}, lost{0}, lostMarks{0}, pages{0}, bytes{0};
    };
    std::unique_ptr<CpuCounters[]> cpuCounters_;
    int cpus_ = 0;
    PageLayout layout_;
    std::chrono::steady_clock::time_point started_{};
    std::atomic<std::chrono::steady_clock::time_point> stopped_{};
};

std::unique_ptr<Recorder> makeLocalRecorder(const RecordOptions& options);

// Sums "overrun: N" and "dropped events: N" lines of per_cpu stats texts.
void sumCpuStats(const std::vector<std::string>& stats, std::uint64_t& overrun,
                 std::uint64_t& dropped);

// "read events: N" of one CPU's per_cpu stats: how many events the kernel
// handed to that CPU's readers; nullopt when the kernel does not say.
std::optional<std::uint64_t> readEventsOf(const std::string& stats);

} // namespace irqlens
