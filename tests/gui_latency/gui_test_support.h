// Shared helpers for the latency view tests: one QApplication for the whole
// test binary (gtest_main owns main()), value-to-bin like logHistogram's
// documented rule, file parsing for exported plots.
#pragma once

#include "tests/support/test_data.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QStringList>
#include <QXmlStreamReader>
#include <algorithm>
#include <cstdint>
#include <vector>

namespace irqlens::test {

inline QApplication* testApp() {
    // ctest may not pass the environment of irqlens_add_gtest: no display needed anyway.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "gui_latency_test";
    static char* argv[] = {name, nullptr};
    static QApplication* app = new QApplication(argc, argv);
    return app;
}

// Where screenshots of the views go (build/<preset>/screenshots).
inline QString screenshotDir() {
    const QString dir = QStringLiteral(IRQLENS_LATENCY_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    return dir;
}

inline QString qDataPath(const char* name) {
    return QString::fromStdString(irqlens::test::dataPath(name));
}

// Bin i holds edges[i] <= v < edges[i+1]; values below the first edge
// (0 ns, negative) land in bin 0 — the rule distribution.h documents.
inline std::vector<std::uint64_t> countInBins(const std::vector<std::int64_t>& values,
                                              const std::vector<double>& edges) {
    std::vector<std::uint64_t> counts(edges.size() - 1, 0);
    for (std::int64_t v : values) {
        const auto x = static_cast<double>(v);
        std::size_t bin = 0;
        while (bin + 1 < counts.size() && x >= edges[bin + 1])
            ++bin;
        ++counts[bin];
    }
    return counts;
}

inline QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The name of the document element of an XML file, "" when it does not parse.
inline QString xmlRoot(const QString& path) {
    QXmlStreamReader xml(readAll(path));
    QString root;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && root.isEmpty())
            root = xml.name().toString();
    }
    return xml.hasError() ? QString() : root;
}

// CSV lines (non-empty), each split on commas outside quotes.
inline std::vector<QStringList> readCsv(const QString& path) {
    std::vector<QStringList> rows;
    for (const QByteArray& line : readAll(path).split('\n')) {
        if (line.isEmpty())
            continue;
        QStringList fields;
        QString field;
        bool quoted = false;
        for (const QChar c : QString::fromUtf8(line)) {
            if (c == QLatin1Char('"'))
                quoted = !quoted;
            else if (c == QLatin1Char(',') && !quoted) {
                fields << field;
                field.clear();
            } else
                field += c;
        }
        fields << field;
        rows.push_back(fields);
    }
    return rows;
}

} // namespace irqlens::test
