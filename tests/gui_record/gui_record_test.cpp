// Recording through the Record dialog, offscreen, as root: the timeline grows
// while the file is written, and the final capture the GUI shows has exactly
// the events `trace-cmd report` finds in the saved file.  Remote recording
// over the loopback sshd of tests/record, and a host that cannot be reached.
#include "app/gui/latency/group_cache.h"
#include "app/gui/latency/latency_view.h"
#include "app/gui/main_window.h"
#include "app/gui/record/live_view.h"
#include "app/gui/record/record_actions.h"
#include "app/gui/record/record_dialog.h"
#include "app/gui/record/record_session.h"
#include "app/gui/record/ssh_prompter.h"
#include "app/gui/timeline/event_table_model.h"
#include "app/gui/timeline/timeline_canvas.h"
#include "app/gui/timeline/timeline_view.h"
#include "tests/gui/gui_test_support.h"
#include "tests/gui_record/record_test_support.h"
#include "tests/record/record_fixture.h"
#include "tests/record/report_counts.h"
#include "tests/record/sshd_fixture.h"
#include "tests/record/test_user.h"

#include <QAction>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QSettings>
#include <QTimer>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/utsname.h>
#include <unistd.h>

namespace irqlens::gui {
namespace {

namespace fs = std::filesystem;

class GuiRecordTest : public irqlens::test::RecordTest {
protected:
    void SetUp() override {
        irqlens::test::RecordTest::SetUp();
        if (IsSkipped()) {
            return;
        }
        test::ensureIsolatedApp();
        window_ = std::make_unique<MainWindow>();
        window_->setQuietErrors(true);
        window_->setAttribute(Qt::WA_DontShowOnScreen, true);
        window_->resize(1100, 640);
        window_->show();
        dialog_ = recordDialog(window_.get());
        dialog_->setAttribute(Qt::WA_DontShowOnScreen, true);
        dialog_->show();
    }
    void TearDown() override {
        window_.reset();
        irqlens::test::RecordTest::TearDown();
    }
    RecordSettings settings(double seconds) const {
        RecordSettings s;
        s.preset = QStringLiteral("bottom-halves");
        s.durationSeconds = seconds;
        s.output = QString::fromStdString((dir_ / "recorded.dat").string());
        return s;
    }
    // Runs the recording to its end and waits for the final load.
    bool finish(int timeoutMs) {
        const bool done = test::waitUntil([this] { return !dialog_->isRecording(); }, timeoutMs);
        window_->waitForLoad();
        return done;
    }
    // Records `seconds` from the loopback sshd (its good config) through the
    // dialog and runs it to its end; fails when it could not start or was
    // still recording after `timeoutMs`.  Returns the settings used.
    ::testing::AssertionResult recordFrom(const irqlens::test::LoopbackSshd& sshd, double seconds,
                                          int timeoutMs, RecordSettings& used) {
        ::setenv("IRQLENS_SSH_CONFIG", sshd.goodConfig().c_str(), 1);
        used = settings(seconds);
        used.remote = true;
        used.host = QString::fromStdString(sshd.destination());
        dialog_->applySettings(used);
        const bool started = dialog_->startRecording();
        const bool done = started && finish(timeoutMs);
        ::unsetenv("IRQLENS_SSH_CONFIG");
        if (!started) {
            return ::testing::AssertionFailure()
                   << "not started: " << dialog_->message().toStdString();
        }
        if (!done) {
            return ::testing::AssertionFailure() << "still recording after " << timeoutMs << " ms";
        }
        return ::testing::AssertionSuccess();
    }
    void expectViewFollowsTheUser();
    void expectLatencyGroupKept();
    void expectFilterKept();
    std::unique_ptr<MainWindow> window_;
    RecordDialog* dialog_ = nullptr;
};

// An instance of this process's local recorder (irqlens-<pid>-<suffix>):
// other engineers' and suites' recordings run on the same machine.
bool anyIrqlensInstance() {
    const std::string ours = "irqlens-" + std::to_string(::getpid()) + "-";
    const auto all = irqlens::test::tracefsInstances();
    return std::any_of(all.begin(), all.end(),
                       [&](const std::string& n) { return n.starts_with(ours); });
}

// The main window and the dialog in one picture, for docs/images/record.png.
void saveScreenshot(MainWindow& window, RecordDialog& dialog, const QString& path) {
    QImage image = window.grab().toImage();
    const QImage panel = dialog.grab().toImage();
    QPainter p(&image);
    const QPoint at(image.width() - panel.width() - 24, image.height() - panel.height() - 40);
    p.fillRect(QRect(at + QPoint(4, 4), panel.size()), QColor(0, 0, 0, 60)); // a shadow
    p.drawImage(at, panel);
    p.setPen(QColor(120, 120, 120));
    p.drawRect(QRect(at, panel.size()).adjusted(0, 0, -1, -1));
    p.end();
    EXPECT_TRUE(image.save(path, "PNG")) << path.toStdString();
}

// The numbers of the live view, for the notes (reload and show times).
void printLiveStats(const RecordDialog& dialog, const std::string& seen) {
    const LiveViewStats& st = dialog.liveView()->stats();
    const RecordCounters& c = dialog.session()->counters();
    double total = 0, worst = 0;
    for (double ms : st.applyMs) {
        total += ms;
        worst = std::max(worst, ms);
    }
    std::cout << "[live] ticks " << st.ticks << ", pictures " << st.pictures << ", apply ms mean "
              << (st.pictures ? total / st.pictures : 0) << " max " << worst << ", late events "
              << st.lateEvents << "; events " << c.events << " in " << c.seconds
              << " s; live counts " << seen << "\n";
}

// The live pictures: more than none, each with more events than the last.
// The first picture may come before the first pages were decoded (the empty
// capture a recording starts with); growth is checked from the first one
// with events on.
void expectGrewLive(const std::vector<quint64>& live, const std::string& seen) {
    // A picture every 250 ms from decoded pages (no file is read); the
    // recording goes on until 4 pictures had events, 3 is the floor.
    const auto firstWithEvents =
        std::find_if(live.begin(), live.end(), [](quint64 n) { return n > 0; });
    const auto shown = live.end() - firstWithEvents;
    ASSERT_GE(shown, 3) << "live captures: " << seen;
    for (auto it = firstWithEvents + 1; it != live.end(); ++it) {
        EXPECT_GT(*it, *(it - 1)) << seen; // grew at every picture
    }
}

TEST_F(GuiRecordTest, LocalRecordingGrowsLiveAndEndsAsTheCurrentCapture) {
    // Under the load generator (~400k events/s on this machine), until four
    // pictures with events were shown (about 1.5 s here; a sanitizer build
    // on a loaded machine needed more than the 3 s this test used to record
    // for), at most 40 s.
    const RecordSettings s = settings(0);
    dialog_->applySettings(s);
    std::vector<quint64> live; // events of each capture shown while recording
    QObject::connect(window_->session(), &CaptureSession::captureChanged, [&] {
        if (dialog_->isRecording() && window_->session()->current()) {
            live.push_back(window_->session()->current()->store->totalEvents());
        }
    });
    const char* shot = std::getenv("IRQLENS_RECORD_SCREENSHOT");
    bool shotTaken = false;
    bool stopAsked = false;
    auto stop = [&] {
        if (!stopAsked && dialog_->isRecording()) {
            stopAsked = true;
            QTimer::singleShot(0, dialog_, [&] { dialog_->stopRecording(); });
        }
    };
    QObject::connect(dialog_->liveView(), &LiveView::pictured, [&] {
        if (shot && !shotTaken && live.size() >= 2) {
            shotTaken = true;
            saveScreenshot(*window_, *dialog_, QString::fromLocal8Bit(shot));
        }
        if (std::count_if(live.begin(), live.end(), [](quint64 n) { return n > 0; }) >= 4) {
            stop();
        }
    });
    irqlens::test::LoadGenerator load(dir_);
    ASSERT_TRUE(dialog_->startRecording()) << dialog_->message().toStdString();
    QTimer::singleShot(40000, dialog_, stop);
    ASSERT_TRUE(finish(90000)) << "the recording did not end";
    load.stop();
    const RecordSession& session = *dialog_->session();
    ASSERT_TRUE(session.started()) << session.startError().toStdString();
    ASSERT_TRUE(session.result().ok) << session.result().error;
    EXPECT_FALSE(anyIrqlensInstance()) << "the tracefs instance was not removed";

    // The timeline grew while recording.
    std::string seen;
    for (quint64 n : live) {
        seen += std::to_string(n) + " ";
    }
    printLiveStats(*dialog_, seen);
    expectGrewLive(live, seen);
    ASSERT_FALSE(live.empty());

    // After Stop: the saved file is the current capture, with exactly the
    // events trace-cmd report finds in it.
    const auto& current = window_->session()->current();
    ASSERT_TRUE(current) << window_->lastError().toStdString();
    EXPECT_EQ(current->path, s.output);
    const auto report = irqlens::test::countWithTraceCmdReport(s.output.toStdString());
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(report.byEvent.count("irq_handler_entry"), 0u);
    EXPECT_EQ(current->store->totalEvents(), report.total);
    EXPECT_EQ(test::eventsByName(*current->store), report.byEvent);
    EXPECT_EQ(session.counters().events, report.total);
    EXPECT_LE(live.back(), report.total); // the live pictures were of the growing recording
    EXPECT_TRUE(dialog_->statusText().contains(QString::number(report.total)) ||
                dialog_->statusText().contains(QLocale().toString(qulonglong(report.total))))
        << dialog_->statusText().toStdString();
}

// While recording: the latency group the user picked stays picked at the
// next live pictures (its index may move as groups appear), while the
// capture's events grow.
void GuiRecordTest::expectLatencyGroupKept() {
    int pictures = 0;
    const auto connection =
        QObject::connect(dialog_->liveView(), &LiveView::pictured, [&pictures] { ++pictures; });
    const auto waitPictures = [&pictures](int n) {
        const int before = pictures;
        return test::waitUntil([&] { return pictures >= before + n; }, 20000);
    };
    auto* latency = qobject_cast<LatencyView*>(window_->view(QStringLiteral("latency")));
    ASSERT_TRUE(latency);
    // Groups appear as spans are walked: wait for two.
    ASSERT_TRUE(test::waitUntil(
        [&] {
            const auto groups = latencyGroupsOf(window_->session()->current());
            return groups && groups->size() >= 2;
        },
        20000))
        << "no latency groups while recording";
    const auto groups = latencyGroupsOf(window_->session()->current());
    // The smallest group: not the one the view picks by itself.
    std::size_t pick = 0;
    for (std::size_t i = 0; i < groups->size(); ++i) {
        pick = groups->summary(i).count < groups->summary(pick).count ? i : pick;
    }
    const std::string id = groupId(groups->group(pick));
    window_->session()->showLatencyGroup(QString::fromStdString(id));
    ASSERT_TRUE(latency->isVisible());
    ASSERT_GE(latency->currentGroup(), 0);
    EXPECT_EQ(groupId(latency->groups()->group(static_cast<std::size_t>(latency->currentGroup()))),
              id);
    const std::size_t events = window_->session()->current()->store->totalEvents();
    ASSERT_TRUE(waitPictures(2)) << "no live pictures";
    EXPECT_GT(window_->session()->current()->store->totalEvents(), events);
    ASSERT_GE(latency->currentGroup(), 0);
    EXPECT_EQ(latency->groups(), latencyGroupsOf(window_->session()->current()).get())
        << "the latency view did not take the new pictures";
    EXPECT_EQ(groupId(latency->groups()->group(static_cast<std::size_t>(latency->currentGroup()))),
              id);
    emit window_->session()->viewRequested(QStringLiteral("timeline"));
    QObject::disconnect(connection);
}

// While recording: an event filter (CPU 0) stays applied at the next live
// pictures, run again over the grown capture.
void GuiRecordTest::expectFilterKept() {
    int pictures = 0;
    const auto connection =
        QObject::connect(dialog_->liveView(), &LiveView::pictured, [&pictures] { ++pictures; });
    auto* view = qobject_cast<TimelineView*>(window_->view(QStringLiteral("timeline")));
    ASSERT_TRUE(view);
    EventFilter cpu0;
    cpu0.cpu = 0;
    view->setFilter(cpu0);
    const auto onlyCpu0 = [view] {
        const EventTableModel* model = view->model();
        const int rows = model->rowCount({});
        for (int r = 0; r < rows; r += std::max(1, rows / 200)) {
            if (model->refAt(r).cpu != 0) {
                return false;
            }
        }
        return rows > 0;
    };
    ASSERT_TRUE(test::waitUntil([&] { return !view->filterRunning(); }, 30000));
    EXPECT_TRUE(onlyCpu0());
    const int rowsBefore = view->model()->rowCount({});
    const int before = pictures;
    ASSERT_TRUE(
        test::waitUntil([&] { return pictures >= before + 2 && !view->filterRunning(); }, 30000))
        << "no live pictures";
    EXPECT_TRUE(onlyCpu0()) << "the filter was dropped by a live picture";
    EXPECT_GE(view->model()->rowCount({}), rowsBefore);
    view->setFilter({});
    QObject::disconnect(connection);
}

// While recording: a zoom into the past stays put at the next live picture;
// a zoom that touches the end slides along with the growing capture.
void GuiRecordTest::expectViewFollowsTheUser() {
    int pictures = 0;
    const auto connection =
        QObject::connect(dialog_->liveView(), &LiveView::pictured, [&pictures] { ++pictures; });
    const auto nextPicture = [&pictures] {
        const int before = pictures;
        return test::waitUntil([&] { return pictures > before; }, 20000);
    };
    ASSERT_TRUE(nextPicture()) << "no live picture";
    auto* view = qobject_cast<TimelineView*>(window_->view(QStringLiteral("timeline")));
    ASSERT_TRUE(view);
    TimelineCanvas* canvas = view->canvas();
    const auto store = [this] { return window_->session()->current()->store; };
    const std::int64_t first = store()->firstTs();
    const std::int64_t width = std::max<std::int64_t>((store()->lastTs() - first) / 10, 10000);
    canvas->setViewRange(first, first + width);
    const std::int64_t past0 = canvas->viewStart(), past1 = canvas->viewEnd();
    ASSERT_TRUE(nextPicture());
    EXPECT_NEAR(canvas->viewStart(), past0, 2);
    EXPECT_NEAR(canvas->viewEnd(), past1, 2);

    const std::int64_t last = store()->lastTs();
    canvas->setViewRange(last - width, last + width / 50);
    const std::int64_t oldEnd = canvas->viewEnd();
    ASSERT_TRUE(test::waitUntil([&] { return store()->lastTs() > last + width; }, 20000))
        << "the capture did not grow";
    // Decoded events are appended before the picture that shows them is built.
    ASSERT_TRUE(nextPicture());
    EXPECT_GT(canvas->viewEnd(), oldEnd);
    EXPECT_GE(canvas->viewEnd(), store()->lastTs());
    EXPECT_NEAR(static_cast<double>(canvas->viewEnd() - canvas->viewStart()),
                static_cast<double>(width + width / 50), width * 0.02);
    QObject::disconnect(connection);
}

TEST_F(GuiRecordTest, EscStopsARecordingWithoutDurationAndKeepsWhatWasRecorded) {
    dialog_->applySettings(settings(0)); // until Stop
    ASSERT_TRUE(dialog_->startRecording()) << dialog_->message().toStdString();
    ASSERT_TRUE(test::waitUntil(
        [this] { return dialog_->session()->state() == RecordSession::State::Recording; }, 30000))
        << dialog_->message().toStdString();
    expectLatencyGroupKept();
    expectFilterKept();
    expectViewFollowsTheUser();
    // Save As waits for Stop: the file is still a sparse partial one.
    auto* saveAs = window_->findChild<QAction*>(QStringLiteral("saveAs"));
    ASSERT_TRUE(saveAs);
    EXPECT_FALSE(saveAs->isEnabled());
    EXPECT_TRUE(saveAs->toolTip().contains(QStringLiteral("recording stops")))
        << saveAs->toolTip().toStdString();
    saveAs->trigger(); // a shortcut that slips through: refused, no file dialog
    dialog_->reject(); // what Esc and the close button do
    EXPECT_TRUE(dialog_->isVisible()) << "the dialog stays to show the result";
    ASSERT_TRUE(finish(30000));
    ASSERT_TRUE(dialog_->session()->result().ok) << dialog_->session()->result().error;
    EXPECT_TRUE(dialog_->session()->result().stoppedByRequest);
    const auto& current = window_->session()->current();
    ASSERT_TRUE(current) << window_->lastError().toStdString();
    const auto report = irqlens::test::countWithTraceCmdReport((dir_ / "recorded.dat").string());
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_EQ(current->store->totalEvents(), report.total);
    EXPECT_TRUE(saveAs->isEnabled()) << "Save As stays off after the recording";
    dialog_->reject(); // not recording: closes
    EXPECT_FALSE(dialog_->isVisible());
}

TEST_F(GuiRecordTest, RemoteRecordingRemembersTheHost) {
    irqlens::test::LoopbackSshd sshd(dir_);
    if (!sshd.error().empty()) {
        GTEST_SKIP() << sshd.error();
    }
    RecordSettings s;
    ASSERT_TRUE(recordFrom(sshd, 1.5, 90000, s));
    ASSERT_TRUE(dialog_->session()->started()) << dialog_->message().toStdString();
    ASSERT_TRUE(dialog_->session()->result().ok) << dialog_->session()->result().error;

    QSettings settings;
    const RecordSettings stored = RecordSettings::load(settings);
    ASSERT_FALSE(stored.recentHosts.isEmpty());
    EXPECT_EQ(stored.recentHosts.front(), s.host);
    EXPECT_EQ(dialog_->settingsFromForm().recentHosts.front(), s.host);

    const auto& current = window_->session()->current();
    ASSERT_TRUE(current) << window_->lastError().toStdString();
    const auto report = irqlens::test::countWithTraceCmdReport(s.output.toStdString());
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_GT(report.total, 0u);
    EXPECT_EQ(current->store->totalEvents(), report.total);
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Pressing Record again with the same output: the earlier capture (open in
// the window) is replaced only when the user agrees, and only once the new
// recording is complete.
TEST_F(GuiRecordTest, ExistingOutputIsReplacedOnlyWhenTheUserAgrees) {
    const RecordSettings s = settings(0.5);
    dialog_->applySettings(s);
    ASSERT_TRUE(dialog_->startRecording()) << dialog_->message().toStdString();
    ASSERT_TRUE(finish(60000));
    ASSERT_TRUE(window_->session()->current());
    const std::string first = slurp(s.output.toStdString());
    ASSERT_FALSE(first.empty());

    int asked = 0;
    bool wasOpen = false;
    RecordDialog::setReplaceQuestionForTests([&](const QString& path, bool open) {
        ++asked;
        wasOpen = open;
        EXPECT_EQ(path, s.output);
        return false;
    });
    EXPECT_FALSE(dialog_->startRecording());
    EXPECT_EQ(asked, 1);
    EXPECT_TRUE(wasOpen) << "the question says it is the capture open in the window";
    EXPECT_FALSE(dialog_->isRecording());
    EXPECT_TRUE(dialog_->message().contains(QStringLiteral("Not recorded")));
    EXPECT_EQ(slurp(s.output.toStdString()), first);

    RecordDialog::setReplaceQuestionForTests([](const QString&, bool) { return true; });
    dialog_->applySettings(settings(0)); // until Stop
    ASSERT_TRUE(dialog_->startRecording()) << dialog_->message().toStdString();
    ASSERT_TRUE(test::waitUntil(
        [this] { return dialog_->session()->state() == RecordSession::State::Recording; }, 60000));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(slurp(s.output.toStdString()), first) << "replaced before the recording ended";
    dialog_->stopRecording();
    ASSERT_TRUE(finish(60000));
    RecordDialog::setReplaceQuestionForTests({});
    ASSERT_TRUE(dialog_->session()->result().ok) << dialog_->session()->result().error;
    EXPECT_NE(slurp(s.output.toStdString()), first);
    const auto report = irqlens::test::countWithTraceCmdReport(s.output.toStdString());
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_EQ(window_->session()->current()->store->totalEvents(), report.total);
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(dir_)) {
        files += e.path().filename().string().starts_with("recorded");
    }
    EXPECT_EQ(files, 1u) << "a partial file was left";
}

// A recording that holds no event (CPU hotplug events on a running test
// machine) is shown as a failure with the recorder's reason, not as a
// plain "Saved".  trace-cmd report of the file decides what is expected.
TEST_F(GuiRecordTest, NothingRecordedIsShownAsAFailure) {
    RecordSettings s = settings(0.5);
    s.preset = QStringLiteral("none");
    s.events = QStringLiteral("cpuhp:cpuhp_enter, cpuhp:cpuhp_exit");
    dialog_->applySettings(s);
    ASSERT_TRUE(dialog_->startRecording()) << dialog_->message().toStdString();
    ASSERT_TRUE(finish(60000));
    ASSERT_TRUE(dialog_->session()->started()) << dialog_->message().toStdString();
    const auto report = irqlens::test::countWithTraceCmdReport(s.output.toStdString());
    ASSERT_TRUE(report.ok) << report.error;
    ASSERT_EQ(report.total, 0u) << "CPU hotplug during the test";
    EXPECT_TRUE(dialog_->message().contains(QStringLiteral("no events were recorded")))
        << dialog_->message().toStdString();
    auto* message = dialog_->findChild<QLabel*>(QStringLiteral("recordMessage"));
    ASSERT_TRUE(message);
    EXPECT_TRUE(message->styleSheet().contains(QStringLiteral("#c62828")))
        << "shown as a plain note";
    EXPECT_TRUE(dialog_->statusText().contains(QStringLiteral("nothing was recorded")))
        << dialog_->statusText().toStdString();
}

// The remote target refuses to switch tracing on: the dialog shows why, and
// nothing stays on the target (no instance, no reader) nor here (no ssh)
// while the dialog waits for the next Record.
TEST_F(GuiRecordTest, FailedRemoteStartLeavesNothingRunning) {
    irqlens::test::LoopbackSshd sshd(
        dir_, R"(case "$SSH_ORIGINAL_COMMAND" in "echo 1 > "*tracing_on*) exit 1;; esac)");
    if (!sshd.error().empty()) {
        GTEST_SKIP() << sshd.error();
    }
    RecordSettings s;
    ASSERT_TRUE(recordFrom(sshd, 0, 120000, s));
    EXPECT_FALSE(dialog_->session()->started());
    EXPECT_TRUE(dialog_->message().contains(QStringLiteral("cannot switch tracing on")))
        << dialog_->message().toStdString();
    const auto instances = irqlens::test::tracefsInstances();
    EXPECT_TRUE(std::none_of(instances.begin(), instances.end(), [&](const std::string& n) {
        return n.starts_with("irqlens-") && sshd.ownsProcess(std::atoi(n.c_str() + 8));
    })) << "the remote instance stayed after the failed start";
    EXPECT_TRUE(irqlens::test::sshChildrenOf(::getpid()) == 0) << "ssh processes left running";
    EXPECT_FALSE(fs::exists(s.output.toStdString()));
}

// A target whose dd cannot read non-blocking (busybox) and whose CPU 0
// reader takes nothing: the dialog ends with a warning, shown as a problem,
// naming as many events as the stats stored in the file say were left.
TEST_F(GuiRecordTest, EventsLeftOnTheTargetAreShownAsAWarning) {
    const fs::path bin = fs::path(dir_) / "bin";
    fs::create_directories(bin);
    std::ofstream(bin / "dd") << "#!/bin/sh\ncase \"$*\" in *nonblock*) exit 1;; "
                              << "*cpu0/trace_pipe_raw*) exit 0;; esac\nexec /bin/dd \"$@\"\n";
    fs::permissions(bin / "dd", fs::perms::owner_all);
    irqlens::test::LoopbackSshd sshd(dir_, "PATH=" + bin.string() + ":$PATH; export PATH");
    if (!sshd.error().empty()) {
        GTEST_SKIP() << sshd.error();
    }
    RecordSettings s;
    ASSERT_TRUE(recordFrom(sshd, 1, 120000, s));
    ASSERT_TRUE(dialog_->session()->started()) << dialog_->message().toStdString();
    const auto left = irqlens::test::storedStatSum(s.output.toStdString(), "entries");
    ASSERT_TRUE(left && *left > 0) << "CPU 0's buffer was emptied after all";
    const QString warning =
        QStringLiteral("Warning: %1 events were still in the target's buffers").arg(*left);
    EXPECT_TRUE(dialog_->message().contains(warning)) << dialog_->message().toStdString();
    auto* message = dialog_->findChild<QLabel*>(QStringLiteral("recordMessage"));
    ASSERT_TRUE(message);
    EXPECT_TRUE(message->styleSheet().contains(QStringLiteral("#c62828")))
        << "shown as a plain note";
}

// A normal user whose sudo wants a password, on a host never seen before:
// the dialog asks for the host key (type + fingerprint) and sudo's
// password (test hook), once each, and the recording works.
TEST_F(GuiRecordTest, HostKeyAndSudoPasswordAreAskedInTheDialog) {
    if (const auto why = irqlens::test::testUserUnavailableReason(); !why.empty()) {
        GTEST_SKIP() << why;
    }
    irqlens::test::LoopbackSshd sshd(dir_);
    if (!sshd.error().empty()) {
        GTEST_SKIP() << sshd.error();
    }
    const std::string password = "pi's \"password\" $(x)";
    irqlens::test::TestUser pi(irqlens::test::TestUser::Sudo::Password, password);
    ASSERT_EQ(pi.error(), "");
    ::setenv("IRQLENS_SSH_CONFIG", sshd.unknownHostConfig().c_str(), 1);
    ::setenv("IRQLENS_ASKPASS_PROGRAM", irqlens::test::recordCommand().front().c_str(), 1);
    std::vector<PromptRequest> asked;
    SshPrompter::setTestHook([&](const PromptRequest& r) -> std::optional<QString> {
        asked.push_back(r);
        if (r.kind == PromptRequest::Kind::HostKey) {
            return QStringLiteral("yes");
        }
        return QString::fromStdString(password);
    });
    RecordSettings s = settings(1.0);
    s.remote = true;
    s.host = QString::fromStdString(sshd.destination(pi.name()));
    dialog_->applySettings(s);
    ASSERT_TRUE(dialog_->startRecording()) << dialog_->message().toStdString();
    const bool done = finish(120000);
    SshPrompter::setTestHook({});
    ::unsetenv("IRQLENS_SSH_CONFIG");
    ::unsetenv("IRQLENS_ASKPASS_PROGRAM");
    ASSERT_TRUE(done);
    ASSERT_TRUE(dialog_->session()->started()) << dialog_->message().toStdString();
    ASSERT_TRUE(dialog_->session()->result().ok) << dialog_->session()->result().error;
    ASSERT_EQ(asked.size(), 2u);
    EXPECT_EQ(asked[0].kind, PromptRequest::Kind::HostKey);
    EXPECT_EQ(asked[0].fingerprint, sshd.hostKeyFingerprint());
    EXPECT_EQ(asked[1].kind, PromptRequest::Kind::SudoPassword);
    const auto report = irqlens::test::countWithTraceCmdReport(s.output.toStdString());
    ASSERT_TRUE(report.ok) << report.error;
    EXPECT_EQ(window_->session()->current()->store->totalEvents(), report.total);
    // The status line names the traced machine (kernel and architecture).
    utsname u{};
    ::uname(&u);
    auto* status = window_->findChild<QLabel*>(QStringLiteral("captureStatus"));
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->text().contains(
        QStringLiteral("Linux %1 %2")
            .arg(QString::fromLocal8Bit(u.release), QString::fromLocal8Bit(u.machine))))
        << status->text().toStdString();
}

// "Test connection" shows what the target is, checked against this machine.
TEST_F(GuiRecordTest, TestConnectionShowsLoginRootTracefsAndKernel) {
    if (const auto why = irqlens::test::testUserUnavailableReason(); !why.empty()) {
        GTEST_SKIP() << why;
    }
    irqlens::test::LoopbackSshd sshd(dir_);
    if (!sshd.error().empty()) {
        GTEST_SKIP() << sshd.error();
    }
    irqlens::test::TestUser pi(irqlens::test::TestUser::Sudo::NoPassword, "raspberry");
    ASSERT_EQ(pi.error(), "");
    ::setenv("IRQLENS_SSH_CONFIG", sshd.goodConfig().c_str(), 1);
    RecordSettings s = settings(0);
    s.remote = true;
    s.host = QString::fromStdString(sshd.destination(pi.name()));
    dialog_->applySettings(s);
    bool tested = false, ok = false;
    QObject::connect(dialog_, &RecordDialog::connectionTested, [&](bool result) {
        tested = true;
        ok = result;
    });
    dialog_->testConnection();
    EXPECT_TRUE(dialog_->isTesting());
    const bool done = test::waitUntil([&] { return tested; }, 120000);
    ::unsetenv("IRQLENS_SSH_CONFIG");
    ASSERT_TRUE(done);
    EXPECT_TRUE(ok) << dialog_->message().toStdString();
    utsname u{};
    ::uname(&u);
    const QString message = dialog_->message();
    for (const QString& line :
         {QStringLiteral("✓ logged in as: %1").arg(QString::fromStdString(pi.name())),
          QStringLiteral("✓ root: sudo (no password)"),
          QStringLiteral("✓ tracefs: /sys/kernel/tracing"),
          QStringLiteral("✓ kernel: Linux %1").arg(QString::fromLocal8Bit(u.release)),
          QStringLiteral("✓ architecture: %1").arg(QString::fromLocal8Bit(u.machine)),
          QStringLiteral("Ready to record.")}) {
        EXPECT_TRUE(message.contains(line)) << line.toStdString() << "\nin:\n"
                                            << message.toStdString();
    }
    EXPECT_FALSE(dialog_->isRecording());
}

// No sshd listens on the port: the recorder's "unreachable" message shows
// in the dialog, nothing crashes, the host is not remembered.
TEST(GuiRecordErrors, UnreachableHostIsNamedInTheDialog) {
    test::ensureIsolatedApp();
    MainWindow window;
    window.setQuietErrors(true);
    RecordDialog* dialog = recordDialog(&window);
    const QString host = QStringLiteral("root@127.0.0.1:%1").arg(irqlens::test::freeLoopbackPort());
    RecordSettings s;
    s.remote = true;
    s.host = host;
    s.durationSeconds = 1;
    s.output =
        QString::fromStdString((fs::temp_directory_path() /
                                ("irqlens-gui-unreachable-" + std::to_string(::getpid()) + ".dat"))
                                   .string());
    dialog->applySettings(s);
    ASSERT_TRUE(dialog->startRecording()) << dialog->message().toStdString();
    ASSERT_TRUE(test::waitUntil([dialog] { return !dialog->isRecording(); }, 60000));
    EXPECT_FALSE(dialog->session()->started());
    EXPECT_NE(dialog->message().indexOf(QStringLiteral("unreachable")), -1)
        << dialog->message().toStdString();
    EXPECT_FALSE(window.session()->current()); // nothing was loaded
    QSettings settings;
    EXPECT_FALSE(RecordSettings::load(settings).recentHosts.contains(host));
    std::remove(s.output.toLocal8Bit().constData());
}

} // namespace
} // namespace irqlens::gui
