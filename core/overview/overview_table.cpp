#include "core/overview/overview_table.h"

namespace irqlens {

std::vector<std::string> overviewCsvHeader() {
    return {"key",
            "irq",
            "count",
            "cpus",
            "top_half_p50_ns",
            "top_half_p99_ns",
            "end_to_end_p50_ns",
            "end_to_end_p99_ns",
            "stage_top_half_ns",
            "stage_wait_ns",
            "stage_run_ns",
            "stage_preempted_ns",
            "bottom_halves",
            "slowest_episode",
            "sentence"};
}

std::vector<std::string> overviewCsvRow(const InterruptSource& s) {
    std::string cpus, uses;
    for (auto cpu : s.cpus) {
        cpus += (cpus.empty() ? "" : " ") + std::to_string(cpu);
    }
    for (const BottomHalfUse& u : s.bottomHalves) {
        uses += (uses.empty() ? "" : "; ") + std::string(mechanismId(u.mechanism)) + " " + u.key +
                " (" + std::to_string(u.episodes) + ")";
    }
    const auto n = [](auto v) { return std::to_string(v); };
    return {s.key,
            s.isDevice() ? n(s.irq) : "",
            n(s.count),
            cpus,
            n(s.topHalf.p50),
            n(s.topHalf.p99),
            s.endToEnd.count ? n(s.endToEnd.p50) : "",
            s.endToEnd.count ? n(s.endToEnd.p99) : "",
            n(s.medianStages.topHalf),
            n(s.medianStages.wait),
            n(s.medianStages.run),
            n(s.medianStages.preempted),
            uses,
            s.slowest != kNone ? n(s.slowest) : "",
            s.sentence};
}

} // namespace irqlens
