#include "tests/gui_record/record_test_support.h"

#include "tests/gui/gui_test_support.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSettings>
#include <QThread>
#include <cstdlib>
#include <unistd.h>

namespace irqlens::gui::test {

void ensureIsolatedApp() {
    ensureApp();
    static bool once = false;
    if (once) {
        return;
    }
    once = true;
    // Several test processes may run at once: each gets its own settings file,
    // and its own data folder (default recordings), never the user's.
    QCoreApplication::setApplicationName(QStringLiteral("irqlens-record-test-%1").arg(::getpid()));
    QSettings().clear();
    static const QString data =
        QDir::temp().filePath(QStringLiteral("irqlens-record-test-data-%1").arg(::getpid()));
    QDir(data).removeRecursively();
    ::setenv("XDG_DATA_HOME", data.toLocal8Bit().constData(), 1);
    std::atexit([] {
        const QString file = QSettings().fileName();
        QFile::remove(file);
        QDir(data).removeRecursively();
    });
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return done();
}

std::map<std::string, std::uint64_t> eventsByName(const EventStore& store) {
    std::map<std::string, std::uint64_t> counts;
    for (int c = 0; c < store.cpuCount(); ++c) {
        const CpuEvents& events = store.cpu(c);
        for (std::size_t i = 0; i < events.size(); ++i) {
            ++counts[store.types()[events.type(i)].name];
        }
    }
    return counts;
}

} // namespace irqlens::gui::test
