#include "app/cli/command_registry.h"

namespace irqlens::cli {

std::vector<Command>& commands() {
    static std::vector<Command> all;
    return all;
}

} // namespace irqlens::cli
