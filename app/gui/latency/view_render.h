// Renders a view off screen into an image, for `irqlens --screenshot` and
// the tests: lays the widget out at `size` without showing it, lets it
// finish background work (a `waitUntilIdle()` slot, when it has one), and
// grabs it.
#pragma once

#include <QImage>
#include <QSize>
#include <QString>

class QWidget;

namespace irqlens::gui {

QImage renderWidget(QWidget* widget, QSize size);
// Saves the rendering as PNG; false with a one-line `error` on failure.
bool saveWidgetScreenshot(QWidget* widget, QSize size, const QString& path,
                          QString* error = nullptr);

} // namespace irqlens::gui
