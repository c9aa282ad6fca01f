// irqlens-bench-live: a local recording shown live in an offscreen main
// window while the tests' load generator runs (disk writes with fdatasync,
// loopback TCP ping-pong), then the same recording without the GUI, for
// the events lost.  Prints one JSON object:
//   {"events":N,"pictures":P,"apply_ms_p95":x,"apply_ms_max":y,"lost":L,
//    "lost_without_gui":L0, ...}
// apply_ms: GUI-thread time per picture (decoded events appended, analysis
// advanced, views updated).  Needs root and tracefs.
//   irqlens-bench-live [--duration S] [--interval MS] [--no-baseline]
#include "app/gui/capture_session.h"
#include "app/gui/main_window.h"
#include "app/gui/record/live_view.h"
#include "app/live/live_sink.h"
#include "core/record/recorder.h"
#include "core/record/remote_recorder.h"
#include "core/record/tracedat_file_sink.h"
#include "tests/record/record_fixture.h"
#include "tests/record/sshd_fixture.h"

#include <QApplication>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

using namespace irqlens;

struct Args {
    double duration = 10;
    int interval = gui::LiveView::kDefaultIntervalMs;
    bool baseline = true;
    bool remote = false; // over the tests' loopback sshd (as a Pi would be reached)
};

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--duration" && i + 1 < argc) {
            a.duration = std::atof(argv[++i]);
        } else if (arg == "--interval" && i + 1 < argc) {
            a.interval = std::atoi(argv[++i]);
        } else if (arg == "--no-baseline") {
            a.baseline = false;
        } else if (arg == "--remote") {
            a.remote = true;
        } else {
            std::cerr << "usage: irqlens-bench-live [--duration S] [--interval MS] [--no-baseline] "
                         "[--remote]\n";
            std::exit(2);
        }
    }
    return a;
}

std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string one;
    in >> one;
    return one;
}

struct Run {
    RecordResult result;
    std::string error;
};

// One recording of `seconds` into `sink` under load; `whileRunning` is
// called on this thread until it ends (the GUI's event loop, or a sleep).
template <typename Poll>
Run record(TraceSink& sink, double seconds, const std::filesystem::path& dir,
           const std::string& destination, Poll&& whileRunning) {
    Run run;
    RecordOptions options;
    options.durationSeconds = seconds;
    auto recorder = destination.empty() ? makeLocalRecorder(options)
                                        : makeRemoteRecorder(options, destination, run.error);
    if (!recorder) {
        return run;
    }
    test::LoadGenerator load(dir);
    std::atomic<bool> done{false};
    std::thread worker([&] {
        if (recorder->start(sink, run.error)) {
            run.result = recorder->wait();
        }
        done = true;
    });
    while (!done) {
        whileRunning();
    }
    worker.join();
    load.stop();
    return run;
}

// Resident memory of this process (VmRSS): what the live picture really costs,
// where bytesUsed() counts capacity the columns reserved but never touched.
std::size_t residentBytes() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return static_cast<std::size_t>(std::atoll(line.c_str() + 6)) * 1024;
        }
    }
    return 0;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

// The five longest gaps as [picture, gap ms, worker ms, worker CPU ms,
// GUI ms]: where a slow picture came from.
std::string slowest(const gui::LiveViewStats& st) {
    std::vector<std::size_t> order(st.gapsMs.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return st.gapsMs[a] > st.gapsMs[b]; });
    std::ostringstream out;
    out << "[";
    for (std::size_t k = 0; k < std::min<std::size_t>(5, order.size()); ++k) {
        const auto picture = static_cast<std::size_t>(st.gapPictures[order[k]]);
        out << (k ? "," : "") << "[" << picture << "," << st.gapsMs[order[k]] << ","
            << st.workerMs[picture] << "," << st.workerCpuMs[picture] << "," << st.applyMs[picture]
            << "]";
    }
    out << "]";
    return out.str();
}

struct Baseline {
    std::uint64_t lost = 0, events = 0;
};

// The same recording without the GUI, into the file only.
bool recordBaseline(const Args& args, const std::filesystem::path& dir,
                    const std::string& destination, Baseline& out) {
    TraceDatFileSink file((dir / "baseline.dat").string());
    const Run base = record(file, args.duration, dir, destination, [] { QThread::msleep(50); });
    std::filesystem::remove(dir / "baseline.dat");
    if (!base.error.empty() || !base.result.ok) {
        std::cerr << "baseline recording failed: " << base.error << base.result.error << "\n";
        return false;
    }
    out = {base.result.counters.lost, base.result.counters.events};
    return true;
}

// One JSON object; the first six keys are the issue's, the rest explain them.
struct Memory {
    std::size_t rssBefore = 0; // the process with its window, before recording
    std::size_t analyzer = 0, analysis = 0, timeline = 0;
};

