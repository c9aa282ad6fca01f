// The fuzz input as a file (the loaders take a path): one temp file per
// process, rewritten for every input.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace irqlens::fuzz {

inline std::string inputAsFile(const std::uint8_t* data, std::size_t size) {
    static const std::string path = "/tmp/irqlens-fuzz-" + std::to_string(::getpid()) + ".in";
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f) {
        std::fwrite(data, 1, size, f);
        std::fclose(f);
    }
    return path;
}

} // namespace irqlens::fuzz
