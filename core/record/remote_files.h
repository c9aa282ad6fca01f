// TargetFiles of a remote tracefs, read with shell commands over ssh.
#pragma once

#include "core/record/ssh_connection.h"
#include "core/record/target_files.h"

namespace irqlens {

class RemoteFiles : public TargetFiles {
public:
    RemoteFiles(SshConnection& connection, std::string tracingDir)
        : ssh_(connection), dir_(std::move(tracingDir)) {}
    std::string where() const override { return ssh_.name() + ":" + dir_; }
    std::map<std::string, std::string> readFiles(const std::vector<std::string>& paths) override;
    AvailableEvents availableEvents(std::string& error) override;
    int cpuCount(std::string& error) override;
    std::optional<bool> bigEndian(std::string& error) override;

private:
    SshConnection& ssh_;
    std::string dir_;
};

// Splits the output of the framed `cat` loop RemoteFiles::readFiles runs.
std::map<std::string, std::string> splitFramedFiles(const std::string& output,
                                                    const std::string& marker,
                                                    const std::vector<std::string>& paths);

} // namespace irqlens
