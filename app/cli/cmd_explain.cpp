// `irqlens-cli explain FILE [--json | --csv] [--episode N]`: what happened to
// each interrupt, in words — the Overview tab of irqlens, on the terminal.
#include "app/cli/cli_args.h"
#include "app/cli/cli_capture.h"
#include "app/cli/cli_format.h"
#include "app/cli/command_registry.h"
#include "core/overview/overview.h"
#include "core/overview/overview_table.h"
#include "core/overview/wait_breakdown.h"
#include "core/stats/duration_format.h"

#include <charconv>
#include <iostream>
#include <nlohmann/json.hpp>

namespace irqlens::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kUsage =
    R"(Usage: irqlens-cli explain FILE [--json | --csv] [--episode N]

What happened to each interrupt of a capture, in words (the Overview tab of
irqlens).  One paragraph per interrupt source — device IRQs first, then the
CPU vectors and IPIs (local_timer, reschedule, ...) — with:
  - one sentence of the typical path: how many times it fired, on which CPUs,
    its top half, each bottom half its episodes used (softirq vector,
    tasklet, work item and the kworker that ran it, IRQ thread) with its
    wait (median and p99) and run time, and the end-to-end time;
  - the median stages: top half · wait · run · preempted, one after the
    other (for each episode they add up to its end to end; the wait here
    starts when the top half returns);
  - its slowest episode and why it was slow: what occupied the CPU its
    bottom half ran on while it waited (from the raise / queue / waking in
    the hard IRQ to its start), each with its share: the shares add up to
    the wait.
Medians and p99 are those of `irqlens-cli latency` for the same groups
(nearest rank); a bottom half's wait starts at the trigger this source's
hard IRQ made.

Options:
  --episode N   explain episode N only (0-based, in hard-IRQ start order; the
                number irqlens --select-episode takes)
  --json        {"file", "episodes", "sources": [{key, irq, title, count, cpus,
                sentence, top_half: {group, count, p50_ns, p99_ns},
                end_to_end: {...}, without_bottom_half, stages: {top_half_ns,
                wait_ns, run_ns, preempted_ns}, bottom_halves: [{mechanism,
                label, key, softirq, episodes, runners: [{name, count}],
                wait: {group, count, p50_ns, p99_ns}, run: {...}}],
                slowest_episode: EPISODE}]}; with --episode, EPISODE alone:
                {id, source, start_ns, end_to_end_ns, wait: {bottom_half,
                cpu, from_ns, to_ns, wait_ns, shares: [{occupant, name,
                label, pid, task, own_top_half, ns, share, pieces}]}}
  --csv         one line per source: key, irq, count, cpus, the medians and
                p99 (ns), the stages (ns), the bottom halves, the sentence
  --help        this text

Exit status: 0 ok, 2 bad input (missing, empty or unreadable FILE, an
episode that does not exist) or usage.
)";

// A mechanism's id (as in `latency --json`), else what else held the CPU.
std::string_view occupantId(Occupant o) {
    if (const auto mechanism = occupantMechanism(o)) {
        return mechanismId(*mechanism);
    }
    switch (o) {
    case Occupant::Task:
        return "task";
    case Occupant::Idle:
        return "idle";
    default:
        return "unknown";
    }
}

Json quantilesJson(const std::string& group, const Summary& s) {
    return {{"group", group}, {"count", s.count}, {"p50_ns", s.p50}, {"p99_ns", s.p99}};
}

Json waitJson(const EventStore& store, const Analysis& a, const WaitBreakdown& w) {
    Json shares = Json::array();
    for (const WaitShare& s : w.shares) {
        shares.push_back(
            {{"occupant", occupantId(s.occupant)},
             {"name", s.name},
             {"label", occupantLabel(s)},
             {"pid", s.pid >= 0 ? Json(s.pid) : Json(nullptr)},
             {"task", s.task},
             {"own_top_half", s.self},
             {"ns", s.ns},
             {"share",
              w.waitNs() > 0 ? static_cast<double>(s.ns) / static_cast<double>(w.waitNs()) : 0.0},
             {"pieces", s.pieces}});
    }
    return {{"bottom_half", spanKeyName(store, a.spans[w.bottomHalf])},
            {"mechanism", mechanismId(*mechanismOf(a.spans[w.bottomHalf].kind))},
            {"cpu", w.cpu},
            {"from_ns", w.from},
            {"to_ns", w.to},
            {"wait_ns", w.waitNs()},
            {"sentence", describeWait(store, a, w, w.shares.size())},
            {"shares", shares}};
}

