// `irqlens-cli record -o OUT.dat ...`: records ftrace events of this machine
// (libtracefs) or of a remote one over ssh into a trace.dat, with live
// counts on stderr.  Ctrl-C, SIGTERM and SIGHUP stop the recording and still
// finish the file; a second one aborts (no draining), still cleaning up.
#include "app/cli/command_registry.h"
#include "app/cli/terminal_prompt.h"
#include "core/record/recorder.h"
#include "core/record/remote_check.h"
#include "core/record/remote_recorder.h"
#include "core/record/tracedat_file_sink.h"

#include <array>
#include <atomic>
#include <cstdio>
#include <iostream>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace irqlens::cli {
namespace {

constexpr const char* kUsage = R"(Usage: irqlens-cli record -o OUT.dat [options]
       irqlens-cli record --remote [USER@]HOST[:PORT] --check

Records hard IRQs and their bottom halves into a trace.dat (version 6) that
irqlens, trace-cmd report and KernelShark open.  Uses a tracefs instance of
its own (irqlens-<pid>), never the top-level tracing settings, and removes it
at the end.  Ctrl-C, SIGTERM or SIGHUP stop the recording; the file is then
finished normally (a second Ctrl-C stops at once, still removing the
instance).  Needs root (tracefs); remotely, a login that is root or may use
sudo.  The file is written next to OUT.dat as OUT.partial-XXXXXX.dat and
renamed to OUT.dat at the end; an existing OUT.dat is never replaced
without --force.

Options:
  -o, --output FILE        the trace.dat to write (required; must not exist)
  --force                  replace FILE if it exists (only once the recording ends)
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
                           config, keys and known_hosts; nothing is installed there).
                           Not root there: tracefs through `sudo -n`, or sudo with
                           its password asked on the terminal.  On a terminal ssh's
                           questions (password, an unknown host key) are asked there
  --check                  with --remote: connect and check everything a recording
                           needs (login, root/sudo, tracefs, kernel, architecture,
                           board, the irqlens module), record nothing
  -q, --quiet              no live counts
  --help                   this text

Exit status: 0 recorded (or --check passed), 1 recording failed or ended
with an error (what was recorded is kept), 2 bad usage or output file.
)";

std::atomic<Recorder*> g_recorder{nullptr};
std::atomic<int> g_signals{0};
std::atomic<bool> g_stop{false}; // also ends questions on the terminal and --check

// The first signal stops in order, the next aborts.  Only lock-free atomics.
void onSignal(int) {
    const int count = ++g_signals;
    g_stop = true;
    if (Recorder* r = g_recorder.load()) {
        if (count == 1) {
            r->requestStop();
        } else {
            r->requestAbort();
        }
    }
}

// SIGINT, SIGTERM and SIGHUP (terminal closed) stop the recording; SIGPIPE
// (stderr closed) must not end it either.  Restored on destruction.
class SignalHandlers {
public:
    SignalHandlers() {
        struct sigaction action {};
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        for (std::size_t i = 0; i < kSignals.size(); ++i) {
            ::sigaction(kSignals[i], &action, &old_[i]);
        }
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        ::sigaction(SIGPIPE, &ignore, &oldPipe_);
    }
    ~SignalHandlers() {
        for (std::size_t i = 0; i < kSignals.size(); ++i) {
            ::sigaction(kSignals[i], &old_[i], nullptr);
        }
        ::sigaction(SIGPIPE, &oldPipe_, nullptr);
    }
    SignalHandlers(const SignalHandlers&) = delete;
    SignalHandlers& operator=(const SignalHandlers&) = delete;

private:
    static constexpr std::array<int, 3> kSignals{SIGINT, SIGTERM, SIGHUP};
    std::array<struct sigaction, 3> old_{};
    struct sigaction oldPipe_ {};
};

