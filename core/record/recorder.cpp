#include "core/record/recorder.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <regex>
#include <thread>

namespace irqlens {

RecordCounters Recorder::counters() const {
    RecordCounters c;
    for (int cpu = 0; cpu < cpus_; ++cpu) {
        const auto& k = cpuCounters_[static_cast<std::size_t>(cpu)];
        c.eventsPerCpu.push_back(k.events.load());
        c.events += k.events.load();
        c.lost += k.lost.load();
        c.lostMarks += k.lostMarks.load();
        c.pages += k.pages.load();
        c.bytes += k.bytes.load();
    }
    using clock = std::chrono::steady_clock;
    if (started_ != clock::time_point{}) {
        const auto stopped = stopped_.load();
        const auto end = stopped != clock::time_point{} ? stopped : clock::now();
        c.seconds = std::chrono::duration<double>(end - started_).count();
    }
    return c;
}

void Recorder::resetCounters(int cpus, const PageLayout& layout) {
    cpus_ = cpus;
    layout_ = layout;
    cpuCounters_ = std::make_unique<CpuCounters[]>(static_cast<std::size_t>(cpus));
}

bool Recorder::deliverPages(int cpu, const void* data, std::size_t bytes) {
    if (cpu < 0 || cpu >= cpus_ || bytes == 0)
        return false;
    auto& k = cpuCounters_[static_cast<std::size_t>(cpu)];
    const std::size_t page = layout_.pageSize ? layout_.pageSize : bytes;
    for (std::size_t at = 0; at < bytes; at += page) {
        const auto summary =
            summarizePage(static_cast<const char*>(data) + at, std::min(page, bytes - at), layout_);
        k.events += summary.events;
        k.lost += summary.missed;
        if (summary.missed > 0 || summary.missedUnknown)
            ++k.lostMarks;
        ++k.pages;
    }
    k.bytes += bytes;
    if (sink_ && !sink_->pages(cpu, data, bytes)) {
        sinkFailed_ = true;
        requestStop();
        return false;
    }
    return true;
}

bool Recorder::waitForEnd(RecordResult& result, double durationSeconds,
                          const ProgressCallback& progress, const std::function<bool()>& finished) {
    if (!sink_) {
        result.error = "recording was not started";
        return false;
    }
    using clock = std::chrono::steady_clock;
    const auto begin = clock::now();
    auto nextProgress = begin;
    while (!stopRequested() && !(finished && finished())) {
        const auto now = clock::now();
        if (durationSeconds > 0 &&
            std::chrono::duration<double>(now - begin).count() >= durationSeconds)
            break;
        if (progress && now >= nextProgress) {
            progress(counters());
            nextProgress = now + std::chrono::milliseconds(250);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stopped_ = clock::now(); // the recording's duration excludes draining and clean-up
    result.stoppedByRequest = stopRequested() && !sinkFailed_;
    return true;
}

void sumCpuStats(const std::vector<std::string>& stats, std::uint64_t& overrun,
                 std::uint64_t& dropped) {
    static const std::regex overrunLine(R"((?:^|\n)overrun: (\d+))");
    static const std::regex droppedLine(R"((?:^|\n)dropped events: (\d+))");
    overrun = dropped = 0;
    std::smatch m;
    // Digits that do not fit a 64-bit count (a broken target) are skipped.
    const auto add = [](const std::ssub_match& digits, std::uint64_t& sum) {
        const std::string text = digits.str();
        std::uint64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc() && end == text.data() + text.size())
            sum += value;
    };
    for (const auto& s : stats) {
        if (std::regex_search(s, m, overrunLine))
            add(m[1], overrun);
        if (std::regex_search(s, m, droppedLine))
            add(m[1], dropped);
    }
}

std::optional<std::uint64_t> readEventsOf(const std::string& stats) {
    static const std::regex readLine(R"((?:^|\n)read events: (\d+))");
    std::smatch m;
    if (!std::regex_search(stats, m, readLine)) {
        return std::nullopt;
    }
    const std::string text = m[1].str();
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

void Recorder::warnIfNothingRecorded(const RecordResult& result) {
    if (result.counters.events > 0 || !result.error.empty()) {
        return;
    }
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f", result.counters.seconds);
    warnings_.push_back(std::string("no events were recorded in ") + seconds +
                        " s: the file holds only the event formats (none of the selected events "
                        "happened, or the target delivered none)");
}

std::string eventsLeftWarning(const RecordResult& result) {
    const std::uint64_t n = result.eventsLeftOnTarget;
    if (n == 0) {
        return {};
    }
    return std::to_string(n) + (n == 1 ? " event was" : " events were") +
           " still in the target's buffers when the recording stopped and " +
           (n == 1 ? "is" : "are") +
           " not in the capture (the target's readers did not take them in time)";
}

} // namespace irqlens
