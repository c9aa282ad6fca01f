// irqlens-bench-render [FILE] [--copies N] [--size WxH]
// Loads FILE (default big.dat), optionally tiles it N times (N=3 gives ~10 M
// events from big.dat), then renders the timeline offscreen at zoom levels
// from the whole capture down to microseconds and prints, per level, the
// cold repaint time of the timeline (lanes recomputed), the warm repaint
// (cached lanes: selection/hover), the full-window repaint and the number of
// primitives drawn.
#include "app/gui/capture_session.h"
#include "app/gui/latency/latency_view.h"
#include "app/gui/main_window.h"
#include "app/gui/screenshot.h"
#include "app/gui/time_format.h"
#include "app/gui/timeline/event_filter.h"
#include "app/gui/timeline/timeline_canvas.h"
#include "app/gui/timeline/timeline_data.h"
#include "parsers/capture_loader.h"
#include "tiled_store.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

using namespace irqlens;
using namespace irqlens::gui;

namespace {
double msSince(const QElapsedTimer& t) {
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

// CPU time of this thread: the machine may be shared, wall time then
// includes waiting for a core.
double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

std::shared_ptr<LoadedCapture> prepare(const QString& path, int copies) {
    QElapsedTimer t;
    t.start();
    LoadResult r = loadCapture(path.toStdString());
    if (!r.ok()) {
        std::fprintf(stderr, "irqlens-bench-render: %s\n", r.error.c_str());
        std::exit(2);
    }
    std::printf("load        %8.0f ms  %zu events\n", msSince(t), r.store->totalEvents());
    auto capture = std::make_shared<LoadedCapture>();
    capture->path = path;
    if (copies > 1) {
        t.restart();
        capture->store = bench::tiledStore(*r.store, copies);
        std::printf("tile x%d    %8.0f ms  %zu events\n", copies, msSince(t),
                    capture->store->totalEvents());
    } else {
        capture->store = std::move(r.store);
    }
    t.restart();
    capture->analysis = std::make_shared<const Analysis>(analyze(*capture->store));
    std::printf("analyze     %8.0f ms  %zu spans + %zu task runs, %zu episodes\n", msSince(t),
                capture->analysis->spans.size(), capture->analysis->taskRuns.size(),
                capture->analysis->episodes.size());
    t.restart();
    const auto data = timelineDataFor(*capture);
    const double events = static_cast<double>(capture->store->totalEvents());
    std::printf("timeline    %8.0f ms  layout %.1f MB, event order %.2f B/event\n", msSince(t),
                static_cast<double>(data->layout.bytesUsed()) / 1e6,
                static_cast<double>(data->order.bytesUsed()) / events);
    return capture;
}

// A latency group switch as the user makes it (LatencyView::showGroup: sort
// on first use, summary, histogram, CDF, percentile table), for the largest
// groups first: the goal is <= 200 ms for any group.
void printGroupSwitches(MainWindow& window) {
    auto* view = window.findChild<LatencyView*>();
    if (!view) {
        return;
    }
    QElapsedTimer t;
    t.start();
    view->reload();
    std::printf("\nlatency groups built in %.0f ms\n", msSince(t));
    const CaptureGroups* groups = view->groups();
    if (!groups || groups->size() == 0) {
        return;
    }
    std::vector<std::size_t> order(groups->size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return groups->group(a).values.size() > groups->group(b).values.size();
    });
    order.resize(std::min<std::size_t>(order.size(), 6));
    std::printf("%-50s %12s %10s %10s\n", "group switch (largest groups)", "values", "first ms",
                "again ms");
    for (std::size_t g : order) {
        t.restart();
        view->showGroup(static_cast<int>(g));
        const double first = msSince(t);
        view->showGroup(static_cast<int>(order.front() == g ? order.back() : order.front()));
        t.restart();
        view->showGroup(static_cast<int>(g));
        std::printf("%-50s %12zu %10.1f %10.1f\n", groupId(groups->group(g)).c_str(),
                    groups->group(g).values.size(), first, msSince(t));
    }
}
} // namespace