std::string report(const Args& args, const gui::LiveViewStats& st, const RecordResult& result,
                   const Baseline& base, const gui::LoadedCapture* shown,
                   const std::string& loadBefore, const Memory& mem) {
    const double storeBytes = shown ? static_cast<double>(shown->store->bytesFilled()) : 0;
    const double analysisBytes = static_cast<double>(mem.analysis);
    const double events = std::max<double>(1, static_cast<double>(st.events));
    const double rss = static_cast<double>(residentBytes());
    std::ostringstream json;
    json.setf(std::ios::fixed);
    json.precision(1);
    json << "{\"events\":" << st.events << ",\"pictures\":" << st.pictures
         << ",\"apply_ms_p95\":" << percentile(st.applyMs, 0.95)
         << ",\"apply_ms_max\":" << percentile(st.applyMs, 1.0)
         << ",\"lost\":" << result.counters.lost << ",\"lost_without_gui\":" << base.lost
         << ",\"recorded_events\":" << result.counters.events
         << ",\"recorded_events_without_gui\":" << base.events
         << ",\"remote\":" << (args.remote ? "true" : "false")
         << ",\"duration_s\":" << args.duration << ",\"max_gap_ms\":" << st.maxGapMs
         << ",\"apply_ms_median\":" << percentile(st.applyMs, 0.5)
         << ",\"apply_cpu_ms_p95\":" << percentile(st.applyCpuMs, 0.95)
         << ",\"apply_cpu_ms_max\":" << percentile(st.applyCpuMs, 1.0)
         << ",\"gui_ms_append_max\":" << st.appendMsMax << ",\"gui_ms_views_max\":" << st.viewsMsMax
         << ",\"worker_ms_median\":" << percentile(st.workerMs, 0.5)
         << ",\"worker_ms_p95\":" << percentile(st.workerMs, 0.95)
         << ",\"worker_ms_max\":" << percentile(st.workerMs, 1.0)
         << ",\"worker_cpu_ms_p95\":" << percentile(st.workerCpuMs, 0.95)
         << ",\"worker_cpu_ms_max\":" << percentile(st.workerCpuMs, 1.0)
         << ",\"gap_ms_p95\":" << percentile(st.gapsMs, 0.95) << ",\"gaps_over_500ms\":"
         << std::count_if(st.gapsMs.begin(), st.gapsMs.end(), [](double g) { return g > 500; })
         << ",\"slowest_pictures\":" << slowest(st)
         << ",\"store_bytes_per_event\":" << storeBytes / events
         << ",\"analysis_bytes_per_event\":" << analysisBytes / events
         << ",\"analyzer_bytes_per_event\":" << static_cast<double>(mem.analyzer) / events
         << ",\"timeline_bytes_per_event\":" << static_cast<double>(mem.timeline) / events
         << ",\"rss_bytes_per_event\":" << rss / events << ",\"rss_over_baseline_bytes_per_event\":"
         << (rss - static_cast<double>(mem.rssBefore)) / events
         << ",\"gui_ms_delta_max\":" << st.deltaMsMax << ",\"gui_ms_mean_append_delta_views\":["
         << st.appendMs / std::max(1, st.pictures) << "," << st.deltaMs / std::max(1, st.pictures)
         << "," << st.viewsMs / std::max(1, st.pictures) << "]"
         << ",\"late_events\":" << st.lateEvents << ",\"walked_events\":" << st.walked
         << ",\"loadavg_before\":" << loadBefore << ",\"loadavg_after\":" << loadAverage() << "}";
    return json.str();
}

// The recording shown live in an offscreen main window; prints the JSON.
int recordLive(const Args& args, const std::filesystem::path& dir, const std::string& destination,
               const Baseline& base, const std::string& loadBefore) {
    gui::MainWindow window;
    window.setQuietErrors(true);
    window.resize(1400, 900);
    window.show();
    // As the Record dialog does: the timeline is in front while recording.
    emit window.session()->viewRequested(QStringLiteral("timeline"));
    gui::LiveView live(window.session());
    QApplication::processEvents();
    Memory mem;
    mem.rssBefore = residentBytes();
    TraceDatFileSink file((dir / "live.dat").string());
    live::LiveSink sink(file);
    live.start(&sink, QStringLiteral("live.dat"), args.interval);
    const Run run = record(sink, args.duration, dir, destination, [] {
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(1);
    });
    live.stop();
    mem.analyzer = live.analyzerBytes();
    mem.analysis = live.analysisBytes();
    mem.timeline = live.timelineBytes();
    if (!run.error.empty() || !run.result.ok) {
        std::cerr << "live recording failed: " << run.error << run.result.error << "\n";
        return 1;
    }
    std::cout << report(args, live.stats(), run.result, base, window.session()->current().get(),
                        loadBefore, mem)
              << std::endl;
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    const Args args = parse(argc, argv);
    if (const std::string why = test::tracefsUnavailableReason(); !why.empty()) {
        std::cerr << "irqlens-bench-live: " << why << "\n";
        return 1;
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("XDG_CONFIG_HOME", "/tmp/irqlens-bench-live-config");
    QApplication app(argc, argv);
    char tmpl[] = "/tmp/irqlens-bench-live-XXXXXX";
    const std::filesystem::path dir = ::mkdtemp(tmpl);
    const std::string loadBefore = loadAverage();
    std::unique_ptr<test::LoopbackSshd> sshd;
    std::string destination;
    if (args.remote) {
        sshd = std::make_unique<test::LoopbackSshd>(dir / "sshd");
        if (!sshd->error().empty()) {
            std::cerr << "irqlens-bench-live: no loopback sshd: " << sshd->error() << "\n";
            return 1;
        }
        ::setenv("IRQLENS_SSH_CONFIG", sshd->goodConfig().c_str(), 1);
        destination = sshd->destination();
    }
    Baseline base;
    int rc = args.baseline && !recordBaseline(args, dir, destination, base) ? 1 : 0;
    if (rc == 0) {
        rc = recordLive(args, dir, destination, base, loadBefore);
    }
    sshd.reset();
    std::filesystem::remove_all(dir);
    return rc;
}
