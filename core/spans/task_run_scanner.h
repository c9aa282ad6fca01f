// Task runs of one CPU from its own events alone (internal to analyze()).
// A run lasts from a sched_switch into a task to the CPU's next switch, so
// no other CPU's events matter: each CPU is scanned on its own, in index
// order, straight into the columnar table (task_runs.h), outside the span
// walk and its reordering.  Resumable: a live recording scans each new batch.
#pragma once

#include "core/spans/task_runs.h"

#include <cstdint>
#include <vector>

namespace irqlens::detail {

class TaskRunScanner {
public:
    // Scans events [position(), to) of the CPU.  `isSwitch`: TypeId ->
    // whether it is sched_switch.  `firstTs` is the capture's first
    // timestamp, `marks` the CPU's drop marks (sorted): where a run seen only
    // at its end began.
    void scan(const CpuEvents& col, std::size_t to, const std::vector<std::uint8_t>& isSwitch,
              std::int64_t firstTs, const std::vector<std::int64_t>& marks);
    // Room for `runs` runs: the table is not regrown at 30 M runs.
    void reserve(std::size_t runs) { runs_.reserve(runs); }
    std::size_t position() const { return pos_; }
    std::size_t bytesFilled() const { return runs_.bytesFilled(); }

    // The finished table: the open run ends at `lastTs`, CrossesDrop is set
    // from `marks`, runs are in start order.  take() leaves the scanner
    // spent; snapshot() copies.
    CpuTaskRuns take(std::int64_t lastTs, const std::vector<std::int64_t>& marks);
    CpuTaskRuns snapshot(std::int64_t lastTs, const std::vector<std::int64_t>& marks) const;

    // A live picture's part: runs [from, ...) as they stand, the open one
    // ending at `edge`, CrossesDrop from `marks`, in the order they were
    // seen (a picture's table grows at its end).  settled(): how many runs
    // will not change again (all but the open one).
    CpuTaskRuns tail(std::size_t from, std::int64_t edge,
                     const std::vector<std::int64_t>& marks) const;
    std::size_t settled() const { return open_ == kNoRun ? runs_.size() : open_; }

private:
    void onSwitch(std::uint32_t index, std::int64_t ts, std::int32_t prev, std::int32_t next,
                  std::int64_t firstTs, const std::vector<std::int64_t>& marks);
    std::int64_t openStartAt(std::int64_t ts, std::int32_t prev, std::int64_t firstTs,
                             const std::vector<std::int64_t>& marks, std::uint16_t& flags) const;
    static void finish(CpuTaskRuns& runs, std::size_t open, std::int64_t lastTs,
                       const std::vector<std::int64_t>& marks);

    CpuTaskRuns runs_;
    std::size_t pos_ = 0;
    std::size_t segment_ = 0; // for CpuEvents::tsForward
    static constexpr std::size_t kNoRun = ~std::size_t(0);
    std::size_t open_ = kNoRun; // the run still going on
    std::int32_t current_ = -1; // pid the last switch put on the CPU
    bool sawSwitch_ = false;
    // First event of a pid other than current_ since the last switch: a
    // switch into it was not recorded, its run is seen from here.
    std::int32_t strayPid_ = -1;
    std::int64_t strayTs_ = -1;
    std::int64_t lastSwitchTs_ = -1;
};

} // namespace irqlens::detail
