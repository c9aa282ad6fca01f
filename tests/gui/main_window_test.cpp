// Main window: bad files keep the previous capture and show an error naming
// the file; tabs follow the view registry; --screenshot writes the PNG.
#include "app/gui/view_registry.h"
#include "gui_test_support.h"

#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QProcess>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <gtest/gtest.h>

namespace irqlens::gui::test {
namespace {

TEST(MainWindow, BadFileShowsAnErrorAndKeepsThePreviousCapture) {
    auto w = loadedWindow(qDataPath("irq_wq.dat"));
    const auto before = w->session()->current();
    ASSERT_TRUE(before);
    QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("broken-capture.dat"));
    QFile file(bad);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("this is not a trace.dat file\n");
    file.close();

    w->setQuietErrors(false);
    w->openFile(bad);
    w->waitForLoad();
    QApplication::processEvents();
    auto* box = w->findChild<QMessageBox*>(QStringLiteral("loadError"));
    ASSERT_NE(box, nullptr);
    EXPECT_TRUE(box->text().contains(QStringLiteral("broken-capture.dat")))
        << box->text().toStdString();
    EXPECT_TRUE(box->text().contains(QStringLiteral("not a trace.dat")))
        << box->text().toStdString();
    EXPECT_EQ(w->session()->current(), before);
    box->close();
}

// A capture cut inside its CPU data loads the pages before the cut; the
// timeline says so in a banner (and a whole capture shows none).
TEST(MainWindow, CutShortCaptureShowsATruncationBanner) {
    const QString sample = qDataPath(QStringLiteral("net_v6.dat"));
    QTemporaryDir dir;
    const QString cut = dir.filePath(QStringLiteral("cut-short.dat"));
    ASSERT_TRUE(QFile::copy(sample, cut));
    const qint64 at = QFileInfo(sample).size() / 4 * 3 + 1234; // past the 5.4 MB header
    ASSERT_TRUE(QFile::resize(cut, at));
    auto whole = loadedWindow(sample);
    auto* wholeBanner = whole->findChild<QLabel*>(QStringLiteral("truncationBanner"));
    ASSERT_NE(wholeBanner, nullptr);
    EXPECT_TRUE(wholeBanner->isHidden());
    auto w = loadedWindow(cut);
    auto* banner = w->findChild<QLabel*>(QStringLiteral("truncationBanner"));
    ASSERT_NE(banner, nullptr);
    EXPECT_FALSE(banner->isHidden());
    EXPECT_TRUE(banner->text().contains(QStringLiteral("truncated at offset %1").arg(at)))
        << banner->text().toStdString();
    EXPECT_LT(w->session()->current()->store->totalEvents(),
              whole->session()->current()->store->totalEvents());
}

// A v7 capture (zstd) cut inside CPU 1's data: its BUFFER option, after the
// data, is lost too; the banner says where the file ends and which CPU.
TEST(MainWindow, CutShortV7CaptureShowsATruncationBanner) {
    const QString sample = qDataPath(QStringLiteral("irq_wq.dat"));
    QTemporaryDir dir;
    const QString cut = dir.filePath(QStringLiteral("cut-short-v7.dat"));
    ASSERT_TRUE(QFile::copy(sample, cut));
    const qint64 at = QFileInfo(sample).size() - 2000; // inside CPU 1's last chunk
    ASSERT_TRUE(QFile::resize(cut, at));
    auto w = loadedWindow(cut);
    ASSERT_TRUE(w->session()->current()) << w->lastError().toStdString();
    auto* banner = w->findChild<QLabel*>(QStringLiteral("truncationBanner"));
    ASSERT_NE(banner, nullptr);
    EXPECT_FALSE(banner->isHidden());
    EXPECT_TRUE(banner->text().contains(QStringLiteral("truncated at offset %1").arg(at)))
        << banner->text().toStdString();
    EXPECT_TRUE(banner->text().contains(QStringLiteral("CPU 1 cut short")))
        << banner->text().toStdString();
    EXPECT_GT(w->session()->current()->store->totalEvents(), 0u);
}

TEST(MainWindow, MissingFileNamesTheFile) {
    auto w = loadedWindow(qDataPath("irq_wq.dat"));
    w->openFile(QStringLiteral("/nonexistent/dir/nothing-here.dat"));
    w->waitForLoad();
    EXPECT_TRUE(w->lastError().contains(QStringLiteral("nothing-here.dat")))
        << w->lastError().toStdString();
    EXPECT_TRUE(w->session()->current());
}

TEST(MainWindow, TabsFollowTheRegistryOrder) {
    ensureApp();
    MainWindow w;
    std::vector<ViewFactory> views = registeredViews();
    std::stable_sort(views.begin(), views.end(),
                     [](const auto& a, const auto& b) { return a.order < b.order; });
    ASSERT_EQ(w.tabs()->count(), static_cast<int>(views.size()));
    for (int i = 0; i < w.tabs()->count(); ++i) {
        EXPECT_EQ(w.tabs()->widget(i)->objectName(), views[static_cast<std::size_t>(i)].id);
    }
    // A capture opens on the Overview (issue 20), the timeline next to it.
    EXPECT_EQ(w.tabs()->widget(0)->objectName(), QStringLiteral("overview"));
    EXPECT_EQ(w.tabs()->widget(1)->objectName(), QStringLiteral("timeline"));
}

int runIrqlens(const QStringList& args, QString* err = nullptr) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    p.setProcessEnvironment(env);
    p.start(binPath(QStringLiteral("irqlens")), args);
    p.waitForFinished(120000);
    if (err) {
        *err = QString::fromLocal8Bit(p.readAllStandardError());
    }
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

TEST(Screenshot, WritesAPngOfTheRequestedSize) {
    ensureApp();
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("shot.png"));
    ASSERT_EQ(runIrqlens({"--screenshot", out, "--size", "900x640", "--range", "0.5:1.0",
                          qDataPath("irq_wq.dat")}),
              0);
    const QImage image(out);
    ASSERT_FALSE(image.isNull());
    EXPECT_EQ(image.size(), QSize(900, 640));
}

