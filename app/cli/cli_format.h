// Output helpers shared by the subcommands: CSV quoting, aligned text tables,
// span flag names.  Durations are written by core/stats/duration_format.h.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace irqlens::cli {

// One CSV field, quoted (RFC 4180) only when it holds a comma, quote or newline.
std::string csvField(std::string_view text);
void writeCsvRow(std::ostream& out, const std::vector<std::string>& fields);

// A table printed with aligned columns; the first row is the header.  Columns
// listed in `rightAligned` (numbers) are aligned to the right.  Widths count
// characters, not bytes ("µs" is one column wide).
class TextTable {
public:
    explicit TextTable(std::vector<std::string> header, std::vector<bool> rightAligned = {});
    void addRow(std::vector<std::string> row);
    void print(std::ostream& out) const;

private:
    std::vector<std::vector<std::string>> rows_;
    std::vector<bool> right_;
};

// "open_start|latency_unknown", "" when no flag is set.
std::string spanFlagNames(std::uint16_t flags);

} // namespace irqlens::cli
