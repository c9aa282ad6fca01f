#include "tests/textread/test_util.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

namespace irqlens::test {

std::vector<std::string> readLines(const std::string& path) {
    std::vector<std::string> out;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

std::vector<std::string> commandLines(const std::string& command) {
    std::vector<std::string> out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return out;
    }
    std::string line;
    for (int c = std::fgetc(pipe); c != EOF; c = std::fgetc(pipe)) {
        if (c == '\n') {
            out.push_back(line);
            line.clear();
        } else {
            line += static_cast<char>(c);
        }
    }
    ::pclose(pipe);
    return out;
}

bool haveCommand(const std::string& name) {
    return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

std::string tempPath(const std::string& name) {
    return "/tmp/irqlens-textread-" + std::to_string(::getpid()) + "-" + name;
}

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string typeName(const EventStore& store, EventRef ref) {
    return store.type(store.event(ref).type).name;
}

} // namespace irqlens::test