int main(int argc, char** argv) {
    setenv("QT_QPA_PLATFORM", "offscreen", 0);
    QApplication app(argc, argv);
    QString path = QStringLiteral(IRQLENS_TEST_DATA_DIR "/big.dat");
    int copies = 1;
    QSize size(1600, 1000);
    const QStringList args = QApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == "--copies" && i + 1 < args.size()) {
            copies = std::max(1, args[++i].toInt());
        } else if (args[i] == "--size" && i + 1 < args.size()) {
            size = parseSize(args[++i]).value_or(size);
        } else {
            path = args[i];
        }
    }
    const auto capture = prepare(path, copies);
    MainWindow window;
    window.resize(size);
    window.setAttribute(Qt::WA_DontShowOnScreen, true);
    window.show();
    window.session()->setCurrent(capture);
    window.showView(QStringLiteral("timeline")); // the Overview is the first tab
    QApplication::processEvents();
    auto* canvas = window.findChild<TimelineCanvas*>();
    QImage image(canvas->size(), QImage::Format_ARGB32_Premultiplied);
    QImage full(window.size(), QImage::Format_ARGB32_Premultiplied);
    const std::int64_t t0 = capture->store->firstTs();
    const std::int64_t len = capture->store->lastTs() - t0;
    std::printf("\nwindow %dx%d, timeline %dx%d\n", size.width(), size.height(), canvas->width(),
                canvas->height());
    std::printf("%-10s %9s %9s %9s %9s %9s %11s %11s\n", "view", "cold ms", "cold cpu", "warm ms",
                "window ms", "win cpu", "primitives", "spans seen");
    constexpr int kFrames = 10;
    for (double fraction = 1.0; fraction >= 1e-7; fraction /= 10) {
        const auto viewLen = std::max<std::int64_t>(
            static_cast<std::int64_t>(static_cast<double>(len) * fraction), 200);
        double cold = 0;
        double warm = 0;
        double whole = 0;
        double coldCpu = 0;
        double wholeCpu = 0;
        for (int f = 0; f < kFrames; ++f) {
            // Pan a little each frame so nothing is cached between cold frames.
            const std::int64_t start = t0 + (len - viewLen) / 2 + f * viewLen / 50;
            canvas->setViewRange(start, start + viewLen);
            QElapsedTimer t;
            t.start();
            double cpu = threadCpuMs();
            canvas->render(&image);
            cold += msSince(t);
            coldCpu += threadCpuMs() - cpu;
            t.restart();
            canvas->render(&image);
            warm += msSince(t);
            canvas->invalidateLanes();
            t.restart();
            cpu = threadCpuMs();
            window.render(&full);
            whole += msSince(t);
            wholeCpu += threadCpuMs() - cpu;
        }
        const LodStats stats = canvas->lastPaintStats();
        std::printf("%-10s %9.2f %9.2f %9.2f %9.2f %9.2f %11lld %11lld\n",
                    qPrintable(formatDuration(viewLen)), cold / kFrames, coldCpu / kFrames,
                    warm / kFrames, whole / kFrames, wholeCpu / kFrames,
                    static_cast<long long>(stats.primitives),
                    static_cast<long long>(stats.spansVisited));
    }
    // The event table's filters (they run off the GUI thread in the app).
    std::printf("\n%-34s %10s %12s\n", "table filter", "ms", "rows");
    const auto data = timelineDataFor(*capture);
    const std::atomic<bool> cancel{false};
    const std::pair<const char*, EventFilter> filters[] = {
        {"event name irq_handler_entry",
         {std::nullopt, {}, QStringLiteral("irq_handler_entry"), {}}},
        {"CPU 1", {1, {}, {}, {}}},
        {"task kworker", {std::nullopt, QStringLiteral("kworker"), {}, {}}},
    };
    for (const auto& [name, filter] : filters) {
        QElapsedTimer t;
        t.start();
        const auto rows = filterEvents(*capture->store, data->order, filter, cancel);
        std::printf("%-34s %10.0f %12zu\n", name, msSince(t), rows ? rows->size() : 0);
    }
    printGroupSwitches(window);
    return 0;
}
