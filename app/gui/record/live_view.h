// Makes the main window's capture grow while a recording runs, without ever
// reading the file being written: every tick it takes the events the
// LiveSink's decoder turned out since the last tick (LiveDecoder::apply,
// appended to the store the views show), walks the new events with the
// LiveAnalyzer up to the safe watermark and shows the result.  Everything
// here runs on the GUI thread, which is the only thread that touches the
// live store.  The timeline keeps the user's zoom and follows the end only
// when it shows the end.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <memory>
#include <vector>

class QTimer;

namespace irqlens {
class LiveAnalyzer;
namespace live {
class LiveSink;
}
} // namespace irqlens

namespace irqlens::gui {

class CaptureSession;

struct LiveViewStats {
    int ticks = 0;
    int pictures = 0;            // pictures shown (the views took a new capture)
    std::uint64_t events = 0;    // events in the live store
    std::uint64_t walked = 0;    // events the analysis walked (before the watermark)
    std::uint64_t lateEvents = 0; // walked out of order (a CPU idle too long woke up)
    std::vector<double> applyMs; // GUI-thread time of each picture
    // Where it went, summed over the pictures: appending the decoded events,
    // walking them, the analysis snapshot, the views taking the capture.
    double appendMs = 0, walkMs = 0, snapshotMs = 0, viewsMs = 0;
    double maxGapMs = 0;         // longest time between two pictures
};

class LiveView : public QObject {
    Q_OBJECT
public:
    explicit LiveView(CaptureSession* session, QObject* parent = nullptr);
    ~LiveView() override;

    static constexpr int kDefaultIntervalMs = 250;
    // A CPU without new events for this long stops holding the analysis back.
    static constexpr int kIdleCpuMs = 1000;
    // Shows the pages `sink` decodes; the captures shown carry the name `shownAs`.
    void start(live::LiveSink* sink, const QString& shownAs, int intervalMs = kDefaultIntervalMs);
    // Stops the timer (the final capture is the saved file, loaded by the caller).
    void stop();
    bool isRunning() const;
    const LiveViewStats& stats() const { return stats_; }

signals:
    // After a picture was shown (events in the live store).
    void pictured(quint64 events);

private:
    void tick();
    void updateIdleCpus(const std::vector<std::uint64_t>& newEvents);
    void show();

    CaptureSession* session_;
    QTimer* timer_ = nullptr;
    live::LiveSink* sink_ = nullptr;
    std::unique_ptr<LiveAnalyzer> analyzer_;
    QString shownAs_;
    QElapsedTimer clock_;
    std::vector<qint64> lastDelivery_; // per CPU, ms on clock_
    qint64 lastPictureMs_ = -1;
    std::int64_t previousLast_ = -1; // the store's last ts at the previous picture
    LiveViewStats stats_;
};

} // namespace irqlens::gui