struct Args {
    RecordOptions options;
    std::string output, remote;
    bool quiet = false, force = false, check = false;
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
        } else if (arg == "--force") {
            a.force = true;
        } else if (arg == "--check") {
            a.check = true;
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
    if (a.check)
        return a.remote.empty() ? usage("--check needs --remote HOST") : -1;
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

// --check: prints the target's rows on stdout; 0 when a recording can start.
int runCheck(const Args& a) {
    SignalHandlers signals;
    const TargetCheck check = checkRemoteTarget(a.remote, terminalPrompter(&g_stop), &g_stop);
    std::cout << formatTargetCheck(check);
    if (!check.ok()) {
        std::cerr << "irqlens-cli record: " << check.error << "\n";
        return 1;
    }
    return 0;
}

// The output must be new (or --force); its folder must take a new file.
// Returns the exit status for a problem, -1 when fine.
int prepareOutput(const Args& a, TraceDatFileSink& sink) {
    struct stat st {};
    if (!a.force && ::lstat(a.output.c_str(), &st) == 0) {
        return usage(a.output + " exists; not replaced (--force replaces it once the new "
                                "recording is complete)");
    }
    std::string error;
    if (!sink.open(error)) {
        std::cerr << "irqlens-cli record: " << error << "\n";
        return 2;
    }
    return -1;
}

RecordResult record(Recorder& recorder, TraceDatFileSink& sink, const Args& a) {
    for (const auto& w : recorder.warnings()) {
        std::cerr << "irqlens-cli record: note: " << w << "\n";
    }
    if (!a.quiet) {
        std::cerr << "irqlens-cli record: recording into " << sink.partialPath() << " (renamed to "
                  << a.output << " at the end); Ctrl-C stops\n";
    }
    const bool tty = ::isatty(STDERR_FILENO);
    int ticks = 0;
    RecordResult result = recorder.wait([&](const RecordCounters& c) {
        if (!a.quiet && (tty || ++ticks % 4 == 0)) {
            printProgress(c, tty);
        }
    });
    if (!a.quiet && tty) {
        std::fputc('\n', stderr);
    }
    return result;
}

int runRecord(const std::vector<std::string>& args) {
    Args a;
    if (const int status = parse(args, a); status >= 0) {
        return status;
    }
    if (a.check) {
        return runCheck(a);
    }
    // Declared before the recorder: destroyed after it, so no reader thread
    // of the recorder can ever write into a destroyed sink.
    TraceDatFileSink sink(a.output, a.force ? TraceDatFileSink::Existing::Replace
                                            : TraceDatFileSink::Existing::Refuse);
    if (const int status = prepareOutput(a, sink); status >= 0) {
        return status;
    }
    std::unique_ptr<Recorder> recorder;
    std::string error;
    if (a.remote.empty()) {
        recorder = makeLocalRecorder(a.options);
    } else if (!(recorder =
                     makeRemoteRecorder(a.options, a.remote, error, terminalPrompter(&g_stop)))) {
        return usage(error);
    }
    SignalHandlers signals;
    g_recorder = recorder.get();
    if (g_signals.load() > 0) {
        recorder->requestStop(); // a signal came before the recorder was known
    }
    const bool started = recorder->start(sink, error);
    const std::size_t warnedAtStart = recorder->warnings().size();
    const RecordResult result = started ? record(*recorder, sink, a) : RecordResult{};
    g_recorder = nullptr;
    if (!started) {
        std::cerr << "irqlens-cli record: " << error << "\n";
        return 1;
    }
    const auto& c = result.counters;
    std::cerr << "irqlens-cli record: "
              << (sink.writtenPath().empty() ? a.output : sink.writtenPath()) << ": " << c.events
              << " events in " << c.seconds << " s, " << c.lost << " lost (kernel overrun "
              << result.kernelOverrun << ", dropped " << result.kernelDropped << ")"
              << (c.events == 0 ? " -- NOTHING WAS RECORDED" : "") << "\n";
    if (const std::string left = eventsLeftWarning(result); !left.empty()) {
        std::cerr << "irqlens-cli record: warning: " << left << "\n";
    }
    // Notes that came up while stopping (those of the start were printed then).
    for (std::size_t i = warnedAtStart; i < result.warnings.size(); ++i) {
        std::cerr << "irqlens-cli record: " << (c.events == 0 ? "warning: " : "note: ")
                  << result.warnings[i] << "\n";
    }
    if (!result.error.empty()) {
        std::cerr << "irqlens-cli record: " << result.error << "\n";
    }
    return result.ok && result.error.empty() ? 0 : 1;
}

const CommandRegistration registration{
    Command{"record", "record IRQs and bottom halves (locally or over ssh) into a trace.dat",
            kUsage, runRecord}};

} // namespace
} // namespace irqlens::cli
