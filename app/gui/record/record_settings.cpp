#include "app/gui/record/record_settings.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <algorithm>

namespace irqlens::gui {

namespace {
QString key(const char* name) {
    return QStringLiteral("record/") + QLatin1String(name);
}

bool knownPreset(const QString& preset) {
    const auto& names = presetNames();
    return std::find(names.begin(), names.end(), preset.toStdString()) != names.end();
}
} // namespace

RecordSettings RecordSettings::load(QSettings& s) {
    RecordSettings r;
    r.remote = s.value(key("remote"), false).toBool();
    r.host = s.value(key("host")).toString();
    r.recentHosts = s.value(key("recentHosts")).toStringList();
    while (r.recentHosts.size() > kMaxRecentHosts) {
        r.recentHosts.removeLast();
    }
    const QString preset = s.value(key("preset"), r.preset).toString();
    if (knownPreset(preset)) {
        r.preset = preset;
    }
    r.events = s.value(key("events")).toString();
    r.modules = s.value(key("modules")).toString();
    r.durationSeconds = std::max(0.0, s.value(key("duration"), 0.0).toDouble());
    r.bufferKb = std::max(0, s.value(key("bufferKb"), 0).toInt());
    r.cpus = s.value(key("cpus")).toString();
    r.output = s.value(key("output")).toString();
    return r;
}

void RecordSettings::save(QSettings& s) const {
    s.setValue(key("remote"), remote);
    s.setValue(key("host"), host);
    s.setValue(key("recentHosts"), recentHosts);
    s.setValue(key("preset"), preset);
    s.setValue(key("events"), events);
    s.setValue(key("modules"), modules);
    s.setValue(key("duration"), durationSeconds);
    s.setValue(key("bufferKb"), bufferKb);
    s.setValue(key("cpus"), cpus);
    s.setValue(key("output"), output);
}

void RecordSettings::rememberHost(const QString& h) {
    const QString trimmed = h.trimmed();
    if (trimmed.isEmpty()) {
        return;
    }
    recentHosts.removeAll(trimmed);
    recentHosts.prepend(trimmed);
    while (recentHosts.size() > kMaxRecentHosts) {
        recentHosts.removeLast();
    }
}

QStringList splitList(const QString& text) {
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

QString recordingsFolder() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(QStringLiteral("irqlens/recordings"));
}

QString defaultRecordOutput() {
    const QDir dir(recordingsFolder());
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString path = dir.filePath(QStringLiteral("irqlens-record-%1.dat").arg(stamp));
    for (int n = 2; QFileInfo(path).exists() || QFileInfo(path).isSymLink(); ++n) {
        path = dir.filePath(QStringLiteral("irqlens-record-%1-%2.dat").arg(stamp).arg(n));
    }
    return path;
}

namespace {
bool fillEvents(const RecordSettings& s, RecordOptions& o, QString& error) {
    for (const QString& e : splitList(s.events)) {
        std::string why;
        if (!parseEventPattern(e.toStdString(), why)) {
            error = QObject::tr("Events: %1").arg(QString::fromStdString(why));
            return false;
        }
        o.events.push_back(e.toStdString());
    }
    if (s.preset == QLatin1String("none") && o.events.empty()) {
        error = QObject::tr("Events: the custom preset needs at least one event "
                            "(SYSTEM:EVENT, SYSTEM:* or SYSTEM)");
        return false;
    }
    for (const QString& m : splitList(s.modules)) {
        o.modules.push_back(m.toStdString());
    }
    return true;
}

// The recordings folder, private to the user (0700), made when missing.
bool makeRecordingsFolder(QString& error) {
    const QString folder = recordingsFolder();
    if (!QDir().mkpath(folder)) {
        error = QObject::tr("Output: cannot create the folder %1").arg(folder);
        return false;
    }
    QFile::setPermissions(folder,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return true;
}

bool fillOutput(const RecordSettings& s, RecordRequest& r, QString& error) {
    if (s.output.trimmed().isEmpty() && !makeRecordingsFolder(error)) {
        return false;
    }
    r.output = s.output.trimmed().isEmpty() ? defaultRecordOutput() : s.output.trimmed();
    const QFileInfo file(r.output);
    r.output = file.absoluteFilePath();
    const QFileInfo dir(file.absolutePath());
    if (file.isDir()) {
        error = QObject::tr("Output: %1 is a folder, not a file").arg(r.output);
    } else if (!dir.isDir()) {
        error = QObject::tr("Output: the folder %1 does not exist").arg(dir.filePath());
    } else if (!dir.isWritable()) {
        error = QObject::tr("Output: the folder %1 is not writable").arg(dir.filePath());
    }
    return error.isEmpty();
}
} // namespace

std::optional<RecordRequest> makeRecordRequest(const RecordSettings& s, int localCpuCount,
                                               QString& error) {
    RecordRequest r;
    error.clear();
    if (s.remote) {
        r.destination = s.host.trimmed();
        if (r.destination.isEmpty()) {
            error = QObject::tr("Host: enter the machine to record, as [user@]host[:port]");
            return std::nullopt;
        }
    }
    if (!knownPreset(s.preset)) {
        error = QObject::tr("Events: unknown preset '%1'").arg(s.preset);
        return std::nullopt;
    }
    r.options.preset = s.preset.toStdString();
    if (!fillEvents(s, r.options, error)) {
        return std::nullopt;
    }
    r.options.durationSeconds = s.durationSeconds;
    r.options.bufferKb = static_cast<unsigned>(std::max(0, s.bufferKb));
    r.options.cpus = s.cpus.trimmed().toStdString();
    if (!r.options.cpus.empty()) {
        // A remote target's CPU count is known only once connected: check
        // the syntax here, the recorder checks the numbers.
        std::string why;
        if (!parseCpuList(r.options.cpus, s.remote ? 4096 : localCpuCount, why)) {
            error = QObject::tr("CPUs: %1").arg(QString::fromStdString(why));
            return std::nullopt;
        }
    }
    if (!fillOutput(s, r, error)) {
        return std::nullopt;
    }
    return r;
}

} // namespace irqlens::gui
