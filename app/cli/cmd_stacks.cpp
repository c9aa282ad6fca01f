// `irqlens-cli stacks FILE [--event SYSTEM:NAME | --span KIND [--key KEY]]
// [--filter TEXT] [--folded]`: the kernel stacks attached to events, as folded
// stacks (flamegraph.pl, speedscope) or as a readable call tree.
#include "app/cli/cli_args.h"
#include "app/cli/cli_capture.h"
#include "app/cli/command_registry.h"
#include "core/stacks/call_tree.h"
#include "core/stacks/stack_index.h"
#include "core/stacks/stack_selection.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

namespace irqlens::cli {
namespace {

constexpr const char* kUsage =
    R"(Usage: irqlens-cli stacks FILE [--event SYSTEM:NAME | --span KIND [--key KEY]]
                          [--scope begin|inside] [--filter TEXT] [--user]
                          [--offsets] [--folded | --bottom-up] [--min-percent P]

Aggregates the ftrace:kernel_stack records (trace-cmd record -T, or the
stacktrace option) of a capture.  Each stack belongs to the event just before
it on the same CPU; symbols come from the capture's own kallsyms.

Selection (default: the stacks of every event):
  --event SYSTEM:NAME  stacks of the events of this type ("irq:irq_handler_entry")
  --span KIND          stacks of spans of this kind (hardirq, softirq, tasklet,
                       workqueue, irq_thread, task, function, custom)
  --key KEY            only spans with this key ("42 virtio3-tx", "TIMER",
                       "virtio_transport_tx_work", as `spans` prints it)
  --scope begin        (default) the stack of each span's begin event
  --scope inside       every stack of an event inside the span (same CPU)
  --filter TEXT        only stacks with a frame whose function contains TEXT
  --user               user stacks (ftrace:user_stack) instead of kernel stacks

Output:
  --folded             one line per distinct stack: "outer;...;inner COUNT",
                       outermost frame first (flamegraph.pl, speedscope)
  (default)            a top-down call tree: percent, count, self count, frame
  --bottom-up          the call tree from the innermost frame outwards
  --min-percent P      hide tree nodes below P percent of all stacks
  --offsets            frames as function+0xoffset instead of function
  --help               this text

Exit status: 0 ok, 2 bad input (missing or unreadable FILE, unknown event) or usage.
)";

void printTree(const CallTree& tree, double minPercent) {
    std::printf("%8s %8s %8s  %s\n", "percent", "count", "self", "frame");
    std::vector<std::uint32_t> todo{CallTree::kRoot};
    while (!todo.empty()) {
        const std::uint32_t id = todo.back();
        todo.pop_back();
        const CallTreeNode& n = tree.node(id);
        if (id != CallTree::kRoot && tree.percent(id) < minPercent) {
            continue;
        }
        std::printf("%7.2f%% %8llu %8llu  %*s%s\n", tree.percent(id),
                    static_cast<unsigned long long>(n.total),
                    static_cast<unsigned long long>(n.self), static_cast<int>(2 * n.depth), "",
                    tree.label(id).c_str());
        for (auto it = n.children.rbegin(); it != n.children.rend(); ++it) {
            todo.push_back(*it);
        }
    }
}

struct Selection {
    std::vector<StackSample> samples;
    bool ok = true;
};

Selection select(const OpenedCapture& capture, const StackIndex& index, const ParsedArgs& args,
                 StackKindFilter kinds) {
    const EventStore& store = *capture.store;
    if (const auto event = args.value("--event")) {
        const auto colon = event->find(':');
        const auto type = colon == std::string::npos
                              ? std::nullopt
                              : store.findType(event->substr(0, colon), event->substr(colon + 1));
        if (!type) {
            std::cerr << "irqlens-cli: " << capture.path << ": no event type '" << *event
                      << "' in this capture\n";
            return {{}, false};
        }
        return {stacksOfEvents(store, index, type, kinds)};
    }
    if (const auto kindName = args.value("--span")) {
        const auto kind = spanKindByName(*kindName);
        const auto spans = spansOfClass(store, capture.analysis, *kind, args.value("--key"));
        const auto scope =
            args.value("--scope") == "inside" ? StackScope::WholeSpan : StackScope::BeginEvent;
        return {stacksOfSpans(store, capture.analysis, index, spans, scope, kinds)};
    }
    return {stacksOfEvents(store, index, std::nullopt, kinds)};
}

std::optional<std::string> checkUsage(const ParsedArgs& p) {
    if (p.positional.size() != 1) {
        return "expected exactly one FILE";
    }
    if (p.has("--event") && p.has("--span")) {
        return "--event and --span exclude each other";
    }
    if (const auto k = p.value("--span"); k && (!spanKindByName(*k) || *k == "count")) {
        return "unknown span kind '" + *k + "'";
    }
    if ((p.has("--key") || p.has("--scope")) && !p.has("--span")) {
        return "--key and --scope need --span";
    }
    if (const auto s = p.value("--scope"); s && *s != "begin" && *s != "inside") {
        return "--scope is begin or inside";
    }
    if (p.has("--folded") && p.has("--bottom-up")) {
        return "--folded and --bottom-up exclude each other";
    }
    return std::nullopt;
}

int runStacks(const std::vector<std::string>& args) {
    std::string error;
    const auto parsed = parseArgs(args,
                                  {{"--event", true},
                                   {"--span", true},
                                   {"--key", true},
                                   {"--scope", true},
                                   {"--filter", true},
                                   {"--min-percent", true},
                                   {"--user"},
                                   {"--offsets"},
                                   {"--folded"},
                                   {"--bottom-up"}},
                                  error);
    if (!parsed) {
        return usageError("stacks", error);
    }
    if (const auto problem = checkUsage(*parsed)) {
        return usageError("stacks", *problem);
    }
    double minPercent = 0;
    if (const auto p = parsed->value("--min-percent")) {
        char* end = nullptr;
        minPercent = std::strtod(p->c_str(), &end);
        if (end == p->c_str() || *end != '\0') {
            return usageError("stacks", "--min-percent needs a number");
        }
    }
    const bool needSpans = parsed->has("--span");
    const auto capture = openCapture(parsed->positional[0], needSpans);
    if (!capture) {
        return 2;
    }
    const StackIndex index(*capture->store);
    const bool user = parsed->has("--user");
    auto selection = select(*capture, index, *parsed, {.kernel = !user, .user = user});
    if (!selection.ok) {
        return 2;
    }
    FrameNames names(*capture->store);
    if (const auto text = parsed->value("--filter")) {
        selection.samples = withFrameMatching(*capture->store, names, selection.samples, *text);
    }
    if (index.attachedCount() == 0) {
        std::cerr << "irqlens-cli: " << capture->path
                  << ": no kernel_stack events (record with trace-cmd record -T)\n";
    }
    const auto style = parsed->has("--offsets") ? FrameStyle::FunctionOffset : FrameStyle::Function;
    if (parsed->has("--folded")) {
        writeFolded(std::cout, foldedStacks(*capture->store, names, selection.samples, style));
        return 0;
    }
    const auto direction =
        parsed->has("--bottom-up") ? TreeDirection::BottomUp : TreeDirection::TopDown;
    std::cout << std::flush;
    printTree(CallTree::build(*capture->store, names, selection.samples, direction, style),
              minPercent);
    return 0;
}

const CommandRegistration registration{
    {"stacks", "kernel stacks of events or spans as a call tree or folded stacks (flame graphs)",
     kUsage, runStacks}};

} // namespace
} // namespace irqlens::cli
