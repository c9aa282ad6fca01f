// The Record dialog's choices: remembered in QSettings between runs, and
// checked before a recording starts (one clear message per problem), then
// turned into the recorder's RecordOptions.
#pragma once

#include "core/record/record_options.h"

#include <QString>
#include <QStringList>
#include <optional>

class QSettings;

namespace irqlens::gui {

struct RecordSettings {
    bool remote = false;
    QString host;                                     // "[user@]host[:port]"
    QStringList recentHosts;                          // most recent first, at most kMaxRecentHosts
    QString preset = QStringLiteral("bottom-halves"); // a presetNames() entry; "none" = custom
    QString events;             // extra (or, for "none", the only) events: "sys:event, sys:*"
    QString modules;            // function graph: module names
    double durationSeconds = 0; // 0: until Stop
    int bufferKb = 0;           // 0: the kernel's default
    QString cpus;               // empty: all CPUs
    QString output;             // empty: a new file in recordingsFolder()

    static constexpr int kMaxRecentHosts = 10;

    static RecordSettings load(QSettings& settings);
    void save(QSettings& settings) const;
    // Puts `host` first in recentHosts (no duplicates, bounded).
    void rememberHost(const QString& host);

    bool operator==(const RecordSettings&) const = default;
};

// What a recording needs, after checking.
struct RecordRequest {
    RecordOptions options;
    QString destination;          // empty: this machine
    QString output;               // absolute path of the trace.dat to write
    bool replaceExisting = false; // the user agreed to replace an existing output
};

// Checks the settings; on a problem returns nullopt and a one-line message
// naming the field.  `localCpuCount` bounds the CPU list of a local recording.
std::optional<RecordRequest> makeRecordRequest(const RecordSettings& settings, int localCpuCount,
                                               QString& error);

// Where recordings go by default: the user's data folder
// ($XDG_DATA_HOME/irqlens/recordings, ~/.local/share/... ), not the shared
// temp directory -- captures hold /proc/kallsyms read as root.
QString recordingsFolder();

// "irqlens-record-<date>-<time>[-N].dat" in recordingsFolder(), a name no
// file has yet.
QString defaultRecordOutput();

// Splits "a:b, c:*  d" at commas and white space.
QStringList splitList(const QString& text);

} // namespace irqlens::gui
