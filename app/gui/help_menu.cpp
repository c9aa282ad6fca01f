#include "app/gui/help_menu.h"

#include "app/gui/library_versions.h"

#include <QAction>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace irqlens::gui {
namespace {

QString libraryRow(const LibraryVersion& lib) {
    const QString loaded = lib.loaded.empty()
                               ? QStringLiteral("not loaded")
                               : QString::fromStdString(lib.loaded) + QStringLiteral(" (") +
                                     QString::fromStdString(lib.loadedPath).toHtmlEscaped() +
                                     QStringLiteral(")");
    const QString built =
        lib.builtWith.empty() ? QStringLiteral("?") : QString::fromStdString(lib.builtWith);
    return QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td></tr>")
        .arg(QString::fromStdString(lib.name), loaded, built);
}

} // namespace

QString userGuidePath() {
    const QDir bin(QCoreApplication::applicationDirPath());
    const QStringList candidates = {
        bin.absoluteFilePath(QStringLiteral("../share/doc/irqlens/USER_GUIDE.md")),
        QStringLiteral("/usr/share/doc/irqlens/USER_GUIDE.md"),
    };
    for (const QString& c : candidates) {
        if (QFileInfo::exists(c)) {
            return QFileInfo(c).canonicalFilePath();
        }
    }
    return {};
}

QString aboutText() {
    QString rows;
    for (const LibraryVersion& lib : traceLibraryVersions()) {
        rows += libraryRow(lib);
    }
    rows += QStringLiteral("<tr><td>Qt</td><td>%1</td><td>%2</td></tr>")
                .arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR));
    const QString guide = userGuidePath();
    return QStringLiteral(
               "<p><b>irqlens</b> %1<br>How Linux handles an interrupt: hard IRQs and their "
               "bottom halves from ftrace captures.</p>"
               "<table cellspacing=4><tr><th align=left>library</th><th align=left>running "
               "with</th><th align=left>built with</th></tr>%2</table>"
               "<p><small>“running with”: the library file the program loaded; “built "
               "with”: pkg-config's version at build time.</small></p>"
               "<p>Settings: %3<br>User guide: %4</p>")
        .arg(QCoreApplication::applicationVersion(), rows, QSettings().fileName().toHtmlEscaped(),
             guide.isEmpty() ? QStringLiteral("not installed") : guide.toHtmlEscaped());
}

void showAbout(QWidget* parent) {
    QMessageBox::about(parent, QCoreApplication::translate("HelpMenu", "About irqlens"),
                       aboutText());
}

void showUserGuide(QWidget* parent) {
    const QString path = userGuidePath();
    if (path.isEmpty()) {
        QMessageBox::warning(
            parent, QCoreApplication::translate("HelpMenu", "User guide"),
            QCoreApplication::translate(
                "HelpMenu", "USER_GUIDE.md was not found in %1 nor in /usr/share/doc/irqlens.")
                .arg(QDir(QCoreApplication::applicationDirPath())
                         .absoluteFilePath(QStringLiteral("../share/doc/irqlens"))));
        return;
    }
    auto* dialog = new QDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QCoreApplication::translate("HelpMenu", "irqlens user guide"));
    auto* browser = new QTextBrowser(dialog);
    browser->setOpenExternalLinks(true);
    // relative image paths (images/*.png) resolve against the guide's folder
    browser->setSearchPaths({QFileInfo(path).absolutePath()});
    browser->setSource(QUrl::fromLocalFile(path), QTextDocument::MarkdownResource);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(browser);
    layout->addWidget(buttons);
    dialog->resize(960, 760);
    dialog->show();
}

void showKeyboardShortcuts(QWidget* parent) {
    QMessageBox::information(
        parent, QCoreApplication::translate("HelpMenu", "Keyboard shortcuts"),
        QCoreApplication::translate(
            "HelpMenu",
            "<table>"
            "<tr><td><b>W / S</b></td><td>zoom in / out (mouse wheel: around the cursor)</td></tr>"
            "<tr><td><b>A / D</b></td><td>pan left / right (or drag)</td></tr>"
            "<tr><td><b>Shift+drag</b></td><td>select a time range</td></tr>"
            "<tr><td><b>Z</b></td><td>zoom to the selection / markers / selected "
            "episode</td></tr>"
            "<tr><td><b>0, Home</b></td><td>show the whole capture</td></tr>"
            "<tr><td><b>M / Shift+M</b></td><td>marker A / B at the cursor (or click / "
            "Shift+click the axis)</td></tr>"
            "<tr><td><b>Esc</b></td><td>clear the selection</td></tr>"
            "<tr><td><b>Ctrl+O</b></td><td>open; Ctrl+Shift+O: compare with…</td></tr>"
            "<tr><td><b>Ctrl+R</b></td><td>record…; Ctrl+. or Esc (in the dialog): stop; "
            "Ctrl+Shift+S: save as…</td></tr>"
            "</table>"));
}

void fillHelpMenu(QMenu* help, QWidget* parent) {
    QAction* guide = help->addAction(QCoreApplication::translate("HelpMenu", "&User guide"), parent,
                                     [parent] { showUserGuide(parent); });
    guide->setShortcut(QKeySequence::HelpContents);
    help->addAction(QCoreApplication::translate("HelpMenu", "&Keyboard shortcuts"), parent,
                    [parent] { showKeyboardShortcuts(parent); });
    help->addAction(QCoreApplication::translate("HelpMenu", "&About irqlens"), parent,
                    [parent] { showAbout(parent); });
}

} // namespace irqlens::gui
