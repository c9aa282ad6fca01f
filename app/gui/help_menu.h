#pragma once
// Help menu: the user guide (docs/USER_GUIDE.md, shown with Qt's Markdown
// support), the keyboard shortcuts and the About box with the versions
// irqlens runs with and where its settings are kept.
#include <QString>

class QMenu;
class QWidget;

namespace irqlens::gui {

// Fills the main window's Help menu, once, when the window builds its menus:
// "User guide" (F1), "Keyboard shortcuts", "About irqlens".
void fillHelpMenu(QMenu* help, QWidget* parent);

// USER_GUIDE.md next to the program (../share/doc/irqlens, the same in the
// build tree and when installed), or "" when not found.
QString userGuidePath();

// The About box's text (HTML), without showing it.
QString aboutText();

void showUserGuide(QWidget* parent);
void showKeyboardShortcuts(QWidget* parent);
void showAbout(QWidget* parent);

} // namespace irqlens::gui
