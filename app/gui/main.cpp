// irqlens: the desktop application (and its --screenshot mode).
#include "app/gui/main_window.h"
#include "app/gui/screenshot.h"
#include "core/record/ssh_askpass.h"

#include <QApplication>
#include <QCommandLineParser>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {
bool wantsScreenshot(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--screenshot") == 0 ||
            std::strncmp(argv[i], "--screenshot=", 13) == 0) {
            return true;
        }
    }
    return false;
}

int usageError(const QString& message) {
    std::fprintf(stderr, "irqlens: %s\n", qPrintable(message));
    return 2;
}

// The command line's options, kept together so parsing and use share names.
struct Options {
    QCommandLineOption shot{QStringLiteral("screenshot"),
                            QStringLiteral("Render the window to OUT.png and exit."),
                            QStringLiteral("OUT.png")};
    QCommandLineOption size{QStringLiteral("size"),
                            QStringLiteral("Window size for --screenshot (default 1600x1000)."),
                            QStringLiteral("WxH")};
    QCommandLineOption range{
        QStringLiteral("range"),
        QStringLiteral(
            "Time range to show, seconds from the capture start (units ns/us/ms/s allowed)."),
        QStringLiteral("START:END")};
    QCommandLineOption view{
        QStringLiteral("view"),
        QStringLiteral("View to show: overview (the first), timeline, latency, compare, stacks."),
        QStringLiteral("ID")};
    QCommandLineOption compare{QStringLiteral("compare"),
                               QStringLiteral("Second capture to compare with."),
                               QStringLiteral("FILE2")};
    QCommandLineOption episode{
        QStringLiteral("select-episode"),
        QStringLiteral("With --screenshot: select episode N (its hard IRQ) first."),
        QStringLiteral("N")};
};

void setUpParser(QCommandLineParser& parser, const Options& o) {
    parser.setApplicationDescription(
        QStringLiteral("See how Linux handles an interrupt: hard IRQs and their bottom halves."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("capture to open (trace.dat, report text)"));
    parser.addOptions({o.shot, o.size, o.range, o.view, o.compare, o.episode});
}

// --screenshot mode: renders and exits (2 with one line on a bad option).
int runScreenshotMode(const QCommandLineParser& parser, const Options& opt,
                      const QStringList& files) {
    irqlens::gui::ScreenshotOptions o;
    o.output = parser.value(opt.shot);
    if (files.size() != 1) {
        return usageError(QStringLiteral("--screenshot needs exactly one capture FILE"));
    }
    o.capture = files.first();
    if (parser.isSet(opt.size)) {
        const auto s = irqlens::gui::parseSize(parser.value(opt.size));
        if (!s) {
            return usageError(QStringLiteral("--size %1: expected WxH, e.g. 1600x1000")
                                  .arg(parser.value(opt.size)));
        }
        o.size = *s;
    }
    if (parser.isSet(opt.range)) {
        o.rangeSeconds = irqlens::gui::parseRange(parser.value(opt.range));
        if (!o.rangeSeconds) {
            return usageError(
                QStringLiteral("--range %1: expected START:END in seconds, e.g. 0.5:0.75")
                    .arg(parser.value(opt.range)));
        }
    }
    if (parser.isSet(opt.episode)) {
        bool ok = false;
        o.selectEpisode = parser.value(opt.episode).toInt(&ok);
        if (!ok || o.selectEpisode < 0) {
            return usageError(QStringLiteral("--select-episode %1: expected a number >= 0")
                                  .arg(parser.value(opt.episode)));
        }
    }
    o.view = parser.value(opt.view);
    o.compare = parser.value(opt.compare);
    return irqlens::gui::runScreenshot(o);
}

// The desktop window: opens FILE, then the comparison capture once the first
// load is in, then the asked view.
int runWindow(const QCommandLineParser& parser, const Options& opt, const QStringList& files) {
    irqlens::gui::MainWindow window;
    window.show();
    if (!files.isEmpty()) {
        window.openFile(files.first());
    }
    if (parser.isSet(opt.compare)) {
        QObject::connect(&window, &irqlens::gui::MainWindow::loadFinished, &window,
                         [&window, path = parser.value(opt.compare)](bool ok) {
                             static bool done = false;
                             if (ok && !done) {
                                 done = true;
                                 window.openComparison(path);
                             }
                         });
    }
    if (parser.isSet(opt.view)) {
        window.showView(parser.value(opt.view));
    }
    return QApplication::exec();
}
} // namespace

int main(int argc, char** argv) {
    // Started by ssh to ask for a password or a host key: the question goes
    // to the Record dialog of the irqlens process that is recording.
    if (const auto askpass = irqlens::runAskpassIfRequested(argc, argv)) {
        return *askpass;
    }
    // A screenshot needs no display.
    if (wantsScreenshot(argc, argv)) {
        setenv("QT_QPA_PLATFORM", "offscreen", 0);
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("irqlens"));
    QApplication::setOrganizationName(QStringLiteral("irqlens"));
    QApplication::setApplicationVersion(QStringLiteral(IRQLENS_VERSION));

    const Options options;
    QCommandLineParser parser;
    setUpParser(parser, options);
    parser.process(app);
    const QStringList files = parser.positionalArguments();
    return parser.isSet(options.shot) ? runScreenshotMode(parser, options, files)
                                      : runWindow(parser, options, files);
}
