// `irqlens-cli spans FILE --kind KIND [--key KEY] [--csv|--json]`: every span
// of one mechanism, one line each.
#include "app/cli/cli_args.h"
#include "app/cli/cli_capture.h"
#include "app/cli/cli_format.h"
#include "app/cli/command_registry.h"
#include "core/stats/duration_format.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>

namespace irqlens::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kUsage =
    R"(Usage: irqlens-cli spans FILE --kind KIND [--key KEY] [--csv | --json]

Lists the spans of one kind, in (cpu, start) order.
KIND: hardirq, softirq, tasklet, workqueue, irq_thread, task, function, custom.

Columns: cpu, start (ns), end (ns), duration (ns), key (IRQ, vector, function,
thread), latency (ns from the raise / queue / wake that made it runnable;
empty when unknown), flags ('|'-separated: open_start and open_end for spans
cut by the capture's edges, crosses_drop, in_ksoftirqd, latency_unknown,
preempted, nested, shared_bottom_half, unhandled).

Options:
  --kind KIND   the span kind (required)
  --key KEY     only spans with this key ("36 virtio1-req.0", "TIMER", ...)
  --csv         CSV with a header line
  --json        {"spans": [{cpu, start, end, duration, key, latency, flags}]}
  --help        this text

Exit status: 0 ok, 2 bad input (missing, empty or unreadable FILE) or usage.
)";

struct Row {
    Span span; // a copy: task runs are a table (Analysis::taskRuns), not Spans
    const std::string* key;
};

void printRows(const std::vector<Row>& rows, OutputFormat format) {
    if (format == OutputFormat::Json) {
        Json spans = Json::array();
        for (const auto& [span, key] : rows) {
            const Span* s = &span;
            spans.push_back({{"cpu", s->cpu},
                             {"start", s->start},
                             {"end", s->end},
                             {"duration", s->duration()},
                             {"key", *key},
                             {"latency", s->latencyKnown() ? Json(s->latency()) : Json(nullptr)},
                             {"flags", spanFlagNames(s->flags)}});
        }
        std::cout << Json{{"spans", spans}}.dump(2) << "\n";
        return;
    }
    if (format == OutputFormat::Csv) {
        std::cout << "cpu,start,end,duration,key,latency,flags\n";
        for (const auto& [span, key] : rows) {
            const Span* s = &span;
            writeCsvRow(std::cout, {std::to_string(s->cpu), std::to_string(s->start),
                                    std::to_string(s->end), std::to_string(s->duration()), *key,
                                    s->latencyKnown() ? std::to_string(s->latency()) : "",
                                    spanFlagNames(s->flags)});
        }
        return;
    }
    TextTable table({"cpu", "start_ns", "duration", "key", "latency", "flags"},
                    {true, true, true, false, true, false});
    for (const auto& [span, key] : rows) {
        const Span* s = &span;
        table.addRow({std::to_string(s->cpu), std::to_string(s->start),
                      formatDuration(static_cast<double>(s->duration())), *key,
                      s->latencyKnown() ? formatDuration(static_cast<double>(s->latency())) : "-",
                      spanFlagNames(s->flags)});
    }
    table.print(std::cout);
}

int runSpans(const std::vector<std::string>& args) {
    std::string error;
    const auto parsed =
        parseArgs(args, {{"--json"}, {"--csv"}, {"--kind", true}, {"--key", true}}, error);
    if (!parsed) {
        return usageError("spans", error);
    }
    const auto format = outputFormat("spans", *parsed);
    if (!format) {
        return 2;
    }
    if (parsed->positional.size() != 1) {
        return usageError("spans", "expected exactly one FILE");
    }
    const auto kindName = parsed->value("--kind");
    if (!kindName) {
        return usageError("spans", "--kind KIND is required");
    }
    const auto kind = spanKindByName(*kindName);
    if (!kind || *kind == SpanKind::Count) {
        return usageError("spans", "unknown span kind '" + *kindName + "'");
    }
    const auto capture = openCapture(parsed->positional[0], *kind == SpanKind::Task);
    if (!capture) {
        return 2;
    }
    const auto wantedKey = parsed->value("--key");
    std::unordered_map<std::uint32_t, std::string> names; // spanKeyName is costly; keys repeat
    std::vector<Row> rows;
    auto add = [&](const Span& span) {
        auto it = names.find(span.key);
        if (it == names.end()) {
            it = names.emplace(span.key, spanKeyName(*capture->store, span)).first;
        }
        if (!wantedKey || it->second == *wantedKey) {
            rows.push_back({span, &it->second});
        }
    };
    const Analysis& analysis = capture->analysis;
    if (*kind == SpanKind::Task) {
        for (std::size_t c = 0; c < analysis.taskRuns.cpus.size(); ++c) {
            for (std::size_t i = 0; i < analysis.taskRuns.cpus[c].size(); ++i) {
                add(analysis.taskRuns.span(static_cast<std::uint16_t>(c), i));
            }
        }
    }
    for (const Span& span : analysis.spans) {
        if (span.kind == *kind) {
            add(span);
        }
    }
    printRows(rows, *format);
    return 0;
}

const CommandRegistration registration{
    {"spans", "every span of one kind (hardirq, softirq, workqueue, ...) as CSV, JSON or table",
     kUsage, runSpans}};

} // namespace
} // namespace irqlens::cli
