#include "app/gui/library_versions.h"

#include <climits>
#include <cstdlib>
#include <link.h>

// The build-time versions come from pkg-config (cmake/Dependencies.cmake); the
// definitions are added to irqlens_gui by packaging/CMakeLists.txt.
#ifndef IRQLENS_BUILT_LIBTRACECMD
#define IRQLENS_BUILT_LIBTRACECMD ""
#endif
#ifndef IRQLENS_BUILT_LIBTRACEEVENT
#define IRQLENS_BUILT_LIBTRACEEVENT ""
#endif
#ifndef IRQLENS_BUILT_LIBTRACEFS
#define IRQLENS_BUILT_LIBTRACEFS ""
#endif

namespace irqlens::gui {
namespace {

std::string baseName(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string realPath(const char* path) {
    char resolved[PATH_MAX];
    return realpath(path, resolved) ? std::string(resolved) : std::string(path);
}

// The loaded object's resolved file name (libtracecmd.so.1 -> libtracecmd.so.1.3.1)
// carries the full version of the library really in use.
int collectLoaded(dl_phdr_info* info, size_t, void* data) {
    auto* libs = static_cast<std::vector<LibraryVersion>*>(data);
    if (!info->dlpi_name || !*info->dlpi_name) {
        return 0;
    }
    for (auto& lib : *libs) {
        if (!lib.loaded.empty() || baseName(info->dlpi_name).rfind(lib.name + ".so", 0) != 0) {
            continue;
        }
        lib.loadedPath = realPath(info->dlpi_name);
        lib.loaded = versionFromSoname(lib.loadedPath, lib.name);
    }
    return 0;
}

} // namespace

std::string versionFromSoname(const std::string& path, const std::string& name) {
    const std::string file = baseName(path);
    const std::string prefix = name + ".so.";
    if (file.rfind(prefix, 0) != 0) {
        return {};
    }
    return file.substr(prefix.size());
}

std::vector<LibraryVersion> traceLibraryVersions() {
    std::vector<LibraryVersion> libs = {
        {"libtracecmd", IRQLENS_BUILT_LIBTRACECMD, {}, {}},
        {"libtraceevent", IRQLENS_BUILT_LIBTRACEEVENT, {}, {}},
        {"libtracefs", IRQLENS_BUILT_LIBTRACEFS, {}, {}},
    };
    dl_iterate_phdr(collectLoaded, &libs);
    return libs;
}

} // namespace irqlens::gui
