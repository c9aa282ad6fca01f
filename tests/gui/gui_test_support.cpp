#include "gui_test_support.h"

#include "tests/support/test_data.h"

#include <QApplication>
#include <QRegularExpression>
#include <cstdio>
#include <cstdlib>
#include <gtest/gtest.h>

namespace irqlens::gui::test {

void ensureApp() {
    if (QApplication::instance()) {
        return;
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");
    // Settings of the tests must not mix with a user's.
    qputenv("XDG_CONFIG_HOME", "/tmp/irqlens-gui-test-config");
    static int argc = 1;
    static char name[] = "irqlens_gui_tests";
    static char* argv[] = {name, nullptr};
    new QApplication(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("irqlens-test"));
    QApplication::setApplicationName(QStringLiteral("irqlens-test"));
}

QString qDataPath(const QString& name) {
    return QString::fromStdString(irqlens::test::dataPath(name.toStdString()));
}

QString binPath(const QString& name) {
    return QStringLiteral(IRQLENS_BIN_DIR "/") + name;
}

std::vector<ReportLine> traceCmdReport(const QString& path) {
    std::vector<ReportLine> lines;
    const std::string cmd = "trace-cmd report -t -i '" + path.toStdString() + "' 2>/dev/null";
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) {
        return lines;
    }
    // "   comm-pid   [cpu]   sec.nsec: event:   info"
    static const QRegularExpression re(QStringLiteral(
        "^\\s*(.+)-(\\d+)\\s+\\[(\\d+)\\]\\s+(\\d+)\\.(\\d{9}):\\s+([\\w:]+):\\s*(.*)$"));
    char buf[4096];
    while (fgets(buf, sizeof buf, pipe)) {
        const auto m = re.match(QString::fromUtf8(buf).trimmed());
        if (!m.hasMatch()) {
            continue;
        }
        ReportLine l;
        l.comm = m.captured(1).toStdString();
        l.pid = m.captured(2).toInt();
        l.cpu = m.captured(3).toInt();
        l.ts = m.captured(4).toLongLong() * 1'000'000'000 + m.captured(5).toLongLong();
        l.event = m.captured(6).toStdString();
        l.info = m.captured(7).toStdString();
        lines.push_back(std::move(l));
    }
    pclose(pipe);
    return lines;
}

std::unique_ptr<MainWindow> loadedWindow(const QString& path, QSize size) {
    ensureApp();
    auto w = std::make_unique<MainWindow>();
    w->setQuietErrors(true);
    w->resize(size);
    w->show();
    w->openFile(path);
    w->waitForLoad();
    EXPECT_TRUE(w->session()->current()) << w->lastError().toStdString();
    QApplication::processEvents();
    return w;
}

} // namespace irqlens::gui::test