Json episodeJson(const EventStore& store, const Analysis& a, EpisodeId id) {
    const Episode& e = a.episodes[id];
    const Span& hard = a.spans[e.hardIrq];
    const Stages st = episodeStages(a, id);
    const auto wait = explainWait(store, a, id);
    return {{"id", id},
            {"source", spanKeyName(store, hard)},
            {"cpu", hard.cpu},
            {"start_ns", hard.start},
            {"end_to_end_ns", e.endToEnd(a.spans)},
            {"complete", !(e.flags & EpisodeFlag::Incomplete)},
            {"stages",
             {{"top_half_ns", st.topHalf},
              {"wait_ns", st.wait},
              {"run_ns", st.run},
              {"preempted_ns", st.preempted}}},
            {"wait", wait ? waitJson(store, a, *wait) : Json(nullptr)}};
}

Json useJson(const BottomHalfUse& u) {
    Json runners = Json::array();
    for (const Runner& r : u.runners) {
        runners.push_back({{"name", r.name}, {"count", r.count}});
    }
    return {{"mechanism", mechanismId(u.mechanism)},
            {"label", mechanismLabel(u.mechanism)},
            {"key", u.key},
            {"softirq", u.softirq},
            {"episodes", u.episodes},
            {"runners", runners},
            {"wait", quantilesJson(waitGroupId(u), u.wait)},
            {"run", quantilesJson(runGroupId(u), u.run)}};
}

Json sourceJson(const EventStore& store, const Analysis& a, const InterruptSource& s) {
    Json uses = Json::array();
    for (const BottomHalfUse& u : s.bottomHalves) {
        uses.push_back(useJson(u));
    }
    return {
        {"key", s.key},
        {"irq", s.isDevice() ? Json(s.irq) : Json(nullptr)},
        {"title", sourceTitle(s)},
        {"count", s.count},
        {"cpus", s.cpus},
        {"sentence", s.sentence},
        {"top_half", quantilesJson(topHalfGroupId(s), s.topHalf)},
        {"end_to_end", quantilesJson(endToEndGroupId(s), s.endToEnd)},
        {"without_bottom_half", s.withoutBottomHalf},
        {"stages",
         {{"top_half_ns", s.medianStages.topHalf},
          {"wait_ns", s.medianStages.wait},
          {"run_ns", s.medianStages.run},
          {"preempted_ns", s.medianStages.preempted}}},
        {"bottom_halves", uses},
        {"slowest_episode", s.slowest != kNone ? episodeJson(store, a, s.slowest) : Json(nullptr)}};
}

std::string d(std::int64_t ns) {
    return formatDuration(static_cast<double>(ns));
}

std::string stagesText(const Stages& st) {
    return "top half " + d(st.topHalf) + " · wait " + d(st.wait) + " · run " + d(st.run) +
           " · preempted " + d(st.preempted);
}

void printEpisodeText(const EventStore& store, const Analysis& a, EpisodeId id,
                      const std::string& indent) {
    const Episode& e = a.episodes[id];
    const Span& hard = a.spans[e.hardIrq];
    std::cout << indent << "episode " << id << " at "
              << formatDuration(static_cast<double>(hard.start - store.firstTs())) << " on CPU "
              << hard.cpu << ": end to end " << d(e.endToEnd(a.spans)) << " ("
              << stagesText(episodeStages(a, id)) << ")\n";
    const auto wait = explainWait(store, a, id);
    if (!wait) {
        std::cout << indent << "  no bottom half waited\n";
        return;
    }
    std::cout << indent << "  " << describeWait(store, a, *wait, 0) << ":\n";
    TextTable table({"", "time", "share", "stretches"}, {false, true, true, true});
    for (const WaitShare& s : wait->shares) {
        const double share = wait->waitNs() > 0 ? 100.0 * static_cast<double>(s.ns) /
                                                      static_cast<double>(wait->waitNs())
                                                : 0;
        char pct[16];
        std::snprintf(pct, sizeof pct, "%.1f %%", share);
        table.addRow({indent + "    " + occupantLabel(s), d(s.ns), pct, std::to_string(s.pieces)});
    }
    table.print(std::cout);
}

