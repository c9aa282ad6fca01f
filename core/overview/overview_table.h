// The overview as a table: the columns `irqlens-cli explain --csv` prints and
// the Overview tab exports and copies (one definition for both).  Fields
// only; the caller quotes them.  Times in ns.
#pragma once

#include "core/overview/overview.h"

#include <string>
#include <vector>

namespace irqlens {

std::vector<std::string> overviewCsvHeader();
std::vector<std::string> overviewCsvRow(const InterruptSource& source);

} // namespace irqlens
