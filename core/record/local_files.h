// TargetFiles of this machine's tracefs.
#pragma once

#include "core/record/target_files.h"

namespace irqlens {

class LocalFiles : public TargetFiles {
public:
    explicit LocalFiles(std::string tracingDir) : dir_(std::move(tracingDir)) {}
    std::string where() const override { return "local tracefs " + dir_; }
    std::map<std::string, std::string> readFiles(const std::vector<std::string>& paths) override;
    AvailableEvents availableEvents(std::string& error) override;
    int cpuCount(std::string& error) override;
    std::optional<bool> bigEndian(std::string& error) override;
    TargetSystem system() override;

private:
    std::string dir_;
};

// Reads a whole file (tracefs files report size 0, so read to EOF).
std::optional<std::string> readWholeFile(const std::string& path);

} // namespace irqlens
