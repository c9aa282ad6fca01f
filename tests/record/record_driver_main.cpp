// Runs app/cli/cmd_record.cpp's `record` command without irqlens-cli's
// main.cpp (built by another branch), so the recorder's tests can drive
// exactly the code irqlens-cli runs: irqlens-record-driver ARGS... is
// `irqlens-cli record ARGS...`.
#include "app/cli/command_registry.h"

#include <iostream>

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    for (const auto& command : irqlens::cli::commands())
        if (command.name == "record")
            return command.run(args);
    std::cerr << "irqlens-record-driver: no record command registered\n";
    return 1;
}
