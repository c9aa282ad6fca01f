// User-defined latency rules: field extraction from the store's columns,
// filters, and first-start-per-key pairing.
#include "core/spans/custom_spans.h"

#include <algorithm>

namespace irqlens::detail {

namespace {

bool isWake(EventKind k) {
    return k == EventKind::SchedWaking || k == EventKind::SchedWakeup ||
           k == EventKind::SchedWakeupNew;
}
bool isWork(EventKind k) {
    return k == EventKind::WorkQueue || k == EventKind::WorkActivate || k == EventKind::WorkStart ||
           k == EventKind::WorkEnd;
}
bool isSoftirq(EventKind k) {
    return k == EventKind::SoftirqRaise || k == EventKind::SoftirqEntry ||
           k == EventKind::SoftirqExit;
}
bool isFuncgraph(EventKind k) {
    return k == EventKind::FuncgraphEntry || k == EventKind::FuncgraphExit;
}

FieldValue number(std::int64_t n) {
    return {true, false, n, {}};
}
FieldValue text(std::string_view t) {
    return {true, true, 0, t};
}

FieldValue irqFields(const EventStore& store, const Ev& e, RuleField field) {
    const bool entry = e.kind == EventKind::IrqHandlerEntry;
    if (entry && e.f.arg >= store.irqActions.size()) {
        return {};
    }
    if (field == RuleField::Irq) {
        if (entry) {
            return number(store.irqActions.get(e.f.arg).irq);
        }
        return e.kind == EventKind::IrqHandlerExit ? number(e.f.arg & ~kIrqRetUnhandled)
                                                   : FieldValue{};
    }
    if (entry) {
        return text(store.strings.get(store.irqActions.get(e.f.arg).name));
    }
    if (e.kind == EventKind::VectorEntry || e.kind == EventKind::VectorExit) {
        return text(vectorKeyName(store.type(e.f.type).name));
    }
    if (e.kind == EventKind::IpiEntry || e.kind == EventKind::IpiExit) {
        return e.f.arg < store.strings.size() ? text(store.strings.get(e.f.arg)) : FieldValue{};
    }
    return {};
}

FieldValue functionField(const EventStore& store, const Ev& e) {
    if (isWork(e.kind)) {
        return e.f.arg < store.works.size()
                   ? number(static_cast<std::int64_t>(store.works.get(e.f.arg).function))
                   : FieldValue{};
    }
    std::uint32_t id = kNone;
    if (e.kind == EventKind::TaskletEntry || e.kind == EventKind::TaskletExit ||
        e.kind == EventKind::Function) {
        id = e.f.arg;
    } else if (isFuncgraph(e.kind)) {
        id = funcAddressId(e.f.arg);
    }
    return id < store.addresses.size() ? number(static_cast<std::int64_t>(store.addresses.get(id)))
                                       : FieldValue{};
}

FieldValue schedField(const Ev& e, RuleField field) {
    const bool sw = e.kind == EventKind::SchedSwitch;
    switch (field) {
    case RuleField::NextPid:
        return sw ? number(switchNextPid(e.f.arg)) : FieldValue{};
    case RuleField::PrevPid:
        return sw ? number(e.f.pid) : FieldValue{};
    case RuleField::PrevState:
        return sw ? number(switchPrevState(e.f.arg)) : FieldValue{};
    case RuleField::TargetCpu:
        return isWake(e.kind) ? number(wakeTargetCpu(e.f.arg)) : FieldValue{};
    default:
        return {};
    }
}

} // namespace

FieldValue eventField(const EventStore& store, const Ev& e, RuleField field) {
    const std::int32_t pid = isWake(e.kind) ? static_cast<std::int32_t>(wakePid(e.f.arg)) : e.f.pid;
    switch (field) {
    case RuleField::CommonPid:
        return number(e.f.pid);
    case RuleField::Pid:
        return number(pid);
    case RuleField::Comm:
        return text(store.comm(pid, e.f.ts));
    case RuleField::Cpu:
        return number(e.ref.cpu);
    case RuleField::Irq:
    case RuleField::Name:
        return irqFields(store, e, field);
    case RuleField::Vec:
        return isSoftirq(e.kind) || e.kind == EventKind::VectorEntry ||
                       e.kind == EventKind::VectorExit
                   ? number(e.f.arg)
                   : FieldValue{};
    case RuleField::Work:
        return isWork(e.kind) && e.f.arg < store.works.size()
                   ? number(static_cast<std::int64_t>(store.works.get(e.f.arg).work))
                   : FieldValue{};
    case RuleField::Function:
        return functionField(store, e);
    case RuleField::Depth:
        return isFuncgraph(e.kind) ? number(funcDepth(e.f.arg)) : FieldValue{};
    default:
        return schedField(e, field);
    }
}

void CustomSpans::prepare(const EventStore& store, std::span<const LatencyRule> rules) {
    store_ = &store;
    for (const LatencyRule& rule : rules) {
        Compiled c;
        c.rule = &rule;
        for (const EventTypeInfo& t : store.types()) {
            auto matches = [&](const RuleEndpoint& ep) {
                return t.name == ep.name && (ep.system.empty() || t.system == ep.system);
            };
            c.startType.push_back(matches(rule.start));
            c.endType.push_back(matches(rule.end));
        }
        rules_.push_back(std::move(c));
    }
}

namespace {
bool compare(RuleOp op, std::int64_t a, std::int64_t b) {
    switch (op) {
    case RuleOp::Eq:
        return a == b;
    case RuleOp::Ne:
        return a != b;
    case RuleOp::Lt:
        return a < b;
    case RuleOp::Le:
        return a <= b;
    case RuleOp::Gt:
        return a > b;
    case RuleOp::Ge:
        return a >= b;
    case RuleOp::Contains:
        return a == b;
    }
    return false;
}
bool compareText(RuleOp op, std::string_view a, std::string_view b) {
    switch (op) {
    case RuleOp::Eq:
        return a == b;
    case RuleOp::Ne:
        return a != b;
    case RuleOp::Contains:
        return a.find(b) != std::string_view::npos;
    default:
        return false;
    }
}
} // namespace

bool CustomSpans::passes(const Ev& e, const RuleEndpoint& endpoint) {
    for (const RuleFilter& f : endpoint.filters) {
        const FieldValue v = eventField(*store_, e, f.field);
        if (!v.present) {
            return false;
        }
        if (v.isText) {
            if (!compareText(f.op, v.text, f.text)) {
                return false;
            }
        } else if (f.numeric) {
            if (!compare(f.op, v.number, f.number)) {
                return false;
            }
        } else if (f.field == RuleField::Function) {
            // A function written by name: compare with its symbol.
            const auto address = static_cast<std::uint64_t>(v.number);
            auto [it, inserted] = symbolNames_.try_emplace(address);
            if (inserted) {
                it->second = store_->symbolize(address);
                it->second = it->second.substr(0, it->second.find_first_of("+ "));
            }
            if (!compareText(f.op, it->second, f.text)) {
                return false;
            }
        } else {
            return false;
        }
    }
    return true;
}

std::string CustomSpans::keyOf(const Ev& e, const LatencyRule& rule, bool start) {
    std::string key;
    for (const RuleKeyPair& pair : rule.keys) {
        const FieldValue v = eventField(*store_, e, start ? pair.start : pair.end);
        key += v.isText ? std::string(v.text) : std::to_string(v.number);
        key += '\x1f';
    }
    return key;
}

void CustomSpans::onEvent(const Ev& e, SpanRows& spans) {
    for (std::size_t r = 0; r < rules_.size(); ++r) {
        Compiled& c = rules_[r];
        if (c.endType[e.f.type] && !c.pending.empty() && passes(e, c.rule->end)) {
            auto it = c.pending.find(keyOf(e, *c.rule, false));
            if (it != c.pending.end()) {
                Span& s = spans[it->second];
                s.end = e.f.ts;
                s.finish = e.ref;
                s.flags &= static_cast<std::uint16_t>(~SpanFlag::OpenEnd);
                c.pending.erase(it);
            }
        }
        if (c.startType[e.f.type] && passes(e, c.rule->start)) {
            auto [it, inserted] = c.pending.try_emplace(keyOf(e, *c.rule, true), kNone);
            if (inserted) {
                Span s;
                s.start = e.f.ts;
                s.end = std::max(store_->lastTs(), e.f.ts);
                s.key = static_cast<std::uint32_t>(r);
                s.pid = e.f.pid;
                s.begin = e.ref;
                s.cpu = e.ref.cpu;
                s.kind = SpanKind::Custom;
                s.flags = SpanFlag::OpenEnd;
                spans.push_back(s);
                it->second = static_cast<SpanId>(spans.size() - 1);
            }
        }
    }
}

} // namespace irqlens::detail
