// Runs app/cli/cmd_record.cpp's `record` command without irqlens-cli's
// main.cpp (built by another branch), so the recorder's tests can drive
// exactly the code irqlens-cli runs: irqlens-record-driver ARGS... is
// `irqlens-cli record ARGS...`.
#include "app/cli/command_registry.h"
#include "core/record/ssh_askpass.h"

#include <iostream>

int main(int argc, char** argv) {
    // Also the askpass program of the tests (IRQLENS_ASKPASS_PROGRAM).
    if (const auto askpass = irqlens::runAskpassIfRequested(argc, argv)) {
        return *askpass;
    }
    std::vector<std::string> args(argv + 1, argv + argc);
    for (const auto& command : irqlens::cli::commands())
        if (command.name == "record")
            return command.run(args);
    std::cerr << "irqlens-record-driver: no record command registered\n";
    return 1;
}
