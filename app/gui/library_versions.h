#pragma once
// The versions of the libraries irqlens runs with, for Help > About.
#include <string>
#include <vector>

namespace irqlens::gui {

struct LibraryVersion {
    std::string name;      // "libtracecmd"
    std::string builtWith; // pkg-config --modversion at build time, "" if unknown
    std::string loaded;    // from the file the dynamic loader mapped, "" if not loaded
    std::string loadedPath;
};

// libtracecmd, libtraceevent and libtracefs.
std::vector<LibraryVersion> traceLibraryVersions();

// "1.3.1" from "/usr/lib/x86_64-linux-gnu/libtracecmd.so.1.3.1" when the file
// name starts with "libNAME.so."; "" otherwise.
std::string versionFromSoname(const std::string& path, const std::string& name);

} // namespace irqlens::gui
