// Local recording through libtracefs: an instance of our own, one poll()ing
// reader thread per CPU on trace_pipe_raw.
#include "core/record/event_selection.h"
#include "core/record/local_files.h"
#include "core/record/metadata_collector.h"
#include "core/record/recorder.h"
#include "core/record/stale_instances.h"
#include "core/record/tracefs_shim.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

namespace irqlens {

namespace {

constexpr int kBufferPercent = 10;
constexpr int kReaderNice = -10;

std::string errnoText() {
    return std::strerror(errno);
}

class LocalRecorder : public Recorder {
public:
    explicit LocalRecorder(RecordOptions options) : options_(std::move(options)) {}
    ~LocalRecorder() override { teardown(); }
    bool start(TraceSink& sink, std::string& error) override;
    RecordResult wait(const ProgressCallback& progress) override;

private:
    bool prepare(TraceSink& sink, std::string& error);
    bool chooseCpus(LocalFiles& files, std::vector<int>& cpus, std::string& error);
    bool findTracefs(std::string& error);
    bool createInstance(std::string& error);
    bool configure(const std::vector<EventName>& events, std::string& error);
    bool enableFunctionGraph(std::string& error);
    bool writeInstanceFile(const std::string& file, const std::string& text, bool append = false);
    bool openReaders(const std::vector<int>& cpus, int pageSize, std::string& error);
    void readLoop(int cpu, irqlens_tfs_cpu* reader, int pageSize);
    void stopReaders();
    std::vector<std::string> readCpuStats();
    void teardown();

