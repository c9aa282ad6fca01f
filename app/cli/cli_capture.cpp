#include "app/cli/cli_capture.h"

#include "parsers/capture_loader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <new>

namespace irqlens::cli {

namespace fs = std::filesystem;

std::string pathProblem(const std::string& path) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
        return ec && ec != std::errc::no_such_file_or_directory ? ec.message() : "no such file";
    }
    if (fs::is_directory(status)) {
        return "is a directory, not a capture file";
    }
    if (!fs::is_regular_file(status)) {
        return "is not a regular file";
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::string("cannot be opened: ") + std::strerror(errno);
    }
    if (fs::file_size(path, ec) == 0 && !ec) {
        return "is empty (0 bytes)";
    }
    return {};
}

namespace {

// The loader promises one line naming the file; make sure of both.
std::string oneLine(std::string message, const std::string& path) {
    for (char& c : message) {
        if (c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    while (!message.empty() && message.back() == ' ') {
        message.pop_back();
    }
    if (message.empty()) {
        message = "cannot be read";
    }
    if (message.find(path) == std::string::npos) {
        message = path + ": " + message;
    }
    return message;
}

} // namespace

std::optional<OpenedCapture> openCapture(const std::string& path, bool taskSpans) {
    if (const auto problem = pathProblem(path); !problem.empty()) {
        std::cerr << "irqlens-cli: " << path << ": " << problem << "\n";
        return std::nullopt;
    }
    LoadResult loaded = loadCapture(path);
    if (!loaded.ok() || !loaded.store) {
        std::cerr << "irqlens-cli: " << oneLine(loaded.error, path) << "\n";
        return std::nullopt;
    }
    if (const std::string cut = truncationWarning(*loaded.store); !cut.empty()) {
        // Loaded all the same (exit 0): what is there is data.
        std::cerr << "irqlens-cli: warning: " << path << ": " << cut << "\n";
    }
    OpenedCapture capture;
    capture.path = path;
    capture.loadSeconds = loaded.seconds;
    capture.store = std::move(loaded.store);
    AnalysisOptions options;
    options.taskSpans = taskSpans;
    try {
        capture.analysis = analyze(*capture.store, options);
    } catch (const std::bad_alloc&) {
        std::cerr << "irqlens-cli: " << path
                  << ": not enough memory: " << capture.store->totalEvents()
                  << " events need about "
                  << (capture.store->totalEvents() * 34 + 999'999'999) / 1'000'000'000
                  << " GB (events and spans)\n";
        return std::nullopt;
    }
    return capture;
}

} // namespace irqlens::cli
