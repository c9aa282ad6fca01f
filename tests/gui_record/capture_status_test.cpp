// The status line names the traced machine of the capture: the board and
// the kernel the recorder stored (trace-cmd's UNAME option plus the board,
// as `trace-cmd report --uname` prints it), here in a capture written with
// made-up pages so that no tracefs is needed.
#include "app/gui/main_window.h"
#include "parsers/writer/tracedat_writer.h"
#include "tests/gui/gui_test_support.h"
#include "tests/gui_record/record_test_support.h"
#include "tests/record/report_counts.h"
#include "tests/record/synthetic_pages.h"

#include <QLabel>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace irqlens::gui {
namespace {

TEST(CaptureStatusTest, StatusLineNamesTheBoardAndTheKernel) {
    test::ensureIsolatedApp();
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const std::string path = dir.filePath(QStringLiteral("pi.dat")).toStdString();
    auto meta = irqlens::test::syntheticMetadata(false, 4, 1);
    meta.uname = "Linux raspberrypi 6.6.51+rpt-rpi-v7 armv7l";
    meta.model = "Raspberry Pi 3 Model B Plus Rev 1.3";
    std::string error;
    auto writer = TraceDatWriter::create(path, meta, error);
    ASSERT_TRUE(writer) << error;
    const auto page = irqlens::test::syntheticPage(meta, 1000000000ull, 50);
    ASSERT_TRUE(writer->appendPages(0, page.bytes.data(), page.bytes.size()));
    ASSERT_TRUE(writer->finish("")) << writer->error();
    writer.reset();
    // What the reference tool reads from the file.
    const std::string uname =
        irqlens::test::runCommand("trace-cmd report --uname '" + path + "' 2>/dev/null");
    ASSERT_NE(uname.find("armv7l (Raspberry Pi 3 Model B Plus Rev 1.3)"), std::string::npos)
        << uname;

    MainWindow window;
    window.setQuietErrors(true);
    window.setAttribute(Qt::WA_DontShowOnScreen, true);
    window.show();
    window.openFile(QString::fromStdString(path));
    window.waitForLoad();
    ASSERT_TRUE(window.session()->current()) << window.lastError().toStdString();
    auto* status = window.findChild<QLabel*>(QStringLiteral("captureStatus"));
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->text().contains(
        QStringLiteral("Raspberry Pi 3 Model B Plus Rev 1.3, Linux 6.6.51+rpt-rpi-v7 armv7l")))
        << status->text().toStdString();
}

} // namespace
} // namespace irqlens::gui
