// Output helpers shared by the subcommands: CSV quoting, readable durations,
// aligned text tables, span flag names.
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

// "850 ns", "12.35 us", "3.200 ms", "1.500 s".
std::string readableNs(double ns);

// A table printed with aligned columns; the first row is the header.  Columns
// listed in `rightAligned` (numbers) are aligned to the right.
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
