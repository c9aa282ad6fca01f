#include "core/record/shell_quote.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace irqlens {

std::string shellQuote(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

std::string SshDestination::display() const {
    std::string s = user.empty() ? "" : user + "@";
    s += host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return port ? s + ":" + std::to_string(port) : s;
}

namespace {

bool nameChars(const std::string& s, const char* extra) {
    return !s.empty() && s.front() != '-' && std::all_of(s.begin(), s.end(), [&](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || std::strchr(extra, c) != nullptr;
    });
}

bool parsePort(const std::string& text, int& port) {
    if (text.empty() || text.size() > 5 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    port = std::stoi(text);
    return port > 0 && port < 65536;
}

} // namespace

std::optional<SshDestination> parseSshDestination(const std::string& text, std::string& error) {
    SshDestination d;
    std::string rest = text;
    if (const auto at = rest.rfind('@'); at != std::string::npos) {
        d.user = rest.substr(0, at);
        rest = rest.substr(at + 1);
        if (!nameChars(d.user, "._-")) {
            error = "bad user name in '" + text + "'";
            return std::nullopt;
        }
    }
    std::string port;
    if (rest.starts_with('[')) {
        const auto close = rest.find(']');
        if (close == std::string::npos) {
            error = "bad host '" + text + "' (expected [IPv6]:PORT)";
            return std::nullopt;
        }
        d.host = rest.substr(1, close - 1);
        if (close + 1 < rest.size()) {
            if (rest[close + 1] != ':') {
                error = "bad host '" + text + "'";
                return std::nullopt;
            }
            port = rest.substr(close + 2);
        }
    } else if (const auto colon = rest.find(':'); colon != std::string::npos) {
        d.host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
    } else {
        d.host = rest;
    }
    if (!nameChars(d.host, ".-_:")) {
        error = "bad host name in '" + text + "' (letters, digits, '.', '-', '_' only)";
        return std::nullopt;
    }
    if (!port.empty() && !parsePort(port, d.port)) {
        error = "bad port in '" + text + "'";
        return std::nullopt;
    }
    return d;
}

} // namespace irqlens
