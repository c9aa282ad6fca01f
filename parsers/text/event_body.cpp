#include "parsers/text/event_body.h"

#include <algorithm>

namespace irqlens {

namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

bool isHexDigit(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Length of the C identifier (dots allowed: "func.isra.0") at the start of s.
std::size_t symbolLength(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && (isIdentifierChar(s[i]) || (i > 0 && s[i] == '.'))) {
        ++i;
    }
    return i > 0 && isDigit(s[0]) ? 0 : i;
}

// "+0x70/0x26c" at the start of s: its length, 0 when absent.
std::size_t offsetLength(std::string_view s) {
    if (!s.starts_with("+0x")) {
        return 0;
    }
    std::size_t i = 3;
    while (i < s.size() && isHexDigit(s[i])) {
        ++i;
    }
    if (i == 3 || !s.substr(i).starts_with("/0x")) {
        return 0;
    }
    std::size_t j = i + 3;
    while (j < s.size() && isHexDigit(s[j])) {
        ++j;
    }
    return j == i + 3 ? 0 : j;
}

// " <8066bb5c>" (the sym-addr option) at the start of s: its length, or 0.
std::size_t addressLength(std::string_view s) {
    if (!s.starts_with(" <")) {
        return 0;
    }
    std::size_t i = 2;
    while (i < s.size() && isHexDigit(s[i])) {
        ++i;
    }
    return i > 2 && i < s.size() && s[i] == '>' ? i + 1 : 0;
}

// "func+0x70/0x26c: msg", "func <8066bb5c>: msg", "func+0x5c/0x80 <8066bb5c>: msg":
// the symbol carries an offset or an address, which no event name does.
bool isPrintk(std::string_view body) {
    std::size_t i = symbolLength(body);
    if (i == 0) {
        return false;
    }
    const std::size_t offset = offsetLength(body.substr(i));
    i += offset;
    const std::size_t address = addressLength(body.substr(i));
    i += address;
    return (offset > 0 || address > 0) && body.substr(i).starts_with(": ");
}

// "sys_ioctl(fd: ff, cmd: 5410)" -> name "ioctl", info "fd: ff, cmd: 5410".
bool parseSyscallEnter(std::string_view body, EventLine& out) {
    const std::size_t name = symbolLength(body);
    if (!body.starts_with("sys_") || name <= 4 || name >= body.size() || body[name] != '(' ||
        body.back() != ')') {
        return false;
    }
    out.form = BodyForm::SyscallEnter;
    out.name = body.substr(4, name - 4);
    out.info = trim(body.substr(name + 1, body.size() - name - 2));
    return true;
}

// "sys_recvmsg -> 0x24" -> name "recvmsg", info "0x24".
bool parseSyscallExit(std::string_view body, EventLine& out) {
    const std::size_t name = symbolLength(body);
    if (!body.starts_with("sys_") || name <= 4 || !body.substr(name).starts_with(" -> ")) {
        return false;
    }
    out.form = BodyForm::SyscallExit;
    out.name = body.substr(4, name - 4);
    out.info = trim(body.substr(name + 4));
    return true;
}

// "do_sys_open" or "do_sys_open+0x4/0x200" alone: a function tracer line
// whose parent is not printed (options/print-parent off).
bool isBareSymbol(std::string_view s) {
    const std::size_t name = symbolLength(s);
    return name > 0 && (name == s.size() || name + offsetLength(s.substr(name)) == s.size());
}

} // namespace

bool parseEventBody(std::string_view body, bool kernelLayout, EventLine& out) {
    body = trim(body);
    if (body.empty()) {
        return false;
    }
    out.form = BodyForm::Named;
    std::size_t i = 0;
    while (i < body.size() && isIdentifierChar(body[i])) {
        ++i;
    }
    if (i > 0 && i < body.size() && body[i] == ':') {
        out.name = body.substr(0, i);
        out.info = trim(body.substr(i + 1));
        return true;
    }
    if (parseSyscallEnter(body, out) || parseSyscallExit(body, out)) {
        return true;
    }
    out.info = body;
    if (isPrintk(body)) {
        out.form = BodyForm::Printk;
        out.name = "bprint";
    } else if (body.starts_with("<stack trace")) {
        out.name = "kernel_stack";
    } else if (body.starts_with("<user stack trace")) {
        out.name = "user_stack";
    } else if (body.find(" <-") != std::string_view::npos || (kernelLayout && isBareSymbol(body))) {
        // Function tracer; without print-parent only in the kernel's own
        // layout (trace-cmd names the event), so a cut line is not taken for one.
        out.name = "function";
    } else {
        // A body we do not know: kept whole, named by its first word.
        const std::size_t end = std::min(body.find_first_of(" :(\t"), body.size());
        out.form = BodyForm::Unknown;
        out.name = body.substr(0, std::max<std::size_t>(end, 1));
        out.info = trim(body.substr(out.name.size()));
    }
    return true;
}

std::string eventNameOf(const EventLine& line) {
    switch (line.form) {
    case BodyForm::SyscallEnter:
        return "sys_enter_" + std::string(line.name);
    case BodyForm::SyscallExit:
        return "sys_exit_" + std::string(line.name);
    default:
        return std::string(line.name);
    }
}

std::string_view printkSymbol(std::string_view info) {
    return info.substr(0, std::min(info.find(": "), info.size()));
}

std::string_view printkMessage(std::string_view info) {
    const auto colon = info.find(": ");
    return colon == std::string_view::npos ? std::string_view() : info.substr(colon + 2);
}

} // namespace irqlens
