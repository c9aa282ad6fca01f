// The overview's sentences: what a source's episodes typically did, in words.
#include "core/overview/overview.h"
#include "core/stats/duration_format.h"

#include <cctype>
#include <cmath>

namespace irqlens {

namespace {

// Bottom halves named in a sentence: the most used ones, down to this share
// of the episodes; the rest are counted.
constexpr std::size_t kMaxNamed = 3;
constexpr double kMinNamedShare = 0.05;

std::string percent(std::size_t part, std::size_t whole) {
    if (whole == 0) {
        return "0 %";
    }
    const double p = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
    if (p > 0 && p < 1) {
        return "<1 %";
    }
    if (p < 100 && p > 99) {
        return ">99 %";
    }
    return std::to_string(static_cast<long>(std::lround(p))) + " %";
}

std::string d(std::int64_t ns) {
    return formatDuration(static_cast<double>(ns));
}

std::string cpuList(const std::vector<std::uint16_t>& cpus) {
    if (cpus.size() == 1) {
        return "CPU " + std::to_string(cpus.front());
    }
    std::string text = "CPUs ";
    for (std::size_t i = 0; i < cpus.size(); ++i) {
        text += i == 0 ? "" : i + 1 == cpus.size() ? " and " : ", ";
        text += std::to_string(cpus[i]);
    }
    return text;
}

// "kworker/1:2", "kworker/0:1 (59 %) or kworker/1:2 (41 %)": at most two
// names, shares of `runs`.
std::string runnerList(const BottomHalfUse& use) {
    if (use.runners.size() == 1 && use.runners.front().count == use.runs) {
        return use.runners.front().name;
    }
    std::string text;
    for (std::size_t i = 0; i < use.runners.size() && i < 2; ++i) {
        text += (i ? " or " : "") + use.runners[i].name + " (" +
                percent(use.runners[i].count, use.runs) + ")";
    }
    if (use.runners.size() > 2) {
        text += " or " + std::to_string(use.runners.size() - 2) + " other";
    }
    return text;
}

// "queued, started by kworker/1:2": what made it runnable and what ran it.
std::string howItStarted(const BottomHalfUse& use) {
    switch (use.mechanism) {
    case Mechanism::WorkItem:
        return "queued, started" + (use.runners.empty() ? "" : " by " + runnerList(use));
    case Mechanism::IrqThread:
        return "woken, switched in";
    case Mechanism::Tasklet:
        return "scheduled, started in softirq " + (use.softirq.empty() ? "TASKLET" : use.softirq);
    default:
        return "raised, started";
    }
}

// " (12 % of runs in ksoftirqd/1)": softirqs and tasklets that did not run
// on the way out of the interrupt, when that is at least kMinKsoftirqdShare
// of their runs (less is noise in a sentence; the JSON has every runner).
constexpr double kMinKsoftirqdShare = 0.1;

std::string inKsoftirqd(const BottomHalfUse& use) {
    if (use.runners.empty() || use.runs == 0 ||
        (use.mechanism != Mechanism::Softirq && use.mechanism != Mechanism::Tasklet)) {
        return {};
    }
    std::size_t runs = 0;
    std::string names;
    for (std::size_t i = 0; i < use.runners.size(); ++i) {
        runs += use.runners[i].count;
        if (i < 2) {
            names += (i ? " and " : "") + use.runners[i].name;
        }
    }
    if (static_cast<double>(runs) < kMinKsoftirqdShare * static_cast<double>(use.runs)) {
        return {};
    }
    return " (" + percent(runs, use.runs) + " of runs in " + names + ")";
}

} // namespace

std::string sourceTitle(const InterruptSource& source) {
    return source.isDevice() ? "IRQ " + source.key : source.key;
}

std::string describeBottomHalf(const BottomHalfUse& use, std::size_t sourceCount) {
    std::string text = std::string(mechanismInText(use.mechanism)) + " " + use.key;
    if (use.episodes < sourceCount) {
        text += " (" + percent(use.episodes, sourceCount) + " of them)";
    }
    text += " " + howItStarted(use);
    if (use.wait.count > 0) {
        text += " after " + d(use.wait.p50) + " (p99 " + d(use.wait.p99) + ")";
    }
    if (use.run.count > 0) {
        text += ", ran " + d(use.run.p50);
    }
    return text + inKsoftirqd(use);
}

std::string describeSource(const InterruptSource& s) {
    std::string text = std::to_string(s.count) + " × " + sourceTitle(s) + " on " + cpuList(s.cpus) +
                       ": top half " + d(s.topHalf.p50);
    if (s.bottomHalves.empty()) {
        return text + " (p99 " + d(s.topHalf.p99) + "), no bottom half.";
    }
    std::size_t named = 0;
    for (const BottomHalfUse& use : s.bottomHalves) {
        const double share = static_cast<double>(use.episodes) / static_cast<double>(s.count);
        if (named == kMaxNamed || (named > 0 && share < kMinNamedShare)) {
            break;
        }
        text += (named == 0 ? ", then " : "; ") + describeBottomHalf(use, s.count);
        ++named;
    }
    if (named < s.bottomHalves.size()) {
        const std::size_t more = s.bottomHalves.size() - named;
        text += "; " + std::to_string(more) +
                (more > 1 ? " other bottom halves" : " other bottom half");
    }
    if (s.withoutBottomHalf > 0) {
        text += "; " + percent(s.withoutBottomHalf, s.count) + " caused none";
    }
    if (s.endToEnd.count > 0) {
        text += "; end to end " + d(s.endToEnd.p50) + " (p99 " + d(s.endToEnd.p99) + ")";
    }
    return text + ".";
}

} // namespace irqlens
