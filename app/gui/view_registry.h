// Views (tabs of the main window) register themselves here from their own
// .cpp file, with a namespace-scope ViewRegistration, so the main window needs
// no list.
#pragma once

#include <QString>
#include <QWidget>
#include <functional>
#include <vector>

namespace irqlens::gui {

class CaptureSession;

struct ViewFactory {
    QString id;      // "timeline", "latency", "compare", "stacks" (used by --view)
    QString title;   // tab title
    int order = 100; // tabs sorted by this
    std::function<QWidget*(CaptureSession* session, QWidget* parent)> create;
};

std::vector<ViewFactory>& registeredViews();

struct ViewRegistration {
    explicit ViewRegistration(ViewFactory factory) {
        registeredViews().push_back(std::move(factory));
    }
};

} // namespace irqlens::gui
