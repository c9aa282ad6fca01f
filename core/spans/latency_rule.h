// A user-defined latency rule: from a start event (plus filter) to the next
// end event (plus filter) whose key fields match.  Each match is a Custom
// span (key = rule index) built in the same pass as every other span.
//
// Text form (parseLatencyRule):
//   START [where FILTER [and FILTER]...] -> END [where FILTER [and ...]] [by PAIRS]
//   START/END: "system:name" or "name" (e.g. irq:irq_handler_entry, sched_switch)
//   FILTER:    FIELD OP VALUE, OP one of == != < <= > >= ~ (~ = contains, for text)
//   PAIRS:     STARTFIELD=ENDFIELD[,STARTFIELD=ENDFIELD]  (e.g. work=work, pid=next_pid)
// Fields (what the store keeps for every event, see event_kind.h):
//   common_pid  the task running when the event fired
//   pid         the woken task for sched_waking/wakeup, else common_pid
//   comm        name of `pid` at the event
//   cpu, irq, name (irq handler name / vector name / IPI reason), vec,
//   work (work-struct address), function (work/tasklet/traced function; a
//   VALUE that is not a number is compared with the symbol name),
//   next_pid, prev_pid, prev_state (R S D T t X Z P I), target_cpu, depth
// Examples:
//   sched_waking where comm ~ irq/ -> sched_switch by pid=next_pid
//   irq_handler_entry where irq == 36 -> workqueue_execute_end
//   workqueue_queue_work -> workqueue_execute_end by work=work
// Pairing: the first pending start of a key is kept (later starts of the same
// key before its end are ignored, like queue_work on a pending item); an
// event that is both an end and a start closes first, then opens.  A start
// never ended is a span flagged OpenEnd.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace irqlens {

enum class RuleField : std::uint8_t {
    CommonPid,
    Pid,
    Comm,
    Cpu,
    Irq,
    Name,
    Vec,
    Work,
    Function,
    NextPid,
    PrevPid,
    PrevState,
    TargetCpu,
    Depth
};
enum class RuleOp : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge, Contains };

struct RuleFilter {
    RuleField field = RuleField::Pid;
    RuleOp op = RuleOp::Eq;
    std::string text;        // the value as written
    std::int64_t number = 0; // the value as a number (when `numeric`)
    bool numeric = false;
};

struct RuleEndpoint {
    std::string system; // "" = any system
    std::string name;
    std::vector<RuleFilter> filters; // all must hold
};

struct RuleKeyPair {
    RuleField start = RuleField::Pid;
    RuleField end = RuleField::Pid;
};

struct LatencyRule {
    std::string text; // as given; shown as the Custom span's key name
    RuleEndpoint start;
    RuleEndpoint end;
    std::vector<RuleKeyPair> keys; // none: one pending start at a time
};

struct RuleParse {
    std::optional<LatencyRule> rule;
    std::string error; // one line: what is wrong and where
};
RuleParse parseLatencyRule(std::string_view text);

std::optional<RuleField> ruleFieldByName(std::string_view name);

} // namespace irqlens
