// Subcommands of irqlens-cli register themselves here (one file per
// subcommand: cmd_<name>.cpp), so main.cpp never needs to know them all.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace irqlens::cli {

struct Command {
    std::string name;    // "summary"
    std::string summary; // one line for `irqlens-cli --help`
    std::string usage;   // full help for `irqlens-cli NAME --help`
    // args excludes the program and the subcommand name. Returns the exit status:
    // 0 ok, 1 runtime failure, 2 bad input / usage.
    std::function<int(const std::vector<std::string>& args)> run;
};

std::vector<Command>& commands();

struct CommandRegistration {
    explicit CommandRegistration(Command command) { commands().push_back(std::move(command)); }
};

} // namespace irqlens::cli
