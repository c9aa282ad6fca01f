#include "core/record/remote_recorder.h"

#include "core/record/event_selection.h"
#include "core/record/metadata_collector.h"
#include "core/record/remote_files.h"
#include "core/record/remote_privilege.h"
#include "core/record/remote_setup_script.h"
#include "core/record/ssh_connection.h"
#include "core/record/stale_instances.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <signal.h>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace irqlens {

namespace {

using Clock = std::chrono::steady_clock;

// Limits for a loaded target: on an emulated 32-bit guest sharing two busy
// cores each `sudo sh -c` round trip took 13-20 s, and switching tracing off
// once took more than 15 s (the recording then lost its end).
constexpr int kSwitchOnSeconds = 60;
constexpr int kStopSeconds = 180;    // tracing off + the target's readers drained
constexpr int kArrivalSeconds = 180; // then what they read, on its way here
constexpr int kTeardownSeconds = 90; // readers killed, the instance removed

class RemoteRecorder : public Recorder {
public:
    RemoteRecorder(RecordOptions options, SshDestination destination, Prompter prompter)
        : options_(std::move(options)), ssh_(std::move(destination)) {
        ssh_.setPrompter(std::move(prompter));
    }
    ~RemoteRecorder() override { abandon(); }
    bool start(TraceSink& sink, std::string& error) override;
    RecordResult wait(const ProgressCallback& progress) override;

private:
    struct Stream {
        int cpu = 0;
        SshStream ssh;
        std::string remotePid;
        std::thread thread;
    };
    bool prepare(TraceSink& sink, std::string& error);
    bool probe(std::string& error);
    bool chooseCpus(RemoteFiles& files, std::vector<int>& cpus, std::string& error);
    bool setUp(const std::vector<EventName>& events, const std::vector<int>& cpus,
               std::string& error);
    bool startStreams(const std::vector<int>& cpus, std::uint32_t pageSize, std::uint32_t pageData,
                      std::string& error);
    bool switchTracingOn();
    void readStream(Stream& stream, std::uint32_t pageSize);
    void waitForQuiet();
    void waitForArrival(const std::vector<std::string>& stats, RecordResult& result);
    void stopStreams(bool now);
    bool removeInstance(int timeoutSeconds);
    void abandon();
    void finishOnTarget(RecordResult& result, std::string& cmdlines);
    std::vector<std::string> readStatsAndCmdlines(RemoteFiles& files);
    std::string instanceFile(const std::string& file) const {
        return tracingDir_ + "/instances/" + instance_ + "/" + file;
    }

    RecordOptions options_;
    SshConnection ssh_;
    std::string tracingDir_, instance_;
    int cpuCount_ = 0;
    std::vector<std::unique_ptr<Stream>> streams_;
    std::atomic<int> streamsOpen_{0}, streamsRunning_{0};
    RemoteProbe probe_;
    std::atomic<long long> lastData_{0};
};

bool RemoteRecorder::probe(std::string& error) {
    std::string out, err;
    const int status = ssh_.run(probeScript(), out, err);
    probe_ = parseProbe(out);
    if (status == 3) {
        error = ssh_.name() + ": no tracefs (not mounted at /sys/kernel/tracing, and mounting it "
                              "failed; is CONFIG_FTRACE off in this kernel?)";
        return false;
    }
    const auto& dir = probe_.tracingDir;
    if (status != 0 || (dir != "/sys/kernel/tracing" && dir != "/sys/kernel/debug/tracing")) {
        error = ssh_.name() + ": cannot look for tracefs (status " + std::to_string(status) + ")";
        return false;
    }
    tracingDir_ = dir;
    if (!probe_.writable) {
        error = ssh_.name() + ": no permission on " + dir + " even as root (lockdown?)";
        return false;
    }
    return true;
}

bool RemoteRecorder::chooseCpus(RemoteFiles& files, std::vector<int>& cpus, std::string& error) {
    if ((cpuCount_ = files.cpuCount(error)) < 1) {
        return false;
    }
    cpus.clear();
    for (int c = 0; c < cpuCount_; ++c) {
        cpus.push_back(c);
    }
    if (!options_.cpus.empty()) {
        auto parsed = parseCpuList(options_.cpus, cpuCount_, error);
        if (!parsed) {
            return false;
        }
        cpus = *parsed;
    }
    return true;
}

bool RemoteRecorder::setUp(const std::vector<EventName>& events, const std::vector<int>& cpus,
                           std::string& error) {
    const std::string& holder = ssh_.holderPid();
    if (holder.empty() || holder.size() > 9 ||
        holder.find_first_not_of("0123456789") != std::string::npos) {
        error = ssh_.name() + ": unexpected answer from the target's shell ('" + holder + "')";
        return false;
    }
    instance_ = newInstanceName(std::stol(holder));
    const std::string mask = options_.cpus.empty() ? "" : cpuMaskHex(cpus);
    std::string out, err;
    const int status =
        ssh_.run(setupScript(tracingDir_, instance_, options_, events, mask), out, err);
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        warnings_.push_back(ssh_.name() + ": " + line);
    }
    if (status != 0) {
        const auto at = err.find("irqlens-error: ");
        std::string what = at == std::string::npos ? err : err.substr(at + 15);
        what = what.substr(0, what.find('\n'));
        error = ssh_.name() + ": " + (what.empty() ? "setup failed" : what);
        return false;
    }
    return true;
}

