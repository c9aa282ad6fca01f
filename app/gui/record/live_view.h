// Makes the main window's capture grow while a recording runs, without ever
// reading the file being written.
//
// A cycle: on the GUI thread, the events the LiveSink's decoder turned out
// since the last cycle are appended to the live store (LiveDecoder::apply,
// cheap: new events only); then a worker walks the new events with the
// LiveAnalyzer up to the safe watermark and takes what changed since the
// last picture (LiveAnalyzer::delta: new spans, the few open ones, the
// episode tables); back on the GUI thread that delta is applied to the one
// analysis and the one timeline data the views show (both grow in place:
// spans appended in build order, tracks and event order extended), and the
// views take the new picture.  Nothing is rebuilt from every event.  While
// the worker runs, the store and the shown analysis are only read (by it
// and by the views painting); they change on the GUI thread only, with the
// store lock held exclusively (a view's worker, an event filter, holds it
// shared), so no reader ever sees a column move.  The timeline keeps the
// user's zoom and follows the end only when it shows the end; the latency
// view keeps its group; hidden views wait until they are shown.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <memory>
#include <shared_mutex>
#include <vector>

class QTimer;
template <typename T> class QFutureWatcher;

namespace irqlens {
class LiveAnalyzer;
struct Analysis;
namespace live {
class LiveSink;
}
} // namespace irqlens

namespace irqlens::gui {

class CaptureSession;
struct LoadedCapture;
struct TimelineData;

struct LiveViewStats {
    int ticks = 0;
    int pictures = 0;                // pictures shown (the views took a new capture)
    std::uint64_t events = 0;        // events in the live store at the last picture
    std::uint64_t walked = 0;        // events the analysis walked (before the watermark)
    std::uint64_t lateEvents = 0;    // walked out of order (a CPU idle too long woke up)
    std::vector<double> applyMs;     // GUI-thread time of each picture (append + show)
    std::vector<double> applyCpuMs;  // the same as CPU time of the GUI thread
    std::vector<double> workerMs;    // worker time of each picture (walk, delta)
    std::vector<double> workerCpuMs; // the same as CPU time of the worker's thread
    // Time between two pictures, from the first picture with events on.
    double maxGapMs = 0;          // the longest
    std::vector<double> gapsMs;   // each, and the picture it ends at (index
    std::vector<int> gapPictures; // into applyMs, workerMs ...)
    // GUI thread, summed: appending decoded events, applying the delta to the
    // analysis and the timeline data, the views taking the picture.
    double appendMs = 0, deltaMs = 0, viewsMs = 0;
    double appendMsMax = 0, deltaMsMax = 0, viewsMsMax = 0;
};

class LiveView : public QObject {
    Q_OBJECT
public:
    explicit LiveView(CaptureSession* session, QObject* parent = nullptr);
    ~LiveView() override; // waits for the worker

    static constexpr int kDefaultIntervalMs = 150;
    static constexpr int kPollMs = 50; // how often a due cycle is looked for
    // A CPU without new events for this long stops holding the analysis back.
    static constexpr int kIdleCpuMs = 1000;
    // Shows the pages `sink` decodes; the captures shown carry the name `shownAs`.
    void start(live::LiveSink* sink, const QString& shownAs, int intervalMs = kDefaultIntervalMs);
    // Stops the cycles (waits for a worker in flight: it reads the sink's store).
    void stop();
    bool isRunning() const;
    const LiveViewStats& stats() const { return stats_; }
    // Memory of the live state: the analyzer's walk, the shown analysis, the
    // shown timeline data (layout, event order, samples, marks).
    std::size_t analyzerBytes() const;
    std::size_t analysisBytes() const; // spans by size: reserved room is not memory
    std::size_t timelineBytes() const;

signals:
    // After a picture was shown (events in the live store).
    void pictured(quint64 events);

private:
    struct Picture;
    void tick();
    void updateIdleCpus(const std::vector<std::uint64_t>& newEvents);
    void startWorker(double appendMs, double appendCpuMs);
    bool applyPending(); // false: a view's worker holds the store lock
    void show(const std::shared_ptr<Picture>& picture);
    void waitForWorker();

    CaptureSession* session_;
    QTimer* timer_ = nullptr;
    live::LiveSink* sink_ = nullptr;
    std::shared_ptr<LiveAnalyzer> analyzer_;
    QFutureWatcher<std::shared_ptr<Picture>>* worker_ = nullptr;
    QString shownAs_;
    QElapsedTimer clock_;
    std::vector<qint64> lastDelivery_; // per CPU, ms on clock_
    qint64 lastPictureMs_ = -1;
    qint64 lastCycleMs_ = -1; // when the last cycle with new events started
    int intervalMs_ = kDefaultIntervalMs;
    std::int64_t previousLast_ = -1; // the store's last ts at the previous picture
    // What the views show, grown in place picture after picture.
    std::shared_ptr<Analysis> analysis_;
    std::shared_ptr<TimelineData> timeline_;
    std::shared_ptr<Picture> pending_;       // built, not applied yet (store lock busy)
    std::vector<std::size_t> orderedPerCpu_; // each CPU's events in the event order
    double pendingAppendMs_ = 0, pendingAppendCpuMs_ = 0;
    double growth_ = 0; // twice the share of the capture the last append added
    // See LoadedCapture::storeLock.
    std::shared_ptr<std::shared_mutex> storeLock_ = std::make_shared<std::shared_mutex>();
    LiveViewStats stats_;
};

} // namespace irqlens::gui
