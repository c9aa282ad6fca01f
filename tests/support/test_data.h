#pragma once
// The one place tests find their data.  Everything a test reads lives in the
// repository (samples/ for captures users open, tests/data/ for the rest), so
// a clone passes its tests with nothing beside it.  The field corpus of other
// people's captures is the one exception: it may stay outside the repository,
// and tests that use it skip with a visible reason when it is absent.
#include <string>

namespace irqlens::test {

// samples/NAME if it exists, else tests/data/NAME.  A name found in neither
// is reported on stderr and returned as the tests/data path, so the test that
// asked fails on the missing file and says where it looked.
std::string dataPath(const std::string& name);

// The repository's root (for scripts and fixtures the tests run).
std::string sourceDir();

// $IRQLENS_FIELD_CORPUS, else ../shared/samples/field next to the repository;
// "" when neither exists.
std::string fieldCorpusDir();

// Why a field-corpus test skips (names the folders it looked in).
std::string fieldCorpusMissingReason();

} // namespace irqlens::test
