// `irqlens-cli summary FILE [--json]`: what a capture holds (events per CPU
// and per event, spans per mechanism, episodes, missed events, load cost).
#include "app/cli/cli_args.h"
#include "app/cli/cli_capture.h"
#include "app/cli/cli_format.h"
#include "app/cli/command_registry.h"
#include "core/stats/duration_format.h"

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

namespace irqlens::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kUsage = R"(Usage: irqlens-cli summary FILE [--json]

What a capture holds: events in total, per CPU and per event ("system:name"),
spans per mechanism (hardirq, softirq, tasklet, workqueue, irq_thread),
episodes (a hard IRQ with the deferred work it caused), missed events, the
time range, the load time and the memory used per event.

Options:
  --json    one JSON object with the keys events, cpus, event_counts, spans,
            episodes, missed_events, first_ts_ns, last_ts_ns, load_seconds,
            bytes_per_event, unparsed_lines (lines of a text capture that are
            not trace lines at all) (and format, clock, hostname, kernel,
            machine, model -- the traced machine, "" when the capture does not
            say -- warnings; truncated: {offset, cpus_cut} for a file cut short
            inside its CPU data).  An extra buffer's CPUs (trace-cmd record -B
            NAME) are keyed "NAME:CPU".
  --help    this text

Exit status: 0 ok, 2 bad input (missing, empty or unreadable FILE) or usage.
)";

constexpr SpanKind kSummaryKinds[] = {SpanKind::HardIrq, SpanKind::Softirq, SpanKind::Tasklet,
                                      SpanKind::Workqueue, SpanKind::IrqThread};

Json summaryJson(const OpenedCapture& capture) {
    const EventStore& store = *capture.store;
    Json cpus = Json::object();
    std::map<std::string, std::uint64_t> byName;
    for (int c = 0; c < store.cpuCount(); ++c) {
        const CpuEvents& events = store.cpu(c);
        cpus[store.columnLabel(c)] = events.size();
        std::vector<std::uint64_t> byType(store.types().size(), 0);
        for (std::size_t i = 0; i < events.size(); ++i) {
            ++byType[events.type(i)];
        }
        for (std::size_t t = 0; t < byType.size(); ++t) {
            if (byType[t]) {
                byName[store.types()[t].fullName()] += byType[t];
            }
        }
    }
    Json spans = Json::object();
    for (SpanKind kind : kSummaryKinds) {
        spans[std::string(spanKindName(kind))] = capture.analysis.count(kind);
    }
    const auto events = store.totalEvents();
    Json j;
    j["file"] = capture.path;
    j["format"] = store.info().format;
    j["clock"] = store.info().clock;
    j["hostname"] = store.info().hostname;
    j["kernel"] = store.info().kernel;
    j["machine"] = store.info().machine;
    j["model"] = store.info().model;
    j["events"] = events;
    j["cpus"] = cpus;
    j["event_counts"] = byName;
    j["spans"] = spans;
    j["episodes"] = capture.analysis.episodes.size();
    j["missed_events"] = store.totalMissed();
    j["missed_events_unknown_count"] = store.hasUnknownMissed();
    j["first_ts_ns"] = store.firstTs();
    j["last_ts_ns"] = store.lastTs();
    j["load_seconds"] = capture.loadSeconds;
    j["bytes_per_event"] =
        events ? static_cast<double>(store.bytesUsed()) / static_cast<double>(events) : 0.0;
    j["unparsed_lines"] = store.info().unparsedLines;
    Json warnings = store.info().warnings;
    for (const auto& w : capture.analysis.warnings) {
        warnings.push_back(w);
    }
    j["warnings"] = warnings;
    if (store.info().truncatedAt != 0) {
        j["truncated"] = {{"offset", store.info().truncatedAt}, {"cpus_cut", store.info().cpusCut}};
    }
    return j;
}

// "target         Raspberry Pi 4 Model B Rev 1.4, Linux 6.6.51+rpt-rpi-v8 aarch64 (raspberrypi)"
std::string targetLine(const Json& j) {
    const auto text = [&](const char* key) { return j[key].get<std::string>(); };
    if (text("kernel").empty() && text("model").empty()) {
        return "";
    }
    std::string line = "target         ";
    if (!text("model").empty()) {
        line += text("model") + ", ";
    }
    line += "Linux " + text("kernel");
    if (!text("machine").empty()) {
        line += " " + text("machine");
    }
    if (!text("hostname").empty() && text("hostname") != "(none)") {
        line += " (" + text("hostname") + ")";
    }
    return line + "\n";
}

void printTable(const Json& j) {
    auto& out = std::cout;
    char perEvent[32], loadSeconds[32];
    std::snprintf(perEvent, sizeof perEvent, "%.1f", j["bytes_per_event"].get<double>());
    std::snprintf(loadSeconds, sizeof loadSeconds, "%.3f", j["load_seconds"].get<double>());
    const auto first = j["first_ts_ns"].get<std::int64_t>();
    const auto last = j["last_ts_ns"].get<std::int64_t>();
    out << "file           " << j["file"].get<std::string>() << "\n"
        << "format         " << j["format"].get<std::string>() << "  (clock "
        << (j["clock"].get<std::string>().empty() ? "unknown" : j["clock"].get<std::string>())
        << ")\n"
        << targetLine(j) << "events         " << j["events"] << "  (" << perEvent
        << " bytes/event, loaded in " << loadSeconds << " s)\n"
        << "time range     " << first << " .. " << last << " ns  ("
        << formatDuration(static_cast<double>(first >= 0 ? last - first : 0)) << ")\n"
        << "missed events  " << j["missed_events"]
        << (j["missed_events_unknown_count"].get<bool>() ? " (+ drops of unknown size)" : "")
        << "\nepisodes       " << j["episodes"] << "\n";
    if (const auto unparsed = j["unparsed_lines"].get<std::uint64_t>(); unparsed > 0) {
        out << "unparsed lines " << unparsed << "  (not trace lines; see the warnings)\n";
    }
    out << "\n";

    TextTable cpus({"cpu", "events"}, {true, true});
    for (const auto& [cpu, n] : j["cpus"].items()) {
        cpus.addRow({cpu, n.dump()});
    }
    cpus.print(out);
    out << "\n";
    TextTable spans({"mechanism", "spans"}, {false, true});
    for (const auto& [kind, n] : j["spans"].items()) {
        spans.addRow({kind, n.dump()});
    }
    spans.print(out);
    out << "\n";
    TextTable events({"event", "count"}, {false, true});
    for (const auto& [name, n] : j["event_counts"].items()) {
        events.addRow({name, n.dump()});
    }
    events.print(out);
    for (const auto& w : j["warnings"]) {
        out << "warning: " << w.get<std::string>() << "\n";
    }
}

int runSummary(const std::vector<std::string>& args) {
    std::string error;
    const auto parsed = parseArgs(args, {{"--json"}}, error);
    if (!parsed) {
        return usageError("summary", error);
    }
    if (parsed->positional.size() != 1) {
        return usageError("summary", "expected exactly one FILE");
    }
    const auto capture = openCapture(parsed->positional[0]);
    if (!capture) {
        return 2;
    }
    const Json j = summaryJson(*capture);
    if (parsed->has("--json")) {
        std::cout << j.dump(2) << "\n";
    } else {
        printTable(j);
    }
    return 0;
}

const CommandRegistration registration{
    {"summary", "what a capture holds: events per CPU and event, spans, episodes", kUsage,
     runSummary}};

} // namespace
} // namespace irqlens::cli
