#include "app/gui/screenshot.h"

#include "app/gui/main_window.h"
#include "app/gui/timeline/timeline_canvas.h"

#include <QApplication>
#include <QImage>
#include <QMetaObject>
#include <QRegularExpression>
#include <QTabWidget>
#include <cstdio>

namespace irqlens::gui {

std::optional<QSize> parseSize(const QString& text) {
    static const QRegularExpression re(QStringLiteral("^(\\d{2,5})[xX](\\d{2,5})$"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch()) {
        return std::nullopt;
    }
    const QSize s(m.captured(1).toInt(), m.captured(2).toInt());
    if (s.width() < 200 || s.height() < 150 || s.width() > 10000 || s.height() > 10000) {
        return std::nullopt;
    }
    return s;
}

namespace {
std::optional<double> parseSeconds(const QString& text) {
    static const QRegularExpression re(QStringLiteral("^([0-9]*\\.?[0-9]+)\\s*(ns|us|µs|ms|s)?$"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch()) {
        return std::nullopt;
    }
    const double v = m.captured(1).toDouble();
    const QString unit = m.captured(2);
    const double scale = unit == "ns"                                   ? 1e-9
                         : unit == "us" || unit == QStringLiteral("µs") ? 1e-6
                         : unit == "ms"                                 ? 1e-3
                                                                        : 1.0;
    return v * scale;
}

void fail(const QString& message) {
    std::fprintf(stderr, "irqlens: %s\n", qPrintable(message));
}
} // namespace

std::optional<std::pair<double, double>> parseRange(const QString& text) {
    const QStringList parts = text.split(QLatin1Char(':'));
    if (parts.size() != 2) {
        return std::nullopt;
    }
    const auto a = parseSeconds(parts[0]);
    const auto b = parseSeconds(parts[1]);
    if (!a || !b || *b <= *a) {
        return std::nullopt;
    }
    return std::pair(*a, *b);
}

int runScreenshot(const ScreenshotOptions& options) {
    MainWindow window;
    window.setQuietErrors(true);
    window.resize(options.size);
    window.setAttribute(Qt::WA_DontShowOnScreen, true);
    window.show();
    window.openFile(options.capture);
    window.waitForLoad();
    if (!window.session()->current()) {
        fail(window.lastError().isEmpty() ? options.capture + ": could not be loaded"
                                          : window.lastError());
        return 2;
    }
    if (!options.compare.isEmpty()) {
        window.openComparison(options.compare);
        window.waitForLoad();
        if (!window.session()->comparison()) {
            fail(window.lastError());
            return 2;
        }
    }
    if (!options.view.isEmpty() && !window.showView(options.view)) {
        fail(QStringLiteral("--view %1: no such view").arg(options.view));
        return 2;
    }
    if (options.selectEpisode >= 0) {
        const Analysis& a = *window.session()->current()->analysis;
        if (static_cast<std::size_t>(options.selectEpisode) >= a.episodes.size()) {
            fail(QStringLiteral("--select-episode %1: the capture has %2 episodes")
                     .arg(options.selectEpisode)
                     .arg(a.episodes.size()));
            return 2;
        }
        const Episode& e = a.episodes[static_cast<std::size_t>(options.selectEpisode)];
        window.session()->selectSpan(e.hardIrq);
        if (!options.rangeSeconds) { // show the whole episode with some context
            const std::int64_t start = a.spans[e.hardIrq].start;
            const std::int64_t pad = std::max<std::int64_t>((e.end - start) / 2, 2000);
            window.session()->showRange(start - pad, e.end + pad);
        }
    }
    if (options.rangeSeconds) {
        const auto t0 = window.session()->current()->store->firstTs();
        window.session()->showRange(t0 + static_cast<qint64>(options.rangeSeconds->first * 1e9),
                                    t0 + static_cast<qint64>(options.rangeSeconds->second * 1e9));
    }
    window.resize(options.size);
    QApplication::processEvents();
    // Views that compute in the background (the compare view's bootstrap)
    // finish before the picture is taken.
    for (QWidget* child : window.findChildren<QWidget*>()) {
        if (child->metaObject()->indexOfMethod("waitUntilIdle()") >= 0)
            QMetaObject::invokeMethod(child, "waitUntilIdle", Qt::DirectConnection);
    }
    QApplication::processEvents();
    const QImage image = window.grab().toImage().scaled(options.size); // grab() follows the DPR
    if (!image.save(options.output, "PNG")) {
        fail(options.output + QStringLiteral(": cannot write the PNG"));
        return 3;
    }
    return 0;
}

} // namespace irqlens::gui
