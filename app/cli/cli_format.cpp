#include "app/cli/cli_format.h"

#include "core/spans/span.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
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

std::string readableNs(double ns) {
    char buffer[48];
    const double magnitude = std::fabs(ns);
    if (magnitude < 1e3) {
        std::snprintf(buffer, sizeof buffer, "%.0f ns", ns);
    } else if (magnitude < 1e6) {
        std::snprintf(buffer, sizeof buffer, "%.2f us", ns / 1e3);
    } else if (magnitude < 1e9) {
        std::snprintf(buffer, sizeof buffer, "%.3f ms", ns / 1e6);
    } else {
        std::snprintf(buffer, sizeof buffer, "%.3f s", ns / 1e9);
    }
    return buffer;
}

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
            width[c] = std::max(width[c], row[c].size());
        }
    }
    for (const auto& row : rows_) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string pad(width[c] - row[c].size(), ' ');
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
