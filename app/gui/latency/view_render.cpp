#include "app/gui/latency/view_render.h"

#include <QApplication>
#include <QLayout>
#include <QMetaObject>
#include <QPixmap>
#include <QWidget>

namespace irqlens::gui {

QImage renderWidget(QWidget* widget, QSize size) {
    widget->resize(size);
    widget->ensurePolished();
    if (widget->layout())
        widget->layout()->activate();
    if (widget->metaObject()->indexOfMethod("waitUntilIdle()") >= 0)
        QMetaObject::invokeMethod(widget, "waitUntilIdle", Qt::DirectConnection);
    // Let queued replots and layout requests run before grabbing.
    QApplication::processEvents();
    // grab() delivers the pending resize events of a hidden widget, so the
    // plots lay out at their final size before they are painted.
    return widget->grab().toImage();
}

bool saveWidgetScreenshot(QWidget* widget, QSize size, const QString& path, QString* error) {
    const QImage image = renderWidget(widget, size);
    if (image.isNull() || !image.save(path, "PNG")) {
        if (error)
            *error = QStringLiteral("%1: could not write the screenshot").arg(path);
        return false;
    }
    return true;
}

} // namespace irqlens::gui
