// `irqlens-cli compare A B` / `compare A --group X --group Y`: percentile
// deltas of matching latency groups with bootstrap confidence intervals.
#include "app/cli/cli_args.h"
#include "app/cli/cli_capture.h"
#include "app/cli/cli_format.h"
#include "app/cli/command_registry.h"
#include "core/stats/duration_format.h"
#include "core/stats/group_compare.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

namespace irqlens::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kUsage =
    R"(Usage: irqlens-cli compare A B [--pair LEFT=RIGHT]... [--json | --csv]
       irqlens-cli compare FILE [--group X --group Y] [--json | --csv]

Compares the latency groups of two captures (or two groups of one capture):
count and percentiles of each side, the p50 and p99 differences B - A, their
ratios B / A, and a 95 % bootstrap confidence interval of each difference
(1000 resamples, fixed seed: the same input gives the same interval).  When
the interval excludes 0 the difference is unlikely to be noise.

Which groups are compared (a group id is "mechanism/key/metric", as listed by
`irqlens-cli latency`, e.g. "episode/60 gpio_wq/end_to_end"):
  by default   groups with the same id in A and B; then, among the groups
               left over, the same mechanism and metric with keys of the
               same IRQ number ("60 gpio-wq" in A with "60 gpio-thread" in
               B, "irq/60-a" with "irq/60-b") when that number is unique on
               each side, so the same IRQ line handled two ways is compared.
  --pair LEFT=RIGHT
               only the pairs given (repeatable).  LEFT and RIGHT are two
               group ids ("workqueue/gpio_work/queue_to_start=irq_thread/
               irq/60-gpio/wake_to_run"), or two keys, which pairs every
               mechanism and metric having key LEFT in A and RIGHT in B
               ("60 gpio-wq=61 gpio-thread").
  FILE alone   two groups of it: its largest work-item queue_to_start group
               against its largest IRQ-thread wake_to_run group, else its two
               largest episode end_to_end groups.
  --group X --group Y
               with one FILE: compares group X (as A) with group Y (as B).
The default pair — the one the Compare tab of irqlens shows first, picked by
the same rule — is the device IRQ's end-to-end pair with the most values
(else any end-to-end pair, else the first pair); for FILE alone, the pair
above.

Options:
  --json          {"a": A, "b": B, "default_pair": {a, b} or null,
                  "groups": [{mechanism, key, metric,
                  a: {group, count, p50_ns, p90_ns, p99_ns, p999_ns, max_ns},
                  b: {...}, delta: {p50_ns, p50_ratio, p50_ci: [lo, hi],
                  p99_ns, p99_ratio, p99_ci: [lo, hi], ci_reliable}}],
                  "unmatched_a": [ids], "unmatched_b": [ids]}
                  (mechanism, key and metric are those of the A side; a ratio
                  is null when A's percentile is 0; ci_reliable is false when a
                  side has fewer than 10 values: its interval means little)
  --csv           one line per pair with the same numbers
  --resamples N   bootstrap resamples (default 1000)
  --help          this text

Exit status: 0 ok, 2 bad input (missing, empty or unreadable file, unknown
group, pair that matches nothing, a capture with fewer than two groups) or
usage.
)";

struct Side {
    std::string path;
    std::vector<LatencyGroup> groups;
};

struct Plan {
    Side a, b;
    std::vector<GroupPair> pairs;
    Json defaultPair; // {"a": id, "b": id} or null
};

Json pairIds(const std::vector<LatencyGroup>& a, const std::vector<LatencyGroup>& b,
             const std::optional<GroupPair>& pair) {
    if (!pair) {
        return nullptr;
    }
    return {{"a", groupId(a[pair->a])}, {"b", groupId(b[pair->b])}};
}

std::optional<Side> loadSide(const std::string& path) {
    auto capture = openCapture(path);
    if (!capture) {
        return std::nullopt;
    }
    return Side{path, buildLatencyGroups(*capture->store, capture->analysis)};
}

// `compare FILE [--group X --group Y]`: both sides are groups of one capture,
// the two given or the default pair within it.
std::optional<Plan> planGroups(const ParsedArgs& args) {
    const auto ids = args.values("--group");
    if (!ids.empty() && (ids.size() != 2 || args.positional.size() != 1)) {
        usageError("compare", "--group needs exactly one FILE and two --group options");
        return std::nullopt;
    }
    auto side = loadSide(args.positional[0]);
    if (!side) {
        return std::nullopt;
    }
    const auto within = defaultPairWithin(side->groups);
    if (!within) {
        std::cerr << "irqlens-cli: " << side->path
                  << ": fewer than two latency groups to compare\n";
        return std::nullopt;
    }
    std::vector<std::size_t> picked = {within->a, within->b};
    for (std::size_t k = 0; k < ids.size(); ++k) {
        const auto index = findGroup(side->groups, ids[k]);
        if (!index) {
            std::cerr << "irqlens-cli: " << side->path << ": no latency group '" << ids[k]
                      << "' (groups are listed by: irqlens-cli latency " << side->path << ")\n";
            return std::nullopt;
        }
        picked[k] = *index;
    }
    Plan plan{{side->path, {side->groups[picked[0]]}},
              {side->path, {side->groups[picked[1]]}},
              {{0, 0}},
              pairIds(side->groups, side->groups, within)};
    return plan;
}

