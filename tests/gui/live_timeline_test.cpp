// The live timeline data grown picture by picture (extendTimelineData, as
// LiveView does) against the same data built from scratch: a sample is fed
// to a growing store in chunks of 40 events (a ring-buffer page) with one
// CPU's first chunk last; at every picture the incremental layout must equal
// TimelineLayout built in one go from the same picture, and the event order
// the first rows of the finished capture's merge (forEachInTimeOrder).
#include "app/gui/timeline/event_table_model.h"
#include "app/gui/timeline/timeline_canvas.h"
#include "app/gui/timeline/timeline_data.h"
#include "app/gui/timeline/timeline_view.h"
#include "core/spans/live_analysis.h"
#include "gui_test_support.h"
#include "parsers/capture_loader.h"

#include <QSignalSpy>
#include <QTableView>
#include <algorithm>
#include <gtest/gtest.h>
#include <tuple>

namespace irqlens::gui::test {
namespace {

constexpr std::size_t kChunk = 40;

// "" when equal, else the first difference.
std::string layoutDifference(const TimelineLayout& a, const TimelineLayout& b,
                             const Analysis& picture) {
    const std::size_t spans = picture.spans.size();
    if (a.rows().size() != b.rows().size()) {
        return "rows " + std::to_string(a.rows().size()) + " vs " + std::to_string(b.rows().size());
    }
    for (std::size_t r = 0; r < a.rows().size(); ++r) {
        const TimelineRow &x = a.rows()[r], &y = b.rows()[r];
        if (std::tie(x.cpu, x.mechanism, x.subKey) != std::tie(y.cpu, y.mechanism, y.subKey) ||
            x.tracks.size() != y.tracks.size()) {
            return "row " + std::to_string(r);
        }
        for (std::size_t t = 0; t < x.tracks.size(); ++t) {
            const TimelineTrack &p = x.tracks[t], &q = y.tracks[t];
            if (!std::is_sorted(p.starts.begin(), p.starts.end())) {
                return "row " + std::to_string(r) + " track " + std::to_string(t) + " out of order";
            }
            if (p.ids != q.ids || p.starts != q.starts || p.ends != q.ends ||
                p.busyPrefix != q.busyPrefix) {
                return "row " + std::to_string(r) + " track " + std::to_string(t) + " (" +
                       std::to_string(p.size()) + " vs " + std::to_string(q.size()) + " spans)";
            }
        }
    }
    for (SpanId id = 0; id < spans; ++id) {
        const SpanPlace p = a.placeOf(id), q = b.placeOf(id);
        if (p.row != q.row || p.track != q.track) {
            return "place of span " + std::to_string(id);
        }
    }
    const TaskRuns& runs = picture.taskRuns;
    for (std::size_t c = 0; c < runs.cpus.size(); ++c) {
        for (std::size_t i = 0; i < runs.cpus[c].size(); ++i) {
            const SpanId id = runs.id(static_cast<std::uint16_t>(c), i);
            const SpanPlace p = a.placeOf(id), q = b.placeOf(id);
            if (p.row != q.row || p.track != q.track) {
                return "place of task run " + std::to_string(i) + " of CPU " + std::to_string(c);
            }
        }
    }
    if (a.groups().size() != b.groups().size()) {
        return "groups";
    }
    return "";
}

std::vector<int> printCpus(const TimelineData& data) {
    std::vector<int> cpus;
    for (std::size_t c = 0; c < data.printsByCpu.size(); ++c) {
        if (!data.printsByCpu[c].empty()) {
            cpus.push_back(static_cast<int>(c));
        }
    }
    return cpus;
}

struct Chunk {
    int cpu;
    std::size_t first, last;
    std::int64_t ts;
};

// Every CPU's chunks in time order, the busiest CPU's all after the others.
std::vector<Chunk> chunks(const std::vector<CpuEvents>& src) {
    std::vector<Chunk> out;
    int late = 0;
    for (int c = 0; c < static_cast<int>(src.size()); ++c) {
        late = src[c].size() > src[late].size() ? c : late;
        for (std::size_t i = 0; i < src[c].size(); i += kChunk) {
            out.push_back({c, i, std::min(i + kChunk, src[c].size()), src[c].ts(i)});
        }
    }
    std::stable_sort(out.begin(), out.end(), [late](const Chunk& a, const Chunk& b) {
        return std::tuple(a.cpu == late, a.ts) < std::tuple(b.cpu == late, b.ts);
    });
    return out;
}

// A sample fed back to its emptied store chunk by chunk, with the picture
// and the timeline data grown as LiveView grows them.
struct LiveFeed {
    std::shared_ptr<EventStore> store;
    std::vector<CpuEvents> src;
    std::vector<Chunk> order;
    std::unique_ptr<LiveAnalyzer> live;
    std::shared_ptr<Analysis> picture = std::make_shared<Analysis>();
    std::shared_ptr<TimelineData> data = std::make_shared<TimelineData>();

