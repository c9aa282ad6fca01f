#include "app/gui/help_menu.h"

#include "app/gui/library_versions.h"

#include <QAction>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace irqlens::gui {
namespace {

QMenu* findOrMakeHelpMenu(QMainWindow* window) {
    for (QAction* a : window->menuBar()->actions()) {
        if (a->menu() && a->text().remove(QLatin1Char('&')) == QLatin1String("Help")) {
            return a->menu();
        }
    }
    return window->menuBar()->addMenu(QCoreApplication::translate("HelpMenu", "&Help"));
}

void removeActionsNamed(QMenu* menu, const QString& plainText) {
    for (QAction* a : menu->actions()) {
        if (a->text().remove(QLatin1Char('&')) == plainText) {
            menu->removeAction(a);
            a->deleteLater();
        }
    }
}

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

void addHelpMenu(QMainWindow* window) {
    QMenu* help = findOrMakeHelpMenu(window);
    QAction* first = help->actions().isEmpty() ? nullptr : help->actions().first();
    auto* guide = new QAction(QCoreApplication::translate("HelpMenu", "&User guide"), help);
    guide->setShortcut(QKeySequence::HelpContents);
    QObject::connect(guide, &QAction::triggered, window, [window] { showUserGuide(window); });
    help->insertAction(first, guide);

    removeActionsNamed(help, QStringLiteral("About irqlens"));
    help->addAction(QCoreApplication::translate("HelpMenu", "&About irqlens"), window,
                    [window] { showAbout(window); });
}

} // namespace irqlens::gui
