// `irqlens --screenshot OUT.png ... FILE`: load, render offscreen, save, exit.
#pragma once

#include <QSize>
#include <QString>
#include <optional>
#include <utility>

namespace irqlens::gui {

struct ScreenshotOptions {
    QString output;
    QString capture;
    QString compare; // optional second capture
    QString view;    // tab id, default the first tab
    QSize size{1600, 1000};
    int selectEpisode = -1; // select this episode's hard IRQ (shows its arrows and details)
    std::optional<std::pair<double, double>> rangeSeconds; // relative to capture start
};

// Parses "WxH" and "START:END" (seconds, relative to the capture start;
// units ns/us/ms/s accepted).  Empty optional on bad text.
std::optional<QSize> parseSize(const QString& text);
std::optional<std::pair<double, double>> parseRange(const QString& text);

// Returns the process exit code; prints one-line errors to stderr.
int runScreenshot(const ScreenshotOptions& options);

} // namespace irqlens::gui