void printText(const OpenedCapture& c, const Overview& o) {
    std::cout << c.path << ": " << o.episodes << " interrupts from " << o.sources.size()
              << " sources\n";
    bool vectors = false;
    for (const InterruptSource& s : o.sources) {
        if (!s.isDevice() && !vectors) {
            vectors = true;
            std::cout << "\nCPU vectors and IPIs\n";
        } else if (&s == &o.sources.front()) {
            std::cout << "\nDevice interrupts\n";
        }
        std::cout << "\n"
                  << s.sentence << "\n  median stages: " << stagesText(s.medianStages) << "\n";
        if (s.slowest != kNone && !s.bottomHalves.empty()) {
            std::cout << "  slowest:\n";
            printEpisodeText(*c.store, c.analysis, s.slowest, "  ");
        }
    }
}

void printCsv(const Overview& o) {
    writeCsvRow(std::cout, overviewCsvHeader());
    for (const InterruptSource& s : o.sources) {
        writeCsvRow(std::cout, overviewCsvRow(s));
    }
}

std::optional<EpisodeId> episodeOption(const ParsedArgs& args, const OpenedCapture& c) {
    const std::string text = *args.value("--episode");
    unsigned long n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size()) {
        usageError("explain", "--episode needs a whole number >= 0, not '" + text + "'");
        return std::nullopt;
    }
    if (n >= c.analysis.episodes.size()) {
        std::cerr << "irqlens-cli: " << c.path << ": no episode " << n << " (the capture has "
                  << c.analysis.episodes.size() << ", numbered from 0)\n";
        return std::nullopt;
    }
    return static_cast<EpisodeId>(n);
}

int explainEpisode(const ParsedArgs& args, const OpenedCapture& c, OutputFormat format) {
    const auto id = episodeOption(args, c);
    if (!id) {
        return 2;
    }
    if (format == OutputFormat::Json) {
        std::cout << episodeJson(*c.store, c.analysis, *id).dump(2) << "\n";
    } else {
        printEpisodeText(*c.store, c.analysis, *id, "");
    }
    return 0;
}

int runExplain(const std::vector<std::string>& args) {
    std::string error;
    const auto parsed = parseArgs(args, {{"--json"}, {"--csv"}, {"--episode", true}}, error);
    if (!parsed) {
        return usageError("explain", error);
    }
    const auto format = outputFormat("explain", *parsed);
    if (!format) {
        return 2;
    }
    if (parsed->positional.size() != 1) {
        return usageError("explain", "expected exactly one FILE");
    }
    if (parsed->has("--episode") && *format == OutputFormat::Csv) {
        return usageError("explain", "--episode prints text or --json, not --csv");
    }
    // Task runs name what held the CPU while a bottom half waited.
    const auto capture = openCapture(parsed->positional[0], true);
    if (!capture) {
        return 2;
    }
    if (parsed->has("--episode")) {
        return explainEpisode(*parsed, *capture, *format);
    }
    const Overview overview = buildOverview(*capture->store, capture->analysis);
    if (*format == OutputFormat::Json) {
        Json sources = Json::array();
        for (const InterruptSource& s : overview.sources) {
            sources.push_back(sourceJson(*capture->store, capture->analysis, s));
        }
        std::cout << Json{{"file", capture->path},
                          {"episodes", overview.episodes},
                          {"sources", sources}}
                         .dump(2)
                  << "\n";
    } else if (*format == OutputFormat::Csv) {
        printCsv(overview);
    } else {
        printText(*capture, overview);
    }
    return 0;
}

const CommandRegistration registration{
    {"explain", "what happened to each interrupt, in words (the Overview tab)", kUsage,
     runExplain}};

} // namespace
} // namespace irqlens::cli