// `compare A B [--pair L=R]...`.
std::optional<Plan> planCaptures(const ParsedArgs& args) {
    if (args.positional.size() != 2) {
        usageError("compare", "expected two files A and B (or one FILE)");
        return std::nullopt;
    }
    auto a = loadSide(args.positional[0]);
    auto b = a ? loadSide(args.positional[1]) : std::nullopt;
    if (!a || !b) {
        return std::nullopt;
    }
    Plan plan{std::move(*a), std::move(*b), {}, nullptr};
    plan.defaultPair =
        pairIds(plan.a.groups, plan.b.groups, defaultPair(plan.a.groups, plan.b.groups));
    const auto specs = args.values("--pair");
    if (specs.empty()) {
        plan.pairs = defaultPairs(plan.a.groups, plan.b.groups);
        return plan;
    }
    for (const auto& spec : specs) {
        std::string error;
        const auto pairs = userPairs(plan.a.groups, plan.b.groups, spec, error);
        if (!pairs) {
            std::cerr << "irqlens-cli: " << plan.a.path << " vs " << plan.b.path << ": " << error
                      << "\n";
            return std::nullopt;
        }
        plan.pairs.insert(plan.pairs.end(), pairs->begin(), pairs->end());
    }
    return plan;
}

Json sideJson(const LatencyGroup& g, const Summary& s) {
    return {{"group", groupId(g)}, {"count", s.count},  {"p50_ns", s.p50}, {"p90_ns", s.p90},
            {"p99_ns", s.p99},     {"p999_ns", s.p999}, {"max_ns", s.max}};
}

Json ratioJson(const DeltaCi& d, std::int64_t aValue) {
    return aValue != 0 ? Json(d.ratio) : Json(nullptr);
}

// Below this many values on a side, a bootstrap interval says little (with
// one value every resample is that value): the table does not star it.
constexpr std::size_t kReliableCount = 10;

// Deltas of integer nanosecond percentiles are whole nanoseconds.
std::int64_t ns(double v) {
    return static_cast<std::int64_t>(std::llround(v));
}

Json pairJson(const LatencyGroup& a, const LatencyGroup& b, const GroupComparison& c) {
    Json delta = {{"p50_ns", ns(c.p50.delta)},
                  {"p50_ratio", ratioJson(c.p50, c.a.p50)},
                  {"p50_ci", {ns(c.p50.low), ns(c.p50.high)}},
                  {"p99_ns", ns(c.p99.delta)},
                  {"p99_ratio", ratioJson(c.p99, c.a.p99)},
                  {"p99_ci", {ns(c.p99.low), ns(c.p99.high)}},
                  {"ci_reliable", c.a.count >= kReliableCount && c.b.count >= kReliableCount}};
    return {{"mechanism", mechanismId(a.mechanism)},
            {"key", a.key},
            {"metric", metricId(a.metric)},
            {"a", sideJson(a, c.a)},
            {"b", sideJson(b, c.b)},
            {"delta", delta}};
}

Json unmatched(const std::vector<LatencyGroup>& groups, const std::vector<GroupPair>& pairs,
               bool sideA) {
    std::vector<bool> used(groups.size(), false);
    for (const auto& p : pairs) {
        used[sideA ? p.a : p.b] = true;
    }
    Json ids = Json::array();
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (!used[i]) {
            ids.push_back(groupId(groups[i]));
        }
    }
    return ids;
}

std::string num(const Json& v) {
    if (v.is_null()) {
        return "";
    }
    if (v.is_number_float()) {
        char buffer[40];
        std::snprintf(buffer, sizeof buffer, "%.6g", v.get<double>());
        return buffer;
    }
    return v.is_string() ? v.get<std::string>() : v.dump();
}

