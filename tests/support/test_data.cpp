#include "tests/support/test_data.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace irqlens::test {

namespace fs = std::filesystem;

std::string sourceDir() {
    return IRQLENS_SOURCE_DIR;
}

std::string dataPath(const std::string& name) {
    const std::string sample = sourceDir() + "/samples/" + name;
    if (fs::exists(sample)) {
        return sample;
    }
    const std::string data = sourceDir() + "/tests/data/" + name;
    if (!fs::exists(data)) {
        std::cerr << "test data " << name << " is in neither " << sourceDir()
                  << "/samples nor tests/data\n";
    }
    return data;
}

namespace {
std::string defaultFieldCorpus() {
    return sourceDir() + "/../shared/samples/field";
}
} // namespace

std::string fieldCorpusDir() {
    if (const char* dir = std::getenv("IRQLENS_FIELD_CORPUS"); dir && *dir) {
        return fs::is_directory(dir) ? std::string(dir) : std::string();
    }
    const std::string dir = defaultFieldCorpus();
    return fs::is_directory(dir) ? fs::canonical(dir).string() : std::string();
}

std::string fieldCorpusMissingReason() {
    return "field corpus not found ($IRQLENS_FIELD_CORPUS unset or missing, and no " +
           defaultFieldCorpus() + "): the public captures are kept outside the repository";
}

} // namespace irqlens::test
