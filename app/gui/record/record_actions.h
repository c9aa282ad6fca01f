// The main window's File menu entries of recording: Record… (Ctrl+R),
// Stop recording (Ctrl+.) and Save As… (Ctrl+Shift+S), which copies the
// current capture's file (a recording in a temp file, or any opened file).
#pragma once

#include <QString>

class QMenu;

namespace irqlens::gui {

class MainWindow;
class RecordDialog;

void addRecordActions(MainWindow* window, QMenu* fileMenu);

// The window's Record dialog (created on first use, shown by the caller).
RecordDialog* recordDialog(MainWindow* window);

// Copies `from` to `to` (replacing `to`); true without copying when both
// name the same file.  `error` is one line naming the file.
bool saveCaptureCopy(const QString& from, const QString& to, QString& error);

} // namespace irqlens::gui
