// The Record dialog's settings: remembered across dialogs and runs, recent
// hosts bounded and most recent first, and each wrong field named before a
// recording starts.  Also Save As's copy.
#include "app/gui/main_window.h"
#include "app/gui/record/record_actions.h"
#include "app/gui/record/record_dialog.h"
#include "app/gui/record/record_settings.h"
#include "tests/gui/gui_test_support.h"
#include "tests/gui_record/record_test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <sys/stat.h>

namespace irqlens::gui {
namespace {

RecordSettings unusualSettings(const QString& dir) {
    RecordSettings s;
    s.remote = true;
    s.host = QStringLiteral("pi@raspberrypi.local:2222");
    s.recentHosts = {QStringLiteral("pi@raspberrypi.local:2222"), QStringLiteral("root@10.0.0.7")};
    s.preset = QStringLiteral("funcgraph");
    s.events = QStringLiteral("timer:hrtimer_expire_entry, net:*");
    s.modules = QStringLiteral("irqlens_wq");
    s.durationSeconds = 12.5;
    s.bufferKb = 8192;
    s.cpus = QStringLiteral("0-1");
    s.output = dir + QStringLiteral("/out.dat");
    return s;
}

TEST(RecordSettingsTest, RoundTripThroughQSettingsAndTheDialog) {
    test::ensureIsolatedApp();
    QTemporaryDir dir;
    const RecordSettings wanted = unusualSettings(dir.path());
    {
        QSettings settings;
        wanted.save(settings);
    }
    QSettings settings;
    EXPECT_EQ(RecordSettings::load(settings), wanted);

    // A new window's dialog shows what was saved, and gives it back unchanged.
    MainWindow window;
    RecordDialog* dialog = recordDialog(&window);
    EXPECT_EQ(dialog->settingsFromForm(), wanted);

    // The form's values are saved when recording is attempted (here: the
    // remote destination is malformed, so nothing starts).
    RecordSettings edited = wanted;
    edited.host = QStringLiteral("-oProxyCommand=sh");
    edited.preset = QStringLiteral("stacks");
    edited.durationSeconds = 3;
    dialog->applySettings(edited);
    EXPECT_FALSE(dialog->startRecording());
    EXPECT_NE(dialog->message().indexOf(QStringLiteral("bad host name")), -1)
        << dialog->message().toStdString();
    EXPECT_FALSE(dialog->isRecording());
    QSettings reread;
    EXPECT_EQ(RecordSettings::load(reread), edited);
    // A malformed host is not remembered as a recent host.
    EXPECT_EQ(RecordSettings::load(reread).recentHosts, wanted.recentHosts);
}

TEST(RecordSettingsTest, RecentHostsAreMostRecentFirstWithoutDuplicatesAndBounded) {
    RecordSettings s;
    for (int i = 0; i < 14; ++i) {
        s.rememberHost(QStringLiteral("host%1").arg(i));
    }
    s.rememberHost(QStringLiteral("  host9 ")); // already there: moves to the front
    ASSERT_EQ(s.recentHosts.size(), RecordSettings::kMaxRecentHosts);
    EXPECT_EQ(s.recentHosts.front(), QStringLiteral("host9"));
    EXPECT_EQ(s.recentHosts[1], QStringLiteral("host13"));
    EXPECT_EQ(s.recentHosts.count(QStringLiteral("host9")), 1);
    EXPECT_FALSE(s.recentHosts.contains(QStringLiteral("host3"))); // the oldest fell off
    s.rememberHost(QStringLiteral("   "));
    EXPECT_EQ(s.recentHosts.front(), QStringLiteral("host9"));
}

// Each wrong field gives a message naming it; right ones become RecordOptions.
TEST(RecordSettingsTest, ValidationNamesTheWrongField) {
    test::ensureIsolatedApp();
    QTemporaryDir dir;
    const auto check = [](const RecordSettings& s, const char* expected) {
        QString error;
        EXPECT_FALSE(makeRecordRequest(s, 4, error)) << expected;
        EXPECT_TRUE(error.startsWith(QLatin1String(expected))) << error.toStdString();
    };
    RecordSettings s;
    s.output = dir.path() + QStringLiteral("/a.dat");
    s.remote = true;
    check(s, "Host:");
    s.remote = false;
    s.preset = QStringLiteral("none");
    check(s, "Events:"); // custom without events
    s.events = QStringLiteral("irq:*, bad;name");
    check(s, "Events:");
    s.events = QStringLiteral("irq:*");
    s.cpus = QStringLiteral("0-7"); // only 4 CPUs here
    check(s, "CPUs:");
    s.cpus = QStringLiteral("1,3");
    s.output = dir.path() + QStringLiteral("/missing/a.dat");
    check(s, "Output:");
    s.output = dir.path();
    check(s, "Output:");

    s.output = dir.path() + QStringLiteral("/a.dat");
    s.durationSeconds = 2.5;
    s.bufferKb = 4096;
    QString error;
    const auto request = makeRecordRequest(s, 4, error);
    ASSERT_TRUE(request) << error.toStdString();
    EXPECT_EQ(request->options.preset, "none");
    EXPECT_EQ(request->options.events, std::vector<std::string>{"irq:*"});
    EXPECT_EQ(request->options.cpus, "1,3");
    EXPECT_EQ(request->options.durationSeconds, 2.5);
    EXPECT_EQ(request->options.bufferKb, 4096u);
    EXPECT_TRUE(request->destination.isEmpty());
    EXPECT_EQ(request->output, s.output);

    s.output.clear(); // default: a new file in the recordings folder
    const auto byDefault = makeRecordRequest(s, 4, error);
    ASSERT_TRUE(byDefault);
    EXPECT_TRUE(byDefault->output.contains(QStringLiteral("irqlens-record-")))
        << byDefault->output.toStdString();
}

// Captures hold /proc/kallsyms read as root: by default they go to the
// user's own data folder (0700), never to the shared temp directory, under
// a name no file has yet.
TEST(RecordSettingsTest, DefaultOutputIsInThePrivateDataFolderNotTheTempDir) {
    test::ensureIsolatedApp();
    const QString data = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    RecordSettings s;
    QString error;
    const auto first = makeRecordRequest(s, 4, error);
    ASSERT_TRUE(first) << error.toStdString();
    EXPECT_TRUE(first->output.startsWith(data + QStringLiteral("/irqlens/recordings/")))
        << first->output.toStdString();
    EXPECT_NE(QFileInfo(first->output).path(), QDir::tempPath()) << first->output.toStdString();
    struct stat st {};
    ASSERT_EQ(::stat(recordingsFolder().toLocal8Bit().constData(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    QFile taken(first->output);
    ASSERT_TRUE(taken.open(QIODevice::WriteOnly));
    taken.close();
    const auto second = makeRecordRequest(s, 4, error);
    ASSERT_TRUE(second) << error.toStdString();
    EXPECT_NE(second->output, first->output) << "the same second gives another name";
    EXPECT_FALSE(QFileInfo::exists(second->output));
    QFile::remove(first->output);
}

TEST(RecordSettingsTest, SaveCopyReplacesTheDestinationWithTheSameBytes) {
    test::ensureIsolatedApp();
    QTemporaryDir dir;
    const QString from = test::qDataPath(QStringLiteral("irq_wq.dat"));
    const QString to = dir.path() + QStringLiteral("/copy.dat");
    QFile old(to);
    ASSERT_TRUE(old.open(QIODevice::WriteOnly));
    old.write("an older, shorter file");
    old.close();
    QString error;
    ASSERT_TRUE(saveCaptureCopy(from, to, error)) << error.toStdString();
    QFile a(from), b(to);
    ASSERT_TRUE(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    EXPECT_EQ(a.readAll(), b.readAll());
    EXPECT_TRUE(saveCaptureCopy(to, to, error)); // same file: nothing to do
    EXPECT_FALSE(saveCaptureCopy(dir.path() + QStringLiteral("/none.dat"), to, error));
    EXPECT_TRUE(error.contains(QStringLiteral("none.dat"))) << error.toStdString();
    EXPECT_FALSE(saveCaptureCopy(from, dir.path() + QStringLiteral("/no/such/dir.dat"), error));
}

} // namespace
} // namespace irqlens::gui
