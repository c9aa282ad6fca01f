// TargetFiles of a remote tracefs, read with shell commands over ssh.  What
// does not change during a recording (events, CPUs, byte order ...) comes
// from one probe round trip: each ssh command costs a round trip plus an
// ssh client start (~0.1-1 s on a loaded host).
#pragma once

#include "core/record/ssh_connection.h"
#include "core/record/target_files.h"

namespace irqlens {

struct RemoteProbe {
    std::string tracingDir;
    bool writable = false;
    AvailableEvents events;
    int cpus = 0;
    bool nonblockingDd = false;
    std::optional<bool> bigEndian;
    int userlandBits = 0;   // ELF class of the target's programs (32 or 64), 0 unknown
    TargetSystem system;    // uname and board model
    std::string moduleMode; // irqlens_gpio_irq's mode= when loaded ("loaded" if unreadable)
};

// Parses probeScript()'s output.
RemoteProbe parseProbe(const std::string& output);

class RemoteFiles : public TargetFiles {
public:
    RemoteFiles(SshConnection& connection, RemoteProbe probe)
        : ssh_(connection), probe_(std::move(probe)) {}
    std::string where() const override { return ssh_.name() + ":" + probe_.tracingDir; }
    std::map<std::string, std::string> readFiles(const std::vector<std::string>& paths) override;
    AvailableEvents availableEvents(std::string& error) override;
    int cpuCount(std::string& error) override;
    std::optional<bool> bigEndian(std::string& error) override;
    TargetSystem system() override { return probe_.system; }

private:
    SshConnection& ssh_;
    RemoteProbe probe_;
};

// Splits the output of the framed `cat` loop RemoteFiles::readFiles runs.
std::map<std::string, std::string> splitFramedFiles(const std::string& output,
                                                    const std::string& marker,
                                                    const std::vector<std::string>& paths);

} // namespace irqlens