    RecordOptions options_;
    std::string tracingDir_;
    std::string instanceName_;
    irqlens_tfs_instance* instance_ = nullptr;
    int cpuCount_ = 0;
    std::string cpuMask_; // tracing_cpumask text, empty for all CPUs
    std::vector<std::pair<int, irqlens_tfs_cpu*>> readers_;
    std::vector<std::thread> threads_;
    std::atomic<bool> readersStop_{false};
    std::atomic<int> readersRunning_{0};
    std::string readerError_;
    std::mutex readerErrorMutex_;
};

bool LocalRecorder::findTracefs(std::string& error) {
    const char* dir = irqlens_tfs_tracing_dir();
    if (!dir) {
        error = "tracefs is not mounted and could not be mounted (as root: mount -t tracefs "
                "nodev /sys/kernel/tracing)";
        return false;
    }
    tracingDir_ = dir;
    if (::access((tracingDir_ + "/instances").c_str(), W_OK) != 0) {
        error = "no permission to create tracefs instances in " + tracingDir_ + "/instances (" +
                errnoText() + "; run as root)";
        return false;
    }
    return true;
}

bool LocalRecorder::createInstance(std::string& error) {
    instanceName_ = newInstanceName(::getpid());
    instance_ = irqlens_tfs_instance_create(instanceName_.c_str());
    if (!instance_) {
        error = "cannot create tracefs instance " + tracingDir_ + "/instances/" + instanceName_ +
                ": " + errnoText();
        return false;
    }
    // A new instance traces at once: keep it off until every reader is open.
    irqlens_tfs_tracing_on(instance_, false);
    return true;
}

bool LocalRecorder::enableFunctionGraph(std::string& error) {
    LocalFiles files(tracingDir_);
    const auto tracers = files.readFiles({"available_tracers"});
    const auto it = tracers.find("available_tracers");
    if (it == tracers.end() || it->second.find("function_graph") == std::string::npos) {
        error = "this kernel offers no function_graph tracer (available_tracers: " +
                (it == tracers.end() ? std::string("unreadable")
                                     : it->second.substr(0, it->second.find('\n'))) +
                "); use the bottom-halves or stacks preset";
        return false;
    }
    const std::string filterPath =
        std::string(irqlens_tfs_instance_dir(instance_)) + "/set_ftrace_filter";
    for (const auto& module : options_.modules) {
        const std::string filter = ":mod:" + module + "\n";
        const int fd = ::open(filterPath.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
        const bool ok = fd >= 0 && ::write(fd, filter.data(), filter.size()) ==
                                       static_cast<ssize_t>(filter.size());
        if (fd >= 0)
            ::close(fd);
        if (!ok) {
            error = "cannot limit function_graph to module " + module + ": " + errnoText();
            return false;
        }
    }
    if (irqlens_tfs_set_function_graph(instance_) != 0) {
        error = "the kernel refused the function_graph tracer (" + errnoText() +
                "); use the bottom-halves or stacks preset";
        return false;
    }
    return true;
}

bool LocalRecorder::writeInstanceFile(const std::string& file, const std::string& text,
                                      bool append) {
    const std::string path = std::string(irqlens_tfs_instance_dir(instance_)) + "/" + file;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | (append ? O_APPEND : O_TRUNC));
    const bool ok =
        fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const int saved = errno;
    if (fd >= 0)
        ::close(fd);
    errno = saved;
    return ok;
}

bool LocalRecorder::configure(const std::vector<EventName>& events, std::string& error) {
    // Wake the readers early in a burst (the kernel's default is 50 %).  Older
    // kernels have no buffer_percent: then the 5 ms drain alone keeps up.
    writeInstanceFile("buffer_percent", std::to_string(kBufferPercent));
    if (options_.bufferKb > 0 && irqlens_tfs_set_buffer_kb(instance_, options_.bufferKb) != 0) {
        error = "cannot set the buffer size to " + std::to_string(options_.bufferKb) +
                " KiB: " + errnoText();
        return false;
    }
    if (!cpuMask_.empty() && !writeInstanceFile("tracing_cpumask", cpuMask_)) {
        error = "cannot limit tracing to CPUs " + options_.cpus + ": " + errnoText();
        return false;
    }
    for (const auto& e : events) {
        // libtracefs takes regular expressions: anchor the exact names.
        const std::string system = "^" + e.system + "$", event = "^" + e.event + "$";
        if (irqlens_tfs_enable_event(instance_, system.c_str(), event.c_str()) != 0) {
            error = "cannot enable event " + e.system + ":" + e.event + ": " + errnoText();
            return false;
        }
    }
    if (options_.preset == "stacks" && irqlens_tfs_enable_stacktrace(instance_) != 0) {
        error = "cannot enable the stacktrace option: " + errnoText();
        return false;
    }
    if (options_.preset == "funcgraph")
        return enableFunctionGraph(error);
    return true;
}

bool LocalRecorder::openReaders(const std::vector<int>& cpus, int pageSize, std::string& error) {
    for (int cpu : cpus) {
        irqlens_tfs_cpu* reader = irqlens_tfs_cpu_open(instance_, cpu, pageSize);
        if (!reader) {
            error = "cannot open trace_pipe_raw of CPU " + std::to_string(cpu) + ": " + errnoText();
            return false;
        }
        readers_.emplace_back(cpu, reader);
    }
    return true;
}

// Reads whole pages as they fill and hands them over in batches (one write
// and one table update per batch, not per page).  Wakes on poll (when the
// buffer is kBufferPercent full) or every 5 ms, so a burst never waits long.
void LocalRecorder::readLoop(int cpu, irqlens_tfs_cpu* reader, int pageSize) {
    constexpr std::size_t kBatchPages = 64;
    const auto page = static_cast<std::size_t>(pageSize);
    std::vector<char> batch(page * kBatchPages);
    pollfd pfd{irqlens_tfs_cpu_fd(reader), POLLIN, 0};
    // A reader that waits behind the load it records loses events: run it
    // ahead of ordinary tasks (ignored without the privilege).
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kReaderNice);
    bool ok = true;
    auto drain = [&](auto readOne) {
        for (;;) {
            std::size_t filled = 0;
            int n = 0;
            while (filled + page <= batch.size() && (n = readOne(batch.data() + filled)) > 0)
                filled += static_cast<std::size_t>(n);
            if (filled > 0)
                ok = deliverPages(cpu, batch.data(), filled) && ok;
            if (n < 0) {
                std::lock_guard lock(readerErrorMutex_);
                readerError_ = "reading CPU " + std::to_string(cpu) + ": " + errnoText();
                ok = false;
            }
            if (!ok || filled + page <= batch.size())
                return; // nothing more for now
        }
    };
    while (ok && !readersStop_.load()) {
        ::poll(&pfd, 1, 5);
        drain([&](char* to) { return irqlens_tfs_cpu_read(reader, to); });
    }
    // Tracing is off now: take what is left, partial pages included.
    drain([&](char* to) { return irqlens_tfs_cpu_flush(reader, to); });
    --readersRunning_;
}

bool LocalRecorder::chooseCpus(LocalFiles& files, std::vector<int>& cpus, std::string& error) {
    if ((cpuCount_ = files.cpuCount(error)) < 1) {
        return false;
    }
    cpus.clear();
    if (options_.cpus.empty()) {
        for (int c = 0; c < cpuCount_; ++c) {
            cpus.push_back(c);
        }
        return true;
    }
    auto parsed = parseCpuList(options_.cpus, cpuCount_, error);
    if (!parsed) {
        return false;
    }
    cpus = *parsed;
    cpuMask_ = cpuMaskHex(cpus);
    return true;
}

bool LocalRecorder::prepare(TraceSink& sink, std::string& error) {
    if (!findTracefs(error)) {
        return false;
    }
    for (auto& line : removeStaleLocalInstances()) {
        warnings_.push_back(line);
    }
    LocalFiles files(tracingDir_);
    const auto events = selectTargetEvents(options_, files, warnings_, error);
    std::vector<int> cpus;
    if (!events || !chooseCpus(files, cpus, error) || !createInstance(error) ||
        !configure(*events, error)) {
        return false;
    }
    TraceMetadata meta;
    if (!collectMetadata(files, *events, "instances/" + instanceName_, meta, error) ||
        !sink.begin(meta, error)) {
        return false;
    }
    sink_ = &sink;
    resetCounters(meta.cpus, {meta.bigEndian, meta.longSize, meta.pageSize});
    if (!openReaders(cpus, static_cast<int>(meta.pageSize), error)) {
        return false;
    }
    readersRunning_ = static_cast<int>(readers_.size());
    for (auto& [cpu, reader] : readers_) {
        threads_.emplace_back(&LocalRecorder::readLoop, this, cpu, reader,
                              static_cast<int>(meta.pageSize));
    }
    return true;
}

bool LocalRecorder::start(TraceSink& sink, std::string& error) {
    if (!prepare(sink, error) || stopRequested()) {
        if (stopRequested() && error.empty()) {
            error = "stopped before the recording started";
        }
        teardown(); // readers joined: nothing writes into `sink` any more
        sink_ = nullptr;
        return false;
    }
    irqlens_tfs_tracing_on(instance_, true);
    markTracingStarted();
    return true;
}

void LocalRecorder::stopReaders() {
    if (instance_)
        irqlens_tfs_tracing_on(instance_, false);
    readersStop_ = true;
    for (auto& t : threads_)
        if (t.joinable())
            t.join();
    threads_.clear();
}

std::vector<std::string> LocalRecorder::readCpuStats() {
    std::vector<std::string> stats(static_cast<std::size_t>(cpuCount_));
    const std::string base = std::string(irqlens_tfs_instance_dir(instance_)) + "/per_cpu/cpu";
    for (int cpu = 0; cpu < cpuCount_; ++cpu)
        if (auto text = readWholeFile(base + std::to_string(cpu) + "/stats"))
            stats[static_cast<std::size_t>(cpu)] = *text;
    return stats;
}

void LocalRecorder::teardown() {
    stopReaders();
    for (auto& [cpu, reader] : readers_)
        irqlens_tfs_cpu_close(reader);
    readers_.clear();
    if (instance_) {
        if (irqlens_tfs_instance_destroy(instance_) != 0)
            warnings_.push_back("cannot remove tracefs instance " + instanceName_ + ": " +
                                errnoText());
        instance_ = nullptr;
    }
}

RecordResult LocalRecorder::wait(const ProgressCallback& progress) {
    RecordResult result;
    if (!waitForEnd(result, options_.durationSeconds, progress,
                    [this] { return sinkFailed_.load() || readersRunning_.load() == 0; }))
        return result;
    stopReaders();
    if (instance_ && sink_) {
        const auto stats = readCpuStats();
        for (std::size_t cpu = 0; cpu < stats.size(); ++cpu)
            sink_->cpuStats(static_cast<int>(cpu), stats[cpu]);
        sumCpuStats(stats, result.kernelOverrun, result.kernelDropped);
    }
    const auto cmdlines = readWholeFile(tracingDir_ + "/saved_cmdlines");
    if (sinkFailed_)
        result.error = sink_->lastError();
    else if (!readerError_.empty())
        result.error = readerError_;
    std::string endError;
    result.ok = sink_ && sink_->end(cmdlines.value_or(""), endError);
    if (!endError.empty() && result.error.empty())
        result.error = endError;
    sink_ = nullptr;
    teardown();
    result.counters = counters();
    result.warnings = warnings_;
    return result;
}

} // namespace

std::unique_ptr<Recorder> makeLocalRecorder(const RecordOptions& options) {
    return std::make_unique<LocalRecorder>(options);
}

} // namespace irqlens
