#include "parsers/text/event_args.h"

#include "parsers/text/text_line.h"

#include <array>
#include <charconv>

namespace irqlens {

namespace {
template <typename T> std::optional<T> toInt(std::string_view s) {
    T value{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return value;
}

std::size_t findKey(std::string_view info, std::string_view key) {
    for (auto pos = info.find(key); pos != std::string_view::npos; pos = info.find(key, pos + 1)) {
        if (pos == 0 || info[pos - 1] == ' ') {
            return pos;
        }
    }
    return std::string_view::npos;
}

std::optional<std::uint32_t> irqEntryArg(std::string_view info, EventStore& store) {
    auto irq = fieldValue(info, "irq=");
    const auto namePos = findKey(info, "name=");
    if (!irq || namePos == std::string_view::npos) {
        return std::nullopt;
    }
    auto number = toInt<std::int32_t>(*irq);
    if (!number) {
        return std::nullopt;
    }
    const StringId name = store.strings.intern(trim(info.substr(namePos + 5)));
    return store.irqActions.intern({*number, name});
}

std::optional<std::uint32_t> irqExitArg(std::string_view info) {
    auto irq = fieldValue(info, "irq=");
    auto ret = fieldValue(info, "ret=");
    auto number = irq ? toInt<std::uint32_t>(*irq) : std::nullopt;
    if (!number || !ret) {
        return std::nullopt;
    }
    return *number | (*ret == "handled" ? 0u : kIrqRetUnhandled);
}

std::optional<std::uint32_t> numberField(std::string_view info, std::string_view key) {
    auto value = fieldValue(info, key);
    return value ? toInt<std::uint32_t>(*value) : std::nullopt;
}

// "work struct=0x.. function=f ...", "work struct 0x..: function f", "work struct 0x..".
std::optional<std::uint32_t> workArg(std::string_view info, EventStore& store,
                                     TextSymbols& symbols) {
    const auto pos = info.find("work struct");
    if (pos == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view rest = info.substr(pos + 11);
    if (!rest.empty() && (rest.front() == '=' || rest.front() == ' ')) {
        rest.remove_prefix(1);
    }
    std::string_view token = rest.substr(0, rest.find(' '));
    if (token.ends_with(':')) {
        token.remove_suffix(1);
    }
    auto work = parseHex(token);
    if (!work) {
        return std::nullopt;
    }
    std::uint64_t function = 0;
    if (auto f = fieldValue(info, "function=")) {
        function = symbols.addressOf(*f);
    } else if (auto fpos = info.find(": function "); fpos != std::string_view::npos) {
        std::string_view name = info.substr(fpos + 11);
        function = symbols.addressOf(name.substr(0, name.find(' ')));
    }
    return store.works.intern({*work, function});
}

// sched_switch prev_state letters: the kernel prints its own task-state
// letters, trace-cmd's plugin prints an older table ("SDTtZXxW" by bit).
std::uint8_t stateCode(std::string_view state, bool kernelLetters) {
    if (state.empty() || state.front() == 'R') {
        return 0;
    }
    const std::string_view letters = kernelLetters ? "RSDTtXZPI" : "RSDTtZXxW";
    const auto i = letters.find(state.front());
    return i == std::string_view::npos ? 15 : static_cast<std::uint8_t>(i);
}

// "comm:pid [prio]" (trace-cmd plugin) -> comm, pid.
bool commColonPid(std::string_view text, CommSighting& out) {
    text = trim(text);
    text = text.substr(0, text.find(" ["));
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        return false;
    }
    auto pid = toInt<std::int32_t>(text.substr(colon + 1));
    if (!pid) {
        return false;
    }
    out = {*pid, text.substr(0, colon)};
    return true;
}

// The value between "key" and the next " nextKey" (comms may hold spaces).
std::string_view between(std::string_view info, std::string_view key, std::string_view nextKey) {
    const auto start = findKey(info, key);
    if (start == std::string_view::npos) {
        return {};
    }
    const auto from = start + key.size();
    const auto end = info.find(nextKey, from);
    return info.substr(from, end == std::string_view::npos ? std::string_view::npos : end - from);
}

std::optional<EventArgResult> switchArg(std::string_view info) {
    EventArgResult r;
    if (findKey(info, "prev_comm=") != std::string_view::npos) {
        auto prevPid = numberField(info, "prev_pid=");
        auto nextPid = numberField(info, "next_pid=");
        auto state = fieldValue(info, "prev_state=");
        if (!prevPid || !nextPid || !state) {
            return std::nullopt;
        }
        r.comms[0] = {static_cast<std::int32_t>(*prevPid),
                      between(info, "prev_comm=", " prev_pid=")};
        r.comms[1] = {static_cast<std::int32_t>(*nextPid),
                      between(info, "next_comm=", " next_pid=")};
        r.arg = packSwitch(*nextPid, stateCode(*state, true));
        return r;
    }
    const auto arrow = info.find(" ==> ");
    if (arrow == std::string_view::npos || !commColonPid(info.substr(0, arrow), r.comms[0]) ||
        !commColonPid(info.substr(arrow + 5), r.comms[1])) {
        return std::nullopt;
    }
    const auto close = info.rfind("] ", arrow);
    std::string_view state =
        close == std::string_view::npos ? "" : info.substr(close + 2, arrow - close - 2);
    r.arg = packSwitch(static_cast<std::uint32_t>(r.comms[1].pid), stateCode(trim(state), false));
    return r;
}

std::optional<EventArgResult> wakeArg(std::string_view info) {
    EventArgResult r;
    if (findKey(info, "comm=") != std::string_view::npos) {
        auto pid = numberField(info, "pid=");
        auto cpu = numberField(info, "target_cpu=");
        if (!pid || !cpu) {
            return std::nullopt;
        }
        r.comms[0] = {static_cast<std::int32_t>(*pid), between(info, "comm=", " pid=")};
        r.arg = packWake(*pid, *cpu);
        return r;
    }
    auto cpu = numberField(info, "CPU:");
    if (!cpu || !commColonPid(info, r.comms[0])) {
        return std::nullopt;
    }
    r.arg = packWake(static_cast<std::uint32_t>(r.comms[0].pid), *cpu);
    return r;
}

std::optional<std::uint32_t> functionArg(std::string_view info, TextSymbols& symbols,
                                         EventStore& store) {
    std::string_view name = trim(info);
    name = name.substr(0, name.find(' '));
    if (name.empty()) {
        return std::nullopt;
    }
    return store.addresses.intern(symbols.addressOf(name));
}

// "func+0x70/0x26c: message", "func <8066bb5c>: message" (sym-addr), as
// bprint / print / bputs print their ip before the message.
std::optional<std::uint32_t> printArg(std::string_view info, TextSymbols& symbols,
                                      EventStore& store) {
    const auto colon = info.find(": ");
    std::string_view symbol = trim(info.substr(0, colon));
    if (colon == std::string_view::npos || symbol.empty()) {
        return std::nullopt;
    }
    if (const auto open = symbol.find(" <");
        open != std::string_view::npos && symbol.back() == '>') {
        const auto real = parseHex(symbol.substr(open + 2, symbol.size() - open - 3));
        symbol = symbol.substr(0, open);
        if (real) {
            symbols.noteRealAddress(*real, symbol.substr(0, symbol.find('+')));
            return store.addresses.intern(*real);
        }
    }
    return store.addresses.intern(symbols.addressOf(symbol));
}

std::optional<std::uint32_t> taskletArg(std::string_view info, TextSymbols& symbols,
                                        EventStore& store) {
    auto function = fieldValue(info, "function=");
    if (!function) {
        return std::nullopt;
    }
    return store.addresses.intern(symbols.addressOf(*function));
}

std::optional<std::uint32_t> ipiArg(std::string_view info, EventStore& store) {
    std::string_view reason = trim(info);
    if (reason.size() >= 2 && reason.front() == '(' && reason.back() == ')') {
        reason = reason.substr(1, reason.size() - 2);
    }
    return store.strings.intern(reason);
}

std::optional<EventArgResult> wrap(std::optional<std::uint32_t> arg) {
    if (!arg) {
        return std::nullopt;
    }
    EventArgResult r;
    r.arg = *arg;
    return r;
}
} // namespace

std::optional<std::string_view> fieldValue(std::string_view info, std::string_view key) {
    const auto pos = findKey(info, key);
    if (pos == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view value = info.substr(pos + key.size());
    return value.substr(0, value.find(' '));
}

std::optional<EventArgResult> parseEventArg(EventKind kind, std::string_view info,
                                            EventStore& store, TextSymbols& symbols) {
    switch (kind) {
    case EventKind::IrqHandlerEntry:
        return wrap(irqEntryArg(info, store));
    case EventKind::IrqHandlerExit:
        return wrap(irqExitArg(info));
    case EventKind::SoftirqRaise:
    case EventKind::SoftirqEntry:
    case EventKind::SoftirqExit:
        return wrap(numberField(info, "vec="));
    case EventKind::TaskletEntry:
    case EventKind::TaskletExit:
        return wrap(taskletArg(info, symbols, store));
    case EventKind::WorkQueue:
    case EventKind::WorkActivate:
    case EventKind::WorkStart:
    case EventKind::WorkEnd:
        return wrap(workArg(info, store, symbols));
    case EventKind::SchedSwitch:
        return switchArg(info);
    case EventKind::SchedWaking:
    case EventKind::SchedWakeup:
    case EventKind::SchedWakeupNew:
        return wakeArg(info);
    case EventKind::VectorEntry:
    case EventKind::VectorExit:
        return wrap(numberField(info, "vector="));
    case EventKind::IpiEntry:
    case EventKind::IpiExit:
        return wrap(ipiArg(info, store));
    case EventKind::Function:
        return wrap(functionArg(info, symbols, store));
    case EventKind::Print:
        return wrap(printArg(info, symbols, store));
    default:
        return EventArgResult{};
    }
}

std::string_view guessSystem(std::string_view name, std::string_view info) {
    struct Prefix {
        std::string_view prefix;
        std::string_view system;
    };
    static constexpr std::array<Prefix, 16> prefixes = {{
        {"sys_enter_", "syscalls"},
        {"sys_exit_", "syscalls"},
        {"irq_handler_", "irq"},
        {"softirq_", "irq"},
        {"tasklet_", "irq"},
        {"workqueue_", "workqueue"},
        {"sched_", "sched"},
        {"ipi_", "ipi"},
        {"hrtimer_", "timer"},
        {"timer_", "timer"},
        {"itimer_", "timer"},
        {"napi_", "napi"},
        {"netif_", "net"},
        {"net_dev_", "net"},
        {"block_", "block"},
        {"irq_matrix_", "irq_matrix"},
    }};
    static constexpr std::array<std::string_view, 8> ftraceNames = {
        "kernel_stack", "user_stack", "funcgraph_entry", "funcgraph_exit",
        "function",     "print",      "bputs",           "bprint"};
    for (auto n : ftraceNames) {
        if (name == n) {
            return "ftrace";
        }
    }
    if ((name.ends_with("_entry") || name.ends_with("_exit")) && info.starts_with("vector=")) {
        return "irq_vectors";
    }
    for (const auto& p : prefixes) {
        if (name.starts_with(p.prefix)) {
            return p.system;
        }
    }
    return "text";
}

} // namespace irqlens
