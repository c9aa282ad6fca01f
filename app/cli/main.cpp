// irqlens-cli: dispatches to the subcommands that registered themselves
// (command_registry.h).  This file knows none of them by name.
#include "app/cli/command_registry.h"
#include "core/record/ssh_askpass.h"

#include <algorithm>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

namespace {

using irqlens::cli::Command;

const Command* findCommand(const std::string& name) {
    const auto& all = irqlens::cli::commands();
    auto it =
        std::find_if(all.begin(), all.end(), [&](const Command& c) { return c.name == name; });
    return it == all.end() ? nullptr : &*it;
}

void printProgramHelp(std::ostream& out) {
    auto all = irqlens::cli::commands();
    std::sort(all.begin(), all.end(),
              [](const Command& a, const Command& b) { return a.name < b.name; });
    std::size_t width = 0;
    for (const auto& c : all) {
        width = std::max(width, c.name.size());
    }
    out << "Usage: irqlens-cli COMMAND [ARGS...]\n"
           "       irqlens-cli COMMAND --help | --help | --version\n\n"
           "Hard IRQs and their bottom halves (softirq, tasklet, workqueue, irq thread)\n"
           "from ftrace captures (trace.dat v6/v7, trace-cmd report text, tracefs text).\n\n"
           "Commands:\n";
    for (const auto& c : all) {
        out << "  " << c.name << std::string(width - c.name.size() + 2, ' ') << c.summary << "\n";
    }
    out << "\nExit status: 0 ok, 1 failure while running, 2 bad input or usage.\n";
}

bool isHelp(const std::string& arg) {
    return arg == "--help" || arg == "-h";
}

int dispatch(const std::vector<std::string>& args) {
    if (args.empty()) {
        std::cerr << "irqlens-cli: no command given (see irqlens-cli --help)\n";
        return 2;
    }
    const std::string& first = args.front();
    if (isHelp(first)) {
        printProgramHelp(std::cout);
        return 0;
    }
    if (first == "--version" || first == "-V") {
        std::cout << "irqlens-cli " << IRQLENS_VERSION << "\n";
        return 0;
    }
    const bool helpCommand = first == "help";
    const std::string name = helpCommand ? (args.size() > 1 ? args[1] : "") : first;
    if (helpCommand && name.empty()) {
        printProgramHelp(std::cout);
        return 0;
    }
    const Command* command = findCommand(name);
    if (!command) {
        std::cerr << "irqlens-cli: unknown command '" << name << "' (see irqlens-cli --help)\n";
        return 2;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (helpCommand || std::any_of(rest.begin(), rest.end(), isHelp)) {
        std::cout << command->usage;
        return 0;
    }
    return command->run(rest);
}

} // namespace

int main(int argc, char** argv) {
    // Started by ssh to ask for a password or a host key (cmd_record.cpp).
    if (const auto askpass = irqlens::runAskpassIfRequested(argc, argv)) {
        return *askpass;
    }
    try {
        return dispatch(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::bad_alloc&) {
        std::cerr << "irqlens-cli: out of memory\n";
    } catch (const std::exception& e) {
        std::cerr << "irqlens-cli: internal error: " << e.what() << "\n";
    }
    return 1;
}
