// `irqlens-cli record -o OUT.dat ...`: records ftrace events of this machine
// (libtracefs) or of a remote one over ssh into a trace.dat, with live
// counts on stderr.  Ctrl-C / SIGTERM stop the recording and still finish
// the file.
#include "app/cli/command_registry.h"
#include "core/record/recorder.h"
#include "core/record/remote_recorder.h"
#include "core/record/tracedat_file_sink.h"

#include <atomic>
#include <cstdio>
#include <iostream>
#include <signal.h>
#include <unistd.h>

namespace irqlens::cli {
namespace {

constexpr const char* kUsage = R"(Usage: irqlens-cli record -o OUT.dat [options]

Records hard IRQs and their bottom halves into a trace.dat (version 6) that
irqlens, trace-cmd report and KernelShark open.  Uses a tracefs instance of
its own (irqlens-<pid>), never the top-level tracing settings, and removes it
at the end.  Ctrl-C or SIGTERM stop the recording; the file is then finished
normally.  Needs root (tracefs).

Options:
  -o, --output FILE        the trace.dat to write (required)
  --preset NAME            bottom-halves (default): irq:*, workqueue:*, sched_switch,
                           sched_waking, sched_wakeup (+ irq_vectors:*, ipi:* if present);
                           stacks: the same + a kernel stack per event;
                           funcgraph: the same + function_graph (see --module);
                           none: only the -e events
  -e, --event SYS:EVENT    also record SYS:EVENT, SYS:* or SYS (repeatable)
  --module NAME            funcgraph: graph the functions of module NAME (repeatable)
  --duration SECONDS       stop after SECONDS (default: until Ctrl-C)
  --buffer-kb N            per-CPU ring buffer size in KiB (default: the kernel's)
  --cpus LIST              only these CPUs, e.g. 0-1,3
  --remote [USER@]HOST[:PORT]
                           record HOST over ssh (the system ssh client and its
                           config, keys and known_hosts; nothing is installed there)
  -q, --quiet              no live counts
  --help                   this text

Exit status: 0 recorded, 1 recording failed, 2 bad usage.
)";

std::atomic<Recorder*> g_recorder{nullptr};

void onSignal(int) {
    if (Recorder* r = g_recorder.load())
        r->requestStop();
}

struct Args {
    RecordOptions options;
    std::string output, remote;
    bool quiet = false;
};

int usage(const std::string& message) {
    std::cerr << "irqlens-cli record: " << message << " (see irqlens-cli record --help)\n";
    return 2;
}

bool parseNumber(const std::string& text, double& out) {
    try {
        std::size_t used = 0;
        out = std::stod(text, &used);
        return used == text.size() && out >= 0;
    } catch (const std::exception&) {
        return false;
    }
}

// Returns -1 when parsed, else the exit status to return.
int parse(const std::vector<std::string>& args, Args& a) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= args.size())
                return false;
            out = args[++i];
            return true;
        };
        std::string v;
        double number = 0;
        if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return 0;
        } else if (arg == "-q" || arg == "--quiet") {
            a.quiet = true;
        } else if (arg == "-o" || arg == "--output") {
            if (!value(a.output))
                return usage(arg + " needs a file");
        } else if (arg == "--preset") {
            if (!value(a.options.preset))
                return usage("--preset needs a name");
        } else if (arg == "-e" || arg == "--event") {
            if (!value(v))
                return usage(arg + " needs SYSTEM:EVENT");
            a.options.events.push_back(v);
        } else if (arg == "--module") {
            if (!value(v))
                return usage("--module needs a name");
            a.options.modules.push_back(v);
        } else if (arg == "--duration") {
            if (!value(v) || !parseNumber(v, number))
                return usage("--duration needs seconds");
            a.options.durationSeconds = number;
        } else if (arg == "--buffer-kb") {
            if (!value(v) || !parseNumber(v, number) || number < 1)
                return usage("--buffer-kb needs a size in KiB");
            a.options.bufferKb = static_cast<unsigned>(number);
        } else if (arg == "--cpus") {
            if (!value(a.options.cpus))
                return usage("--cpus needs a list such as 0-1,3");
        } else if (arg == "--remote") {
            if (!value(a.remote))
                return usage("--remote needs [USER@]HOST[:PORT]");
        } else {
            return usage("unknown argument '" + arg + "'");
        }
    }
    if (a.output.empty())
        return usage("-o OUT.dat is required");
    return -1;
}

void printProgress(const RecordCounters& c, bool tty) {
    char line[160];
    std::snprintf(line, sizeof line, "%6.1f s  %10llu events  %8llu lost  %8.1f MiB", c.seconds,
                  static_cast<unsigned long long>(c.events),
                  static_cast<unsigned long long>(c.lost),
                  static_cast<double>(c.bytes) / (1 << 20));
    std::fprintf(stderr, tty ? "\r%s" : "%s\n", line);
}

int runRecord(const std::vector<std::string>& args) {
    Args a;
    if (const int status = parse(args, a); status >= 0)
        return status;
    std::unique_ptr<Recorder> recorder;
    if (a.remote.empty()) {
        recorder = makeLocalRecorder(a.options);
    } else {
        std::string error;
        recorder = makeRemoteRecorder(a.options, a.remote, error);
        if (!recorder)
            return usage(error);
    }
    TraceDatFileSink sink(a.output);
    struct sigaction action {
    }, oldInt{}, oldTerm{};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    g_recorder = recorder.get();
    ::sigaction(SIGINT, &action, &oldInt);
    ::sigaction(SIGTERM, &action, &oldTerm);

    std::string error;
    RecordResult result;
    const bool started = recorder->start(sink, error);
    if (started) {
        for (const auto& w : recorder->warnings())
            std::cerr << "irqlens-cli record: note: " << w << "\n";
        const bool tty = ::isatty(STDERR_FILENO);
        int ticks = 0;
        result = recorder->wait([&](const RecordCounters& c) {
            if (!a.quiet && (tty || ++ticks % 4 == 0))
                printProgress(c, tty);
        });
        if (!a.quiet && tty)
            std::fputc('\n', stderr);
    }
    g_recorder = nullptr;
    ::sigaction(SIGINT, &oldInt, nullptr);
    ::sigaction(SIGTERM, &oldTerm, nullptr);
    if (!started) {
        std::cerr << "irqlens-cli record: " << error << "\n";
        return 1;
    }
    const auto& c = result.counters;
    std::cerr << "irqlens-cli record: " << a.output << ": " << c.events << " events in "
              << c.seconds << " s, " << c.lost << " lost (kernel overrun " << result.kernelOverrun
              << ", dropped " << result.kernelDropped << ")\n";
    if (!result.error.empty())
        std::cerr << "irqlens-cli record: " << result.error << "\n";
    return result.ok ? 0 : 1;
}

const CommandRegistration registration{
    Command{"record", "record IRQs and bottom halves (locally or over ssh) into a trace.dat",
            kUsage, runRecord}};

} // namespace
} // namespace irqlens::cli
