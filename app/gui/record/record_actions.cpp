#include "app/gui/record/record_actions.h"

#include "app/gui/main_window.h"
#include "app/gui/record/record_dialog.h"

#include <QAction>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QSettings>
#include <QStatusBar>

namespace irqlens::gui {

RecordDialog* recordDialog(MainWindow* window) {
    if (auto* dialog = window->findChild<RecordDialog*>()) {
        return dialog;
    }
    return new RecordDialog(window);
}

bool saveCaptureCopy(const QString& from, const QString& to, QString& error) {
    const QFileInfo source(from);
    if (source.exists() && QFileInfo(to).exists() &&
        source.canonicalFilePath() == QFileInfo(to).canonicalFilePath()) {
        return true; // already there
    }
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly)) {
        error = QObject::tr("%1: cannot read (%2)").arg(from, in.errorString());
        return false;
    }
    // QSaveFile: the destination is replaced only once the copy is complete.
    QSaveFile out(to);
    if (!out.open(QIODevice::WriteOnly)) {
        error = QObject::tr("%1: cannot write (%2)").arg(to, out.errorString());
        return false;
    }
    QByteArray block;
    while (!(block = in.read(1 << 20)).isEmpty()) {
        if (out.write(block) != block.size()) {
            error = QObject::tr("%1: cannot write (%2)").arg(to, out.errorString());
            out.cancelWriting();
            return false;
        }
    }
    if (in.error() != QFile::NoError || !out.commit()) {
        error = QObject::tr("%1: copy failed (%2)")
                    .arg(to, in.error() != QFile::NoError ? in.errorString() : out.errorString());
        return false;
    }
    return true;
}

namespace {
void saveAs(MainWindow* window) {
    if (auto* dialog = window->findChild<RecordDialog*>(); dialog && dialog->isRecording()) {
        window->statusBar()->showMessage(QObject::tr("Save As: available once the recording stops"),
                                         4000);
        return; // the file is still a sparse partial one
    }
    const auto& capture = window->session()->current();
    if (!capture) {
        window->statusBar()->showMessage(QObject::tr("Nothing to save: no capture is open"), 4000);
        return;
    }
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("lastDirectory")).toString();
    const QString suggestion = QFileInfo(dir, QFileInfo(capture->path).fileName()).filePath();
    const QString to =
        QFileDialog::getSaveFileName(window, QObject::tr("Save capture as"), suggestion,
                                     QObject::tr("trace.dat (*.dat);;All files (*)"));
    if (to.isEmpty()) {
        return;
    }
    QString error;
    if (!saveCaptureCopy(capture->path, to, error)) {
        QMessageBox::warning(window, QObject::tr("Save As"), error);
        return;
    }
    settings.setValue(QStringLiteral("lastDirectory"), QFileInfo(to).absolutePath());
    window->statusBar()->showMessage(QObject::tr("Saved %1").arg(to), 6000);
}
} // namespace

void addRecordActions(MainWindow* window, QMenu* file) {
    file->addAction(QObject::tr("&Record…"), QKeySequence(QObject::tr("Ctrl+R")), window, [window] {
        RecordDialog* dialog = recordDialog(window);
        dialog->show();
        dialog->raise();
        dialog->activateWindow();
    });
    QAction* stop = file->addAction(QObject::tr("S&top recording"),
                                    QKeySequence(QObject::tr("Ctrl+.")), window, [window] {
                                        if (auto* d = window->findChild<RecordDialog*>()) {
                                            d->stopRecording();
                                        }
                                    });
    stop->setObjectName(QStringLiteral("stopRecording")); // the dialog enables it while recording
    stop->setEnabled(false);
    QAction* saveAsAction =
        file->addAction(QObject::tr("Save &As…"), QKeySequence(QObject::tr("Ctrl+Shift+S")), window,
                        [window] { saveAs(window); });
    saveAsAction->setObjectName(QStringLiteral("saveAs")); // the dialog disables it while recording
    file->setToolTipsVisible(true); // why Save As is greyed out during a recording
}

} // namespace irqlens::gui
