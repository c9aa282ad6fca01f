#include "parsers/text/text_builder.h"

#include "parsers/text/event_args.h"
#include "parsers/text/event_body.h"
#include "parsers/text/text_source.h"

#include <algorithm>

namespace irqlens {

namespace {
std::string excerpt(std::string_view line) {
    std::string out(line.substr(0, 100));
    for (char& ch : out) {
        if (static_cast<unsigned char>(ch) < 0x20) {
            ch = '?';
        }
    }
    return line.size() > 100 ? out + "..." : out;
}

bool isTextOnlyKind(EventKind kind) {
    return kind == EventKind::Other || kind == EventKind::KernelStack ||
           kind == EventKind::UserStack || kind == EventKind::FuncgraphEntry ||
           kind == EventKind::FuncgraphExit;
}
} // namespace

// Every text format decodes to the same events: the builder does not need it.
TextBuilder::TextBuilder(EventStore& store, TextSymbols& symbols, TextFormat /*format*/)
    : store_(store), symbols_(symbols) {}

void TextBuilder::add(const ClassifiedLine& c, std::string_view line, std::uint64_t offset,
                      std::uint64_t lineNo) {
    if (c.kind == LineKind::StackFrame) {
        addFrame(line, lineNo);
        return;
    }
    if (c.kind == LineKind::Blank) {
        return; // blank lines do not end a stack: some tools put one after it
    }
    flushStack();
    switch (c.kind) {
    case LineKind::Header:
        headerCpus_ = std::max(headerCpus_, std::min(c.headerCpus, kMaxCpus));
        break;
    case LineKind::Missed:
        if (ensureCpu(c.missedCpu)) {
            state(c.missedCpu).missedPending = true;
            state(c.missedCpu).missedCount = c.missedCount;
        }
        break;
    case LineKind::Event:
        addEvent(c.event, c, offset, lineNo);
        break;
    case LineKind::Graph:
        addGraph(c.graph, offset, lineNo);
        break;
    default:
        bad(lineNo, line, "not a trace line");
        break;
    }
}

bool TextBuilder::ensureCpu(int cpu) {
    if (cpu < 0 || cpu >= kMaxCpus) {
        return false;
    }
    if (cpu >= store_.cpuCount()) {
        store_.setCpuCount(cpu + 1);
    }
    if (static_cast<std::size_t>(cpu) >= cpus_.size()) {
        cpus_.resize(static_cast<std::size_t>(cpu) + 1);
    }
    return true;
}

TextBuilder::CpuState& TextBuilder::state(int cpu) {
    return cpus_[static_cast<std::size_t>(cpu)];
}

void TextBuilder::append(int cpu, const EventFields& fields, std::uint64_t offset, int sub) {
    CpuEvents& col = store_.cpuEventsMutable(cpu);
    CpuState& st = state(cpu);
    if (st.missedPending) {
        store_.addMissed({static_cast<std::uint16_t>(cpu), fields.ts, st.missedCount,
                          static_cast<std::uint32_t>(col.size())});
        st.missedPending = false;
    }
    col.append(fields, packSourceOffset(offset, sub));
    ++events_;
}

TypeId TextBuilder::typeFor(std::string_view name, std::string_view info, bool textOnly) {
    // Text-only twins: a known event whose fields could not be read is kept,
    // but as kind Other so that no analysis trusts a made-up `arg`.
    if (!textOnly) { // the hot path: no allocation for a known name
        if (auto it = types_.find(name); it != types_.end()) {
            return it->second;
        }
    }
    std::string key = textOnly ? std::string("\x01").append(name) : std::string(name);
    if (auto it = types_.find(key); it != types_.end()) {
        return it->second;
    }
    EventTypeInfo type;
    type.system = std::string(guessSystem(name, info));
    type.name = std::string(name);
    type.kind = textOnly ? EventKind::Other : classifyEvent(type.system, type.name);
    const TypeId id = store_.addType(std::move(type));
    types_.emplace(std::move(key), id);
    return id;
}

void TextBuilder::noteComm(std::int32_t pid, std::string_view comm, std::int64_t ts) {
    if (pid <= 0 || comm.empty() || comm == "<...>") {
        return;
    }
    auto it = lastComm_.find(pid);
    if (it != lastComm_.end()) {
        std::string_view known = store_.strings.get(it->second);
        // trace-cmd -l cuts names to 8 characters: a cut name is no rename.
        if (known == comm || (comm.size() == 8 && known.starts_with(comm))) {
            return;
        }
    }
    const StringId id = store_.strings.intern(comm);
    lastComm_[pid] = id;
    store_.comms.note(pid, ts, id);
}

void TextBuilder::addEvent(const EventLine& e, const ClassifiedLine& c, std::uint64_t offset,
                           std::uint64_t lineNo) {
    if (!ensureCpu(e.cpu)) {
        bad(lineNo, e.name, "CPU number out of range");
        return;
    }
    noteComm(e.pid, e.comm, e.ts);
    EventFields base{e.ts, e.pid, 0, e.flags, e.preempt, 0};
    if (c.hasCall) {
        addCall(e.cpu, base, true, c.call, offset, lineNo);
        return;
    }
    const bool rawText = e.form == BodyForm::Unknown;
    addTextEvent(e.cpu, base, eventNameOf(e), e.info, rawText, offset, lineNo);
}

// One event from a name and its info text: an event line, or a trace event
// printed as a "/* name: info */" comment inside function_graph output.
// `rawText`: a body we do not know, kept as text (kind Other, whatever its
// first word is).
void TextBuilder::addTextEvent(int cpu, EventFields base, std::string_view name,
                               std::string_view info, bool rawText, std::uint64_t offset,
                               std::uint64_t lineNo) {
    base.type = typeFor(name, info, rawText);
    const EventKind kind = store_.type(base.type).kind;
    if (kind == EventKind::KernelStack || kind == EventKind::UserStack) {
        stack_ = PendingStack{true, cpu, base, offset, {}};
        return;
    }
    if (!isTextOnlyKind(kind)) {
        auto parsed = parseEventArg(kind, info, store_, symbols_);
        if (!parsed) {
            ++unreadFields_;
            base.type = typeFor(name, info, true);
            if (unreadFields_ <= kReportedBadLines) {
                store_.info().warnings.push_back("line " + std::to_string(lineNo) + ": fields of " +
                                                 std::string(name) +
                                                 " not understood, kept as text: " + excerpt(info));
            }
        } else {
            base.arg = parsed->arg;
            for (const auto& seen : parsed->comms) {
                noteComm(seen.pid, seen.comm, base.ts);
            }
        }
    }
    append(cpu, base, offset, 0);
}

// A "/* ... */" comment of function_graph output: a trace event printed
// inline ("/* irq_handler_entry: irq=1 */", "/* sys_read(fd: 3) */"), or a
// trace_printk message, which that output prints without its function: the
// innermost call open on the CPU is where it was printed from.
void TextBuilder::addComment(int cpu, EventFields base, std::string_view comment,
                             std::uint64_t offset, std::uint64_t lineNo) {
    EventLine body;
    if (parseEventBody(comment, false, body) && body.form != BodyForm::Unknown) {
        addTextEvent(cpu, base, eventNameOf(body), body.info, false, offset, lineNo);
        return;
    }
    const CpuState& st = state(cpu);
    base.type = typeFor("print", comment, false);
    base.arg = st.calls.empty() ? 0 : st.calls.back().function;
    append(cpu, base, offset, 0);
}

void TextBuilder::addGraph(const GraphLine& g, std::uint64_t offset, std::uint64_t lineNo) {
    if (!ensureCpu(g.cpu)) {
        bad(lineNo, "", "CPU number out of range");
        return;
    }
    CpuState& st = state(g.cpu);
    if (g.hasPid) {
        st.pid = g.pid;
        noteComm(g.pid, g.comm, g.hasTs ? g.ts : st.clock);
    }
    if (g.type != GraphLine::Type::Call) {
        return;
    }
    EventFields base{g.hasTs ? g.ts : st.clock, st.pid, 0, g.flags, g.preempt, 0};
    addCall(g.cpu, base, g.hasTs, g.call, offset, lineNo);
}

// Entry, leaf (entry + exit), exit or comment of the function_graph tracer.
// Lines without a timestamp get one from the CPU's clock: a leaf or an exit
// moves it forward by its duration (time between calls is not printed, so
// it counts as zero).
void TextBuilder::addCall(int cpu, EventFields base, bool hasTs, const GraphCall& call,
                          std::uint64_t offset, std::uint64_t lineNo) {
    CpuState& st = state(cpu);
    if (!hasTs) {
        base.ts = std::max(base.ts, st.clock);
    }
    if (call.type == GraphCall::Type::Comment) {
        addComment(cpu, base, call.comment, offset, lineNo);
        st.clock = base.ts;
        return;
    }
    const auto depth = static_cast<std::size_t>(std::max(call.depth, 0));
    AddressId function = 0;
    if (!call.function.empty()) {
        function = store_.addresses.intern(symbols_.addressOf(call.function));
    } else if (depth < st.calls.size()) {
        function = st.calls[depth].function;
    }
    EventFields out = base;
    out.arg = packFunc(function, static_cast<std::uint32_t>(depth));
    if (call.type == GraphCall::Type::Exit) {
        if (!hasTs && call.durationNs >= 0 && depth < st.calls.size()) {
            out.ts = std::max(st.clock, st.calls[depth].ts + call.durationNs);
        }
        st.calls.resize(std::min(st.calls.size(), depth));
        out.type = typeFor("funcgraph_exit", "", false);
        append(cpu, out, offset, 0);
        st.clock = out.ts;
        return;
    }
    out.type = typeFor("funcgraph_entry", "", false);
    append(cpu, out, offset, 0);
    st.clock = out.ts;
    if (call.type == GraphCall::Type::Enter) {
        st.calls.resize(depth);
        st.calls.push_back({function, out.ts});
        return;
    }
    out.type = typeFor("funcgraph_exit", "", false);
    out.ts += std::max<std::int64_t>(call.durationNs, 0);
    append(cpu, out, offset, 1);
    st.clock = out.ts;
}

// "=> name (ffffffff81000000)", "=> name+0x1c/0x40", "=> name <ffff...>",
// "=>  <00007f0123456789>" (user stacks).  "=> 0" ends some older stacks.
void TextBuilder::addFrame(std::string_view line, std::uint64_t lineNo) {
    if (!stack_.active) {
        bad(lineNo, line, "stack line without a stack event before it");
        return;
    }
    std::string_view frame = trim(trim(line).substr(2));
    if (frame.empty() || frame == "0" || frame == "??") {
        return;
    }
    std::string_view name = frame;
    std::optional<std::uint64_t> real;
    if (const auto open = frame.find_last_of("(<");
        open != std::string_view::npos && (frame.back() == ')' || frame.back() == '>')) {
        real = parseHex(frame.substr(open + 1, frame.size() - open - 2));
        name = trim(frame.substr(0, open));
    }
    if (real) {
        if (!name.empty()) {
            symbols_.noteRealAddress(*real, name);
        }
        stack_.frames.push_back(*real);
    } else {
        stack_.frames.push_back(symbols_.addressOf(name));
    }
}

void TextBuilder::flushStack() {
    if (!stack_.active) {
        return;
    }
    stack_.fields.arg = store_.stacks.intern(stack_.frames);
    append(stack_.cpu, stack_.fields, stack_.offset, 0);
    stack_.active = false;
}

void TextBuilder::bad(std::uint64_t lineNo, std::string_view line, std::string_view why) {
    ++badLines_;
    if (badReports_.size() < kReportedBadLines) {
        badReports_.push_back("line " + std::to_string(lineNo) + ": " + std::string(why) + ": \"" +
                              excerpt(line) + "\"");
    }
}

void TextBuilder::finish() {
    flushStack();
    if (headerCpus_ > store_.cpuCount()) {
        ensureCpu(headerCpus_ - 1);
    }
    for (std::size_t cpu = 0; cpu < cpus_.size(); ++cpu) {
        if (cpus_[cpu].missedPending) { // lost events at the very end
            store_.addMissed(
                {static_cast<std::uint16_t>(cpu), -1, cpus_[cpu].missedCount,
                 static_cast<std::uint32_t>(store_.cpu(static_cast<int>(cpu)).size())});
        }
    }
    auto& warnings = store_.info().warnings;
    if (badLines_ > 0) {
        warnings.push_back(std::to_string(badLines_) + " line(s) did not parse and were skipped");
        warnings.insert(warnings.end(), badReports_.begin(), badReports_.end());
    }
    if (unreadFields_ > 0) {
        warnings.push_back(
            std::to_string(unreadFields_) +
            " event(s) of known kinds had fields that could not be read (kept as text)");
    }
    for (int cpu = 0; cpu < store_.cpuCount(); ++cpu) {
        if (auto steps = store_.cpu(cpu).backwardSteps(); steps > 0) {
            warnings.push_back("CPU " + std::to_string(cpu) + ": timestamps went backwards " +
                               std::to_string(steps) + " time(s)");
        }
    }
    store_.info().cpuCount = store_.cpuCount();
    store_.info().unparsedLines = badLines_;
    store_.finish();
}

} // namespace irqlens
