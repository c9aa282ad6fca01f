// Shared helpers of the GUI tests: the offscreen QApplication, data paths,
// `trace-cmd report` as the independent source of truth, and loading.
#pragma once

#include "app/gui/main_window.h"

#include <QString>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace irqlens::gui::test {

void ensureApp();                       // creates the QApplication (offscreen) once
QString qDataPath(const QString& name); // test::dataPath() as a QString
QString binPath(const QString& name);

// One line of `trace-cmd report -t` (ns timestamps).
struct ReportLine {
    std::string comm;
    int pid = 0;
    int cpu = 0;
    std::int64_t ts = 0; // ns
    std::string event;
    std::string info;
};
std::vector<ReportLine> traceCmdReport(const QString& path);

// A main window with `path` loaded (asserts success).
std::unique_ptr<MainWindow> loadedWindow(const QString& path, QSize size = {1400, 900});

} // namespace irqlens::gui::test
