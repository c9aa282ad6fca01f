// Quoting for the POSIX shell that runs ssh commands on the target: every
// user-provided string reaches it only through shellQuote().
#pragma once

#include <optional>
#include <string>

namespace irqlens {

// 'text' with each ' written as '\'' (safe for any byte but NUL).
std::string shellQuote(const std::string& text);

struct SshDestination {
    std::string user;            // empty: ssh's default (~/.ssh/config, $USER)
    std::string host;            // name, IPv4 or IPv6 (without brackets)
    int port = 0;                // 0: ssh's default
    std::string display() const; // "user@host:port" as given
};

// Parses "[USER@]HOST[:PORT]" (IPv6 as "[::1]:22").  Only letters, digits
// and ".-_:" are accepted in names, and HOST may not start with '-', so a
// destination can never be read as an ssh option or reach a shell.
std::optional<SshDestination> parseSshDestination(const std::string& text, std::string& error);

} // namespace irqlens
