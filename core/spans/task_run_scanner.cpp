// Task runs of one CPU: the same rules the span walk applied to sched_switch
// (SPEC "Spans and how they pair"), on that CPU's events in index order.
#include "core/spans/task_run_scanner.h"

#include "core/model/event_kind.h"
#include "core/spans/span.h"

#include <algorithm>

namespace irqlens::detail {

void TaskRunScanner::scan(const CpuEvents& col, std::size_t to,
                          const std::vector<std::uint8_t>& isSwitch, std::int64_t firstTs,
                          const std::vector<std::int64_t>& marks) {
    to = std::min(to, col.size());
    const std::uint8_t* switches = isSwitch.data();
    const std::size_t types = isSwitch.size();
    // Locals, not members, in the loop: the stray check runs for every event.
    std::int32_t current = current_;
    bool strayPending = sawSwitch_ && strayPid_ < 0;
    for (std::size_t i = pos_; i < to; ++i) {
        const std::int32_t pid = col.pid(i);
        if (pid != current && strayPending) {
            strayPid_ = pid;
            strayTs_ = col.tsForward(i, segment_);
            strayPending = false;
        }
        const TypeId type = col.type(i);
        if (type < types && switches[type]) {
            const auto next = static_cast<std::int32_t>(switchNextPid(col.arg(i)));
            onSwitch(static_cast<std::uint32_t>(i), col.tsForward(i, segment_), pid, next, firstTs,
                     marks);
            current = current_;
            strayPending = true; // onSwitch cleared the stray
        }
    }
    pos_ = std::max(pos_, to);
}

// Where the run of `prev`, seen only at its end, began: at the event it was
// first seen in after the last switch, else at that switch; before any
// switch, at the capture's start (or the CPU's last drop before `ts`, then it
// crosses that drop).
std::int64_t TaskRunScanner::openStartAt(std::int64_t ts, std::int32_t prev, std::int64_t firstTs,
                                         const std::vector<std::int64_t>& marks,
                                         std::uint16_t& flags) const {
    if (sawSwitch_) {
        return strayPid_ == prev ? strayTs_ : lastSwitchTs_;
    }
    std::int64_t start = firstTs;
    auto it = std::upper_bound(marks.begin(), marks.end(), ts);
    if (it != marks.begin() && *std::prev(it) > firstTs) {
        start = *std::prev(it);
        flags |= SpanFlag::CrossesDrop;
    }
    return std::min(start, ts);
}

// When the previous task is not the one the last switch put on the CPU, a
// switch was not recorded (seen in real captures without any drop mark): the
// run under way ended when the other task was first seen, and the lost run is
// kept as OpenStart.
void TaskRunScanner::onSwitch(std::uint32_t index, std::int64_t ts, std::int32_t prev,
                              std::int32_t next, std::int64_t firstTs,
                              const std::vector<std::int64_t>& marks) {
    const bool expected = sawSwitch_ && prev == current_;
    if (open_ != kNoRun) {
        if (expected) {
            runs_.setEnd(open_, ts);
            runs_.removeFlags(open_, SpanFlag::OpenEnd);
        } else {
            runs_.setEnd(open_, strayTs_ >= 0 ? strayTs_ : ts); // still OpenEnd: no end event
        }
    }
    if (!expected && prev != 0) {
        std::uint16_t flags = SpanFlag::OpenStart;
        const std::int64_t start = openStartAt(ts, prev, firstTs, marks, flags);
        runs_.setEnd(runs_.add(start, prev, index, flags), ts);
    }
    open_ = next != 0 ? runs_.add(ts, next, index, SpanFlag::OpenEnd) : kNoRun;
    sawSwitch_ = true;
    current_ = next;
    strayPid_ = -1;
    strayTs_ = -1;
    lastSwitchTs_ = ts;
}

void TaskRunScanner::finish(CpuTaskRuns& runs, std::size_t open, std::int64_t lastTs,
                            const std::vector<std::int64_t>& marks) {
    if (open != kNoRun) {
        runs.setEnd(open, std::max(lastTs, runs.start(open)));
    }
    if (!marks.empty()) {
        for (std::size_t i = 0; i < runs.size(); ++i) {
            auto it = std::upper_bound(marks.begin(), marks.end(), runs.start(i));
            if (it != marks.end() && *it <= runs.end(i)) {
                runs.addFlags(i, SpanFlag::CrossesDrop);
            }
        }
    }
    runs.sortByStart();
}

CpuTaskRuns TaskRunScanner::take(std::int64_t lastTs, const std::vector<std::int64_t>& marks) {
    CpuTaskRuns runs = std::move(runs_);
    finish(runs, open_, lastTs, marks);
    runs_ = CpuTaskRuns{};
    open_ = kNoRun;
    return runs;
}

CpuTaskRuns TaskRunScanner::snapshot(std::int64_t lastTs,
                                     const std::vector<std::int64_t>& marks) const {
    CpuTaskRuns runs = runs_;
    finish(runs, open_, lastTs, marks);
    return runs;
}

CpuTaskRuns TaskRunScanner::tail(std::size_t from, std::int64_t edge,
                                 const std::vector<std::int64_t>& marks) const {
    CpuTaskRuns runs;
    runs.append(runs_, from);
    for (std::size_t i = 0; i < runs.size(); ++i) {
        if (from + i == open_) {
            runs.setEnd(i, std::max(edge, runs.start(i)));
        }
        auto it = std::upper_bound(marks.begin(), marks.end(), runs.start(i));
        if (it != marks.end() && *it <= runs.end(i)) {
            runs.addFlags(i, SpanFlag::CrossesDrop);
        }
    }
    return runs;
}

} // namespace irqlens::detail