void printCsv(const Json& groups) {
    std::cout << "mechanism,key,metric,a_group,b_group,a_count,a_p50_ns,a_p90_ns,a_p99_ns,"
                 "a_p999_ns,a_max_ns,b_count,b_p50_ns,b_p90_ns,b_p99_ns,b_p999_ns,b_max_ns,"
                 "delta_p50_ns,p50_ratio,p50_ci_low,p50_ci_high,delta_p99_ns,p99_ratio,"
                 "p99_ci_low,p99_ci_high\n";
    for (const auto& g : groups) {
        std::vector<std::string> row = {num(g["mechanism"]), num(g["key"]), num(g["metric"]),
                                        num(g["a"]["group"]), num(g["b"]["group"])};
        for (const char* side : {"a", "b"}) {
            for (const char* k : {"count", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns"}) {
                row.push_back(num(g[side][k]));
            }
        }
        const Json& d = g["delta"];
        for (const char* p : {"p50", "p99"}) {
            const std::string s = p;
            row.insert(row.end(), {num(d[s + "_ns"]), num(d[s + "_ratio"]), num(d[s + "_ci"][0]),
                                   num(d[s + "_ci"][1])});
        }
        writeCsvRow(std::cout, row);
    }
}

// "+1.20 us [-0.30 us, +2.10 us] *": '*' when the interval excludes 0.
std::string deltaText(const Json& d, const std::string& p) {
    const auto signedNs = [](double v) { return (v > 0 ? "+" : "") + formatDuration(v); };
    const double lo = d[p + "_ci"][0].get<double>();
    const double hi = d[p + "_ci"][1].get<double>();
    const bool real = d["ci_reliable"].get<bool>() && (lo > 0 || hi < 0);
    return signedNs(d[p + "_ns"].get<double>()) + " [" + signedNs(lo) + ", " + signedNs(hi) + "]" +
           (real                           ? " *"
            : d["ci_reliable"].get<bool>() ? ""
                                           : " ?");
}

void printTable(const Json& j) {
    std::cout << "A: " << j["a"].get<std::string>() << "\nB: " << j["b"].get<std::string>()
              << "\n\n";
    TextTable table({"group", "count A/B", "p50 A", "p50 B", "p50 B-A [95% CI]", "p99 A", "p99 B",
                     "p99 B-A [95% CI]"},
                    {false, true, true, true, true, true, true, true});
    for (const auto& g : j["groups"]) {
        std::string name = g["a"]["group"].get<std::string>();
        if (g["b"]["group"] != g["a"]["group"]) {
            name += "  vs  " + g["b"]["group"].get<std::string>();
        }
        table.addRow({name, g["a"]["count"].dump() + "/" + g["b"]["count"].dump(),
                      formatDuration(g["a"]["p50_ns"].get<double>()),
                      formatDuration(g["b"]["p50_ns"].get<double>()), deltaText(g["delta"], "p50"),
                      formatDuration(g["a"]["p99_ns"].get<double>()),
                      formatDuration(g["b"]["p99_ns"].get<double>()),
                      deltaText(g["delta"], "p99")});
    }
    table.print(std::cout);
    if (!j["default_pair"].is_null()) {
        std::cout << "\nDefault pair (the Compare tab shows it first): "
                  << j["default_pair"]["a"].get<std::string>() << "  vs  "
                  << j["default_pair"]["b"].get<std::string>() << "\n";
    }
    std::cout << "\n* the 95 % interval excludes 0: a real difference, not noise.\n"
                 "? fewer than "
              << kReliableCount << " values on a side: the interval is not reliable.\n";
    if (!j["unmatched_a"].empty() || !j["unmatched_b"].empty()) {
        std::cout << "Not compared: " << j["unmatched_a"].size() << " group(s) of A and "
                  << j["unmatched_b"].size() << " of B (see --json; pick pairs with --pair).\n";
    }
}

std::optional<int> resamplesOption(const ParsedArgs& args) {
    const auto text = args.value("--resamples");
    if (!text) {
        return 1000;
    }
    int n = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (ec != std::errc() || end != text->data() + text->size() || n < 1 || n > 1'000'000) {
        usageError("compare", "--resamples needs a whole number from 1 to 1000000");
        return std::nullopt;
    }
    return n;
}

int runCompare(const std::vector<std::string>& args) {
    std::string error;
    const auto parsed = parseArgs(args,
                                  {{"--json"},
                                   {"--csv"},
                                   {"--group", true, true},
                                   {"--pair", true, true},
                                   {"--resamples", true}},
                                  error);
    if (!parsed) {
        return usageError("compare", error);
    }
    const auto format = outputFormat("compare", *parsed);
    const auto resamples = format ? resamplesOption(*parsed) : std::nullopt;
    if (!format || !resamples) {
        return 2;
    }
    if (parsed->has("--group") && parsed->has("--pair")) {
        return usageError("compare", "--group and --pair exclude each other");
    }
    const bool oneFile = parsed->positional.size() == 1 && !parsed->has("--pair");
    const auto plan =
        parsed->has("--group") || oneFile ? planGroups(*parsed) : planCaptures(*parsed);
    if (!plan) {
        return 2; // the reason is already on stderr
    }
    Json groups = Json::array();
    for (const auto& [ia, ib] : plan->pairs) {
        const auto& ga = plan->a.groups[ia];
        const auto& gb = plan->b.groups[ib];
        groups.push_back(pairJson(ga, gb, compareGroups(ga, gb, *resamples)));
    }
    Json j = {{"a", plan->a.path},
              {"b", plan->b.path},
              {"default_pair", plan->defaultPair},
              {"groups", groups},
              {"unmatched_a", unmatched(plan->a.groups, plan->pairs, true)},
              {"unmatched_b", unmatched(plan->b.groups, plan->pairs, false)}};
    if (parsed->has("--group") || oneFile) {
        j["unmatched_a"] = j["unmatched_b"] = Json::array();
    }
    if (*format == OutputFormat::Json) {
        std::cout << j.dump(2) << "\n";
    } else if (*format == OutputFormat::Csv) {
        printCsv(groups);
    } else {
        printTable(j);
    }
    return 0;
}

const CommandRegistration registration{
    {"compare", "latency percentiles of two captures (or two groups) with 95 % intervals", kUsage,
     runCompare}};

} // namespace
} // namespace irqlens::cli
