#pragma once
// Help menu: the user guide (docs/USER_GUIDE.md, shown with Qt's Markdown
// support) and the About box with the versions irqlens runs with and where
// its settings are kept.
#include <QString>

class QMainWindow;
class QWidget;

namespace irqlens::gui {

// Adds "User guide" (F1) and "About irqlens" to the window's Help menu (made if
// it has none).  An "About irqlens" action already there is replaced.
void addHelpMenu(QMainWindow* window);

// USER_GUIDE.md next to the program (../share/doc/irqlens, the same in the
// build tree and when installed), or "" when not found.
QString userGuidePath();

// The About box's text (HTML), without showing it.
QString aboutText();

void showUserGuide(QWidget* parent);
void showAbout(QWidget* parent);

} // namespace irqlens::gui
