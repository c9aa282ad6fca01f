// `irqlens-cli latency FILE [--json|--csv]`: percentiles of every latency
// group (mechanism, key, metric) of a capture.
#include "app/cli/cli_args.h"
#include "app/cli/cli_capture.h"
#include "app/cli/cli_format.h"
#include "app/cli/command_registry.h"
#include "core/stats/distribution.h"
#include "core/stats/duration_format.h"
#include "core/stats/latency_groups.h"

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

namespace irqlens::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kUsage =
    R"(Usage: irqlens-cli latency FILE [--json | --csv] [--mechanism M]...

Percentiles of every latency group of a capture.  A group is one mechanism
(hardirq, softirq, tasklet, workqueue, irq_thread, episode), one key (IRQ
"36 virtio1-req.0", softirq vector "TIMER", work or tasklet function,
irq thread "irq/36-virtio1"; for episodes the hard IRQ) and one metric:
  duration        begin -> end of the span (every mechanism)
  raise_to_entry  softirq_raise -> softirq_entry (softirq, tasklet)
  queue_to_start  workqueue_queue_work -> workqueue_execute_start (workqueue)
  wake_to_run     sched_waking of the irq thread -> switch in (irq_thread)
  end_to_end      hard IRQ entry -> end of its last bottom half (episode)
Spans cut by the capture's start or end are left out of duration; spans with
no raise/queue/wake event are left out of their latency metric.
Percentiles are nearest-rank: the value at rank ceil(p/100 * count) of the
sorted values (p50, p90, p99, p99.9), so each is a value that occurred.

Options:
  --json           {"groups": [{mechanism, key, metric, count, min_ns, p50_ns,
                   p90_ns, p99_ns, p999_ns, max_ns, mean_ns}]}
  --csv            the same columns as CSV with a header line
  --mechanism M    only groups of mechanism M (repeatable)
  --help           this text

Exit status: 0 ok, 2 bad input (missing, empty or unreadable FILE) or usage.
)";

const char* const kColumns[] = {"mechanism", "key",    "metric", "count",   "min_ns",
                                "p50_ns",    "p90_ns", "p99_ns", "p999_ns", "max_ns"};

Json groupJson(const LatencyGroup& g, const Summary& s) {
    Json j;
    j["mechanism"] = mechanismId(g.mechanism);
    j["key"] = g.key;
    j["metric"] = metricId(g.metric);
    j["count"] = s.count;
    j["min_ns"] = s.min;
    j["p50_ns"] = s.p50;
    j["p90_ns"] = s.p90;
    j["p99_ns"] = s.p99;
    j["p999_ns"] = s.p999;
    j["max_ns"] = s.max;
    j["mean_ns"] = s.mean;
    return j;
}

void printCsv(const Json& groups) {
    std::cout << "mechanism,key,metric,count,min_ns,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,mean_ns\n";
    for (const auto& g : groups) {
        std::vector<std::string> row;
        for (const char* column : kColumns) {
            row.push_back(g[column].is_string() ? g[column].get<std::string>() : g[column].dump());
        }
        char mean[32];
        std::snprintf(mean, sizeof mean, "%.1f", g["mean_ns"].get<double>());
        row.push_back(mean);
        writeCsvRow(std::cout, row);
    }
}

void printTable(const Json& groups) {
    TextTable table(
        {"mechanism", "key", "metric", "count", "min", "p50", "p90", "p99", "p99.9", "max"},
        {false, false, false, true, true, true, true, true, true, true});
    for (const auto& g : groups) {
        std::vector<std::string> row = {g["mechanism"].get<std::string>(),
                                        g["key"].get<std::string>(), g["metric"].get<std::string>(),
                                        g["count"].dump()};
        for (const char* column : {"min_ns", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns"}) {
            row.push_back(formatDuration(g[column].get<double>()));
        }
        table.addRow(std::move(row));
    }
    table.print(std::cout);
}

int runLatency(const std::vector<std::string>& args) {
    std::string error;
    const auto parsed =
        parseArgs(args, {{"--json"}, {"--csv"}, {"--mechanism", true, true}}, error);
    if (!parsed) {
        return usageError("latency", error);
    }
    const auto format = outputFormat("latency", *parsed);
    if (!format) {
        return 2;
    }
    if (parsed->positional.size() != 1) {
        return usageError("latency", "expected exactly one FILE");
    }
    const auto mechanisms = parsed->values("--mechanism");
    for (const auto& m : mechanisms) {
        if (!mechanismById(m)) {
            return usageError("latency", "unknown mechanism '" + m +
                                             "' (hardirq, softirq, tasklet, workqueue, "
                                             "irq_thread, episode)");
        }
    }
    const auto capture = openCapture(parsed->positional[0]);
    if (!capture) {
        return 2;
    }
    Json groups = Json::array();
    for (const auto& g : buildLatencyGroups(*capture->store, capture->analysis)) {
        if (mechanisms.empty() || std::find(mechanisms.begin(), mechanisms.end(),
                                            mechanismId(g.mechanism)) != mechanisms.end()) {
            groups.push_back(groupJson(g, summarize(g.values)));
        }
    }
    if (*format == OutputFormat::Json) {
        std::cout << Json{{"file", capture->path}, {"groups", groups}}.dump(2) << "\n";
    } else if (*format == OutputFormat::Csv) {
        printCsv(groups);
    } else {
        printTable(groups);
    }
    return 0;
}

const CommandRegistration registration{
    {"latency", "percentiles per mechanism, key and metric (table, JSON or CSV)", kUsage,
     runLatency}};

} // namespace
} // namespace irqlens::cli