TEST(Screenshot, BadInputExitsNonZeroWithAMessage) {
    ensureApp();
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("shot.png"));
    QString err;
    EXPECT_NE(runIrqlens({"--screenshot", out, "/nonexistent/missing.dat"}, &err), 0);
    EXPECT_TRUE(err.contains(QStringLiteral("missing.dat"))) << err.toStdString();
    EXPECT_FALSE(QFile::exists(out));
    EXPECT_NE(runIrqlens({"--screenshot", out, "--size", "huge", qDataPath("irq_wq.dat")}, &err),
              0);
    EXPECT_TRUE(err.contains(QStringLiteral("--size"))) << err.toStdString();
    EXPECT_NE(runIrqlens({"--screenshot", out, "--range", "2:1", qDataPath("irq_wq.dat")}, &err),
              0);
    EXPECT_TRUE(err.contains(QStringLiteral("--range"))) << err.toStdString();
}

} // namespace
} // namespace irqlens::gui::test

namespace irqlens::gui::test {
namespace {

TEST(MainWindow, CancellingALoadKeepsThePreviousCapture) {
    auto w = loadedWindow(qDataPath("irq_wq.dat"));
    const auto before = w->session()->current();
    ASSERT_TRUE(before);
    bool finished = false;
    bool ok = true;
    QObject::connect(w.get(), &MainWindow::loadFinished, w.get(),
                     [&](bool success, const QString&) {
                         finished = true;
                         ok = success;
                     });
    w->openFile(qDataPath("big.dat")); // seconds to load: cancel right away
    ASSERT_TRUE(w->isLoading());
    auto* cancel = w->findChild<QToolButton*>(QStringLiteral("cancelLoad"));
    ASSERT_NE(cancel, nullptr);
    EXPECT_TRUE(cancel->isVisibleTo(w.get()));
    cancel->click();
    w->waitForLoad();
    EXPECT_TRUE(finished);
    EXPECT_FALSE(ok);
    EXPECT_EQ(w->session()->current(), before);
    EXPECT_FALSE(w->isLoading());
}

} // namespace
} // namespace irqlens::gui::test