void RemoteRecorder::readStream(Stream& stream, std::uint32_t pageSize) {
    std::string pending;
    char buffer[65536];
    bool pidRead = false;
    for (;;) {
        const ssize_t n = ::read(stream.ssh.fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        pending.append(buffer, static_cast<std::size_t>(n));
        if (!pidRead) {
            const auto nl = pending.find('\n');
            if (nl == std::string::npos) {
                continue;
            }
            stream.remotePid = pending.substr(0, nl);
            pending.erase(0, nl + 1);
            pidRead = true;
            ++streamsOpen_;
        }
        lastData_ = Clock::now().time_since_epoch().count();
        const std::size_t whole = pending.size() / pageSize * pageSize;
        if (whole > 0 && !deliverPages(stream.cpu, pending.data(), whole)) {
            break;
        }
        pending.erase(0, whole);
    }
    if (!pidRead) {
        ++streamsOpen_; // failed to start: do not keep start() waiting
    }
    --streamsRunning_;
}

bool RemoteRecorder::startStreams(const std::vector<int>& cpus, std::uint32_t pageSize,
                                  std::uint32_t pageData, std::string& error) {
    for (int cpu : cpus) {
        auto stream = std::make_unique<Stream>();
        stream->cpu = cpu;
        const std::string file =
            instanceFile("per_cpu/cpu" + std::to_string(cpu) + "/trace_pipe_raw");
        stream->ssh = ssh_.stream(
            readerScript(file, pageSize, pageData, probe_.nonblockingDd, ssh_.holderPid()));
        if (stream->ssh.pid < 0) {
            error = ssh_.name() + ": cannot start the reader of CPU " + std::to_string(cpu);
            return false;
        }
        ++streamsRunning_;
        Stream& s = *stream;
        stream->thread = std::thread([this, &s, pageSize] { readStream(s, pageSize); });
        streams_.push_back(std::move(stream));
    }
    // Generous: an emulated or busy target can take long to start its readers
    // (20 s was missed by a qemu guest on a loaded host).
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (streamsOpen_.load() < static_cast<int>(streams_.size()) && Clock::now() < deadline &&
           !stopRequested()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (const auto& s : streams_) {
        if (s->remotePid.empty()) {
            error =
                ssh_.name() + ": the reader of CPU " + std::to_string(s->cpu) + " did not start";
            return false;
        }
    }
    return true;
}

bool RemoteRecorder::switchTracingOn() {
    std::string out, err;
    return ssh_.run("echo 1 > " + shellQuote(instanceFile("tracing_on")), out, err,
                    kSwitchOnSeconds) == 0;
}

bool RemoteRecorder::prepare(TraceSink& sink, std::string& error) {
    TargetLogin login;
    if (!ssh_.open(error) || !establishRoot(ssh_, login, error) || !probe(error)) {
        return false;
    }
    RemoteFiles files(ssh_, probe_);
    const auto events = selectTargetEvents(options_, files, warnings_, error);
    std::vector<int> cpus;
    if (!events || !chooseCpus(files, cpus, error) || !setUp(*events, cpus, error)) {
        return false;
    }
    TraceMetadata meta;
    if (!collectMetadata(files, *events, "instances/" + instance_, meta, error) ||
        !sink.begin(meta, error)) {
        return false;
    }
    sink_ = &sink;
    resetCounters(meta.cpus, {meta.bigEndian, meta.longSize, meta.pageSize});
    // A page's header: a u64 timestamp and the commit field (a long).
    const auto header = static_cast<std::uint32_t>(8 + meta.longSize);
    if (!startStreams(cpus, meta.pageSize, meta.pageSize > header ? meta.pageSize - header : 0,
                      error)) {
        return false;
    }
    if (!switchTracingOn()) {
        error = ssh_.name() + ": cannot switch tracing on";
        return false;
    }
    return true;
}

bool RemoteRecorder::start(TraceSink& sink, std::string& error) {
    // Ctrl-C while connecting (timeouts of minutes on a slow link) ends
    // every command at once.
    ssh_.setInterrupt(&stop_);
    const bool prepared = prepare(sink, error) && !stopRequested();
    ssh_.setInterrupt(nullptr);
    if (!prepared) {
        if (stopRequested()) {
            error = ssh_.name() + ": stopped before the recording started";
        }
        abandon(); // readers joined: nothing writes into `sink` any more
        sink_ = nullptr;
        return false;
    }
    markTracingStarted();
    return true;
}

// After tracing_on=0 the readers drain what is left: wait until nothing
// arrived for a moment.
void RemoteRecorder::waitForQuiet() {
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < deadline && streamsRunning_.load() > 0 && !abortRequested()) {
        const auto idle = Clock::now().time_since_epoch().count() - lastData_.load();
        if (idle >
            std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(400)).count()) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

void RemoteRecorder::stopStreams(bool now) {
    for (auto& s : streams_) {
        if (!s->thread.joinable()) {
            continue;
        }
        // The remote reader was killed (or the link is gone): the local
        // client ends; make sure of it before joining.
        if (now || waitChild(s->ssh.pid, 3000) < 0) {
            ::kill(s->ssh.pid, SIGTERM);
            if (waitChild(s->ssh.pid, 2000) < 0) {
                ::kill(s->ssh.pid, SIGKILL);
                waitChild(s->ssh.pid, 1000);
            }
        }
        s->thread.join();
        ::close(s->ssh.fd);
    }
    streams_.clear();
}

bool RemoteRecorder::removeInstance(int timeoutSeconds) {
    if (!ssh_.isOpen() || instance_.empty()) {
        return true;
    }
    std::vector<std::string> pids;
    for (const auto& s : streams_) {
        if (!s->remotePid.empty()) {
            pids.push_back(s->remotePid);
        }
    }
    std::string out, err;
    return ssh_.run(teardownScript(tracingDir_, instance_, pids), out, err, timeoutSeconds) == 0;
}

// After a failed start (or without wait()): remove what was set up.
void RemoteRecorder::abandon() {
    ssh_.setInterrupt(nullptr);
    const bool removed = removeInstance(abortRequested() ? 5 : kTeardownSeconds);
    stopStreams(true);
    if (!removed) {
        warnings_.push_back(ssh_.name() + ": could not remove tracefs instance " + instance_ +
                            " (it is removed at the next recording)");
    }
    instance_.clear();
    ssh_.close();
}

// per_cpu/cpuN/stats of every CPU, then saved_cmdlines (one round trip).
std::vector<std::string> RemoteRecorder::readStatsAndCmdlines(RemoteFiles& files) {
    std::vector<std::string> paths;
    for (int cpu = 0; cpu < cpuCount_; ++cpu) {
        paths.push_back("instances/" + instance_ + "/per_cpu/cpu" + std::to_string(cpu) + "/stats");
    }
    paths.push_back("saved_cmdlines");
    auto contents = files.readFiles(paths);
    std::vector<std::string> texts;
    for (const auto& p : paths) {
        texts.push_back(contents[p]);
    }
    return texts;
}

// Tracing off, the readers drained on the target, the kernel's counts read,
// then every event the readers took waited for here.  A second Ctrl-C
// (abort) ends the command under way at once.
void RemoteRecorder::finishOnTarget(RecordResult& result, std::string& cmdlines) {
    ssh_.setInterrupt(&abort_);
    std::string out, err;
    const int status = ssh_.run(stopScript(tracingDir_, instance_), out, err, kStopSeconds);
    if (status != 0 && !abortRequested()) {
        waitForQuiet(); // what is on its way still counts
        result.error =
            ssh_.name() + ": tracing was not switched off within " + std::to_string(kStopSeconds) +
            " s (" + (status < 0 ? std::string("no answer") : "status " + std::to_string(status)) +
            "); kept the events that arrived, the end may be missing";
    } else if (!abortRequested()) {
        result.eventsLeftOnTarget = parseEventsLeft(out).value_or(0);
        RemoteFiles files(ssh_, probe_);
        auto stats = readStatsAndCmdlines(files);
        cmdlines = stats.back();
        stats.pop_back();
        for (std::size_t cpu = 0; cpu < stats.size(); ++cpu) {
            sink_->cpuStats(static_cast<int>(cpu), stats[cpu]);
        }
        sumCpuStats(stats, result.kernelOverrun, result.kernelDropped);
        waitForArrival(stats, result);
    }
    ssh_.setInterrupt(nullptr);
}

// The target's kernel counted the events it handed to each CPU's reader
// ("read events:"): wait until as many arrived here, so that a slow link
// or a starved target never cuts the end off.  Kernels without the count:
// until nothing arrived for a moment.
void RemoteRecorder::waitForArrival(const std::vector<std::string>& stats, RecordResult& result) {
    std::vector<std::uint64_t> taken;
    for (const auto& text : stats) {
        const auto n = readEventsOf(text);
        if (!n) {
            waitForQuiet();
            return;
        }
        taken.push_back(*n);
    }
    const auto missing = [&] {
        const auto perCpu = counters().eventsPerCpu;
        std::uint64_t sum = 0;
        for (std::size_t cpu = 0; cpu < taken.size(); ++cpu) {
            const std::uint64_t got = cpu < perCpu.size() ? perCpu[cpu] : 0;
            sum += got < taken[cpu] ? taken[cpu] - got : 0;
        }
        return sum;
    };
    const auto deadline = Clock::now() + std::chrono::seconds(kArrivalSeconds);
    while (missing() > 0 && Clock::now() < deadline && streamsRunning_.load() > 0 &&
           !abortRequested()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (const std::uint64_t lost = missing(); lost > 0 && !abortRequested()) {
        std::uint64_t total = 0;
        for (const auto n : taken) {
            total += n;
        }
        result.error = ssh_.name() + ": " + std::to_string(lost) + " of the " +
                       std::to_string(total) +
                       " events the target's readers took did not arrive; kept the others";
    }
}

RecordResult RemoteRecorder::wait(const ProgressCallback& progress) {
    RecordResult result;
    if (!waitForEnd(result, options_.durationSeconds, progress,
                    [this] { return sinkFailed_.load() || streamsRunning_.load() == 0; })) {
        return result;
    }
    const bool dropped = streamsRunning_.load() < static_cast<int>(streams_.size());
    std::string cmdlines;
    if (!dropped && !abortRequested()) {
        finishOnTarget(result, cmdlines);
    }
    const bool removed = removeInstance(abortRequested() ? 5 : kTeardownSeconds);
    stopStreams(abortRequested());
    const auto c = counters();
    if (sinkFailed_) {
        result.error = sink_->lastError();
    } else if (dropped) {
        result.error = ssh_.name() + ": connection dropped after " +
                       std::to_string(static_cast<int>(c.seconds)) + " s; kept the " +
                       std::to_string(c.events) + " events that arrived";
    }
    if (!removed) {
        warnings_.push_back(ssh_.name() + ": could not remove tracefs instance " + instance_ +
                            " (it is removed at the next recording)");
    }
    instance_.clear();
    std::string endError;
    result.ok = sink_->end(cmdlines, endError);
    if (!endError.empty() && result.error.empty()) {
        result.error = endError;
    }
    sink_ = nullptr;
    ssh_.close();
    result.counters = counters();
    warnIfNothingRecorded(result);
    result.warnings = warnings_;
    return result;
}

} // namespace

std::unique_ptr<Recorder> makeRemoteRecorder(const RecordOptions& options,
                                             const std::string& destination, std::string& error,
                                             Prompter prompter) {
    auto parsed = parseSshDestination(destination, error);
    if (!parsed) {
        return nullptr;
    }
    return std::make_unique<RemoteRecorder>(options, *parsed, std::move(prompter));
}

} // namespace irqlens