    explicit LiveFeed(const char* name) {
        auto loaded = loadCapture(qDataPath(name).toStdString());
        EXPECT_TRUE(loaded.ok()) << loaded.error;
        store = std::move(loaded.store);
        src.resize(static_cast<std::size_t>(store->cpuCount()));
        for (int c = 0; c < store->cpuCount(); ++c) {
            std::swap(src[c], store->cpuEventsMutable(c));
        }
        order = chunks(src);
        live = std::make_unique<LiveAnalyzer>(*store);
    }
    // Appends chunk n and walks (past the last chunk: walks everything).
    void feed(std::size_t n) {
        if (n >= order.size()) {
            live->advanceAll();
            return;
        }
        const Chunk& k = order[n];
        for (std::size_t i = k.first; i < k.last; ++i) {
            store->cpuEventsMutable(k.cpu).append(src[k.cpu].at(i), 0);
        }
        live->advance();
    }
    void takePicture() {
        LivePictureDelta d = live->delta();
        applyLiveDelta(*picture, d);
        std::vector<SpanId> changed;
        for (const auto& c : d.changed) {
            changed.push_back(c.first);
        }
        // The event order merged apart and appended, as LiveView does.
        const std::vector<std::size_t> limits = live->walkedPerCpu();
        std::vector<std::size_t> from = ordered;
        from.resize(limits.size(), 0);
        const std::vector<std::uint16_t> rows = EventOrder::merge(*store, from, limits);
        extendTimelineData(*data, *store, *picture, changed, static_cast<SpanId>(d.firstAdded),
                           d.taskFrom, limits, &rows);
        ordered = limits;
    }
    std::vector<std::size_t> ordered; // each CPU's events in the event order
};

class LiveTimelineTest : public ::testing::TestWithParam<const char*> {};

TEST_P(LiveTimelineTest, GrownPictureEqualsTheOneBuiltFromScratch) {
    const auto full = loadCapture(qDataPath(GetParam()).toStdString());
    ASSERT_TRUE(full.ok()) << full.error;
    std::vector<EventRef> merged;
    full.store->forEachInTimeOrder([&](EventRef ref) { merged.push_back(ref); });
    LiveFeed f(GetParam());
    int compared = 0;
    for (std::size_t n = 0; n <= f.order.size(); ++n) {
        f.feed(n);
        if (n % 4 != 0 && n != f.order.size()) {
            continue; // pictures come after several pages
        }
        f.takePicture();
        const TimelineLayout scratch(*f.store, *f.picture, printCpus(*f.data));
        ASSERT_EQ(layoutDifference(f.data->layout, scratch, *f.picture), "")
            << "at chunk " << n << " of " << f.order.size();
        ASSERT_LE(f.data->order.size(), merged.size());
        for (std::size_t r = 0; r < f.data->order.size(); r += 7) {
            ASSERT_EQ(f.data->order.at(r), merged[r]) << "row " << r << " at chunk " << n;
        }
        ++compared;
    }
    EXPECT_GT(compared, 5);
    EXPECT_EQ(f.data->order.size(), merged.size());
    EXPECT_GT(f.picture->spans.size() + f.picture->taskRuns.size(), 100u); // task runs: a table
}

// The next picture of `f`, shown as LiveView shows it.
// A sample fed as a recording, and a main window shown at 1200 x 800 with
// its timeline view.
struct LiveWindow {
    explicit LiveWindow(const char* sample) : app((ensureApp(), true)), feed(sample) {
        window.resize(1200, 800);
        window.show();
        view = qobject_cast<TimelineView*>(window.view(QStringLiteral("timeline")));
    }
    bool app; // the application exists before the window
    LiveFeed feed;
    MainWindow window;
    TimelineView* view = nullptr;
};

void showPicture(LiveFeed& f, MainWindow& window) {
    f.takePicture();
    auto capture = std::make_shared<LoadedCapture>();
    capture->store = f.store;
    capture->analysis = f.picture;
    capture->live = true;
    rememberTimelineData(*capture, f.data);
    window.session()->setCurrent(capture);
}

// The timeline view shown pictures of one growing capture (as LiveView
// makes them): the event table grows by rowsInserted, never a reset, and a
// zoom the user chose stays.  Without the view's grow path, each picture
// would reset the model and the zoom (the spies would see it).
TEST(LiveTimelineView, TableGrowsByInsertedRowsAndTheZoomStays) {
    LiveWindow shown("net_v6.dat");
    ASSERT_TRUE(shown.view);
    LiveFeed& f = shown.feed;
    MainWindow& window = shown.window;
    TimelineView* view = shown.view;
    QSignalSpy inserted(view->model(), &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(view->model(), &QAbstractItemModel::modelReset);
    std::int64_t zoom0 = 0, zoom1 = 0;
    int pictures = 0, grew = 0; // grew: pictures after the first with new rows
    std::size_t rows = 0;
    for (std::size_t n = 0; n < f.order.size(); n += 1) {
        f.feed(n);
        if (n % 200 != 199) {
            continue;
        }
        showPicture(f, window);
        ++pictures;
        grew += pictures > 1 && f.data->order.size() > rows ? 1 : 0;
        rows = f.data->order.size();
        EXPECT_EQ(static_cast<std::size_t>(view->model()->rowCount({})), rows);
        if (pictures == 1) {
            reset.clear();
            inserted.clear();
            const std::int64_t first = f.store->firstTs();
            view->canvas()->setViewRange(first + (f.store->lastTs() - first) / 4,
                                         first + (f.store->lastTs() - first) / 3);
            zoom0 = view->canvas()->viewStart();
            zoom1 = view->canvas()->viewEnd();
        } else {
            EXPECT_EQ(view->canvas()->viewStart(), zoom0) << "picture " << pictures;
            EXPECT_EQ(view->canvas()->viewEnd(), zoom1) << "picture " << pictures;
        }
    }
    ASSERT_GE(grew, 4);
    EXPECT_EQ(reset.count(), 0);
    EXPECT_EQ(inserted.count(), grew);
    EXPECT_GT(f.data->order.size(), 0u);
}

// A live table holds a window of the newest rows (a QTableView's header
// costs 8 bytes and a walk per row): it slides while no row is picked, an
// event picked outside it moves it there, and a picked row stops it.  The
// rows shown are checked against the event order itself.
TEST(LiveTimelineView, LiveTableShowsAWindowOfTheNewestRows) {
    LiveWindow shown("net_v6.dat");
    ASSERT_TRUE(shown.view);
    LiveFeed& f = shown.feed;
    MainWindow& window = shown.window;
    TimelineView* view = shown.view;
    EventTableModel* model = view->model();
    constexpr std::size_t kWindow = 300;
    model->setLiveWindow(kWindow);
    QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
    std::size_t n = 0;
    for (; n < f.order.size() && f.data->order.size() < 5 * kWindow; ++n) {
        f.feed(n);
        showPicture(f, window); // a picture per page: most add fewer rows than the window
        const std::size_t total = f.data->order.size();
        ASSERT_EQ(static_cast<std::size_t>(model->rowCount({})), std::min(total, kWindow));
        if (total == 0) {
            continue; // nothing walked yet (the watermark)
        }
        const int last = model->rowCount({}) - 1;
        ASSERT_EQ(model->refAt(last), f.data->order.at(total - 1)) << "the newest row";
        ASSERT_EQ(model->refAt(0), f.data->order.at(total - std::min(total, kWindow)));
    }
    ASSERT_GE(f.data->order.size(), 2 * kWindow) << "net_v6.dat is too short for this test";
    EXPECT_GT(removed.count(), 0);
    // An event older than the window, picked elsewhere (the timeline): the
    // window moves to it and the table's current row is that event.
    const EventRef old = f.data->order.at(5);
    ASSERT_LT(model->rowOf(old), 0);
    window.session()->selectEvent(old);
    const QModelIndex current = view->table()->currentIndex();
    ASSERT_TRUE(current.isValid());
    EXPECT_EQ(model->refAt(current.row()), old);
    EXPECT_EQ(model->windowFirst(), 0u);
    // A picked row stops the window: more pictures keep its rows.
    const std::size_t first = model->windowFirst();
    for (std::size_t k = 0; k < 100 && n < f.order.size(); ++k, ++n) {
        f.feed(n);
    }
    showPicture(f, window);
    EXPECT_EQ(model->windowFirst(), first);
    EXPECT_EQ(model->refAt(view->table()->currentIndex().row()), old);
}

INSTANTIATE_TEST_SUITE_P(Samples, LiveTimelineTest,
                         ::testing::Values("irq_wq.dat", "threaded.dat", "net_v6.dat",
                                           "irq_stack.dat",
                                           "arm-software-trappy-juno-arm64-bprint-multiline.dat"),
                         [](const auto& param) {
                             const std::string name = param.param;
                             std::string s = name.substr(0, name.find('.'));
                             std::replace(s.begin(), s.end(), '-', '_');
                             return s;
                         });

} // namespace
} // namespace irqlens::gui::test
