#include "app/cli/cli_format.h"

#include "core/spans/span.h"

#include <algorithm>
#include <array>
#include <utility>

namespace irqlens::cli {

std::string csvField(std::string_view text) {
    if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
        return std::string(text);
    }
    std::string quoted = "\"";
    for (char c : text) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

void writeCsvRow(std::ostream& out, const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        out << (i ? "," : "") << csvField(fields[i]);
    }
    out << '\n';
}

namespace {
// Columns a UTF-8 text takes: every byte but the continuation bytes.
std::size_t displayWidth(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
    }));
}
} // namespace

TextTable::TextTable(std::vector<std::string> header, std::vector<bool> rightAligned)
    : right_(std::move(rightAligned)) {
    right_.resize(header.size(), false);
    rows_.push_back(std::move(header));
}

void TextTable::addRow(std::vector<std::string> row) {
    row.resize(rows_.front().size());
    rows_.push_back(std::move(row));
}

void TextTable::print(std::ostream& out) const {
    std::vector<std::size_t> width(rows_.front().size(), 0);
    for (const auto& row : rows_) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            width[c] = std::max(width[c], displayWidth(row[c]));
        }
    }
    for (const auto& row : rows_) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string pad(width[c] - displayWidth(row[c]), ' ');
            line += c ? "  " : "";
            line += right_[c] ? pad + row[c] : row[c] + (c + 1 < row.size() ? pad : "");
        }
        out << line << '\n';
    }
}

std::string spanFlagNames(std::uint16_t flags) {
    static constexpr std::array<std::pair<std::uint16_t, const char*>, 9> kNames = {{
        {SpanFlag::OpenStart, "open_start"},
        {SpanFlag::OpenEnd, "open_end"},
        {SpanFlag::CrossesDrop, "crosses_drop"},
        {SpanFlag::InKsoftirqd, "in_ksoftirqd"},
        {SpanFlag::LatencyUnknown, "latency_unknown"},
        {SpanFlag::Preempted, "preempted"},
        {SpanFlag::Nested, "nested"},
        {SpanFlag::SharedBottomHalf, "shared_bottom_half"},
        {SpanFlag::Unhandled, "unhandled"},
    }};
    std::string names;
    for (const auto& [bit, name] : kNames) {
        if (flags & bit) {
            names += names.empty() ? "" : "|";
            names += name;
        }
    }
    return names;
}

} // namespace irqlens::cli
