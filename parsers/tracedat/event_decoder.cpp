#include "parsers/tracedat/event_decoder.h"

#include <bit>
#include <cstring>
#include <initializer_list>
#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

namespace irqlens::tracedat {

TypeTable registerEventTypes(tep_handle* tep, EventStore& store) {
    TypeTable table;
    const int count = tep_get_events_count(tep);
    for (int i = 0; i < count; ++i) {
        tep_event* event = tep_get_event(tep, i);
        if (!event || event->id < 0 || event->id > 0xffff) {
            continue;
        }
        const std::string system = event->system ? event->system : "";
        const std::string name = event->name ? event->name : "";
        const TypeId type = store.addType({system, name, classifyEvent(system, name), event->id});
        if (table.typeBySourceId.size() <= std::size_t(event->id)) {
            table.typeBySourceId.resize(std::size_t(event->id) + 1, -1);
        }
        table.typeBySourceId[std::size_t(event->id)] = type;
    }
    // Records whose id has no format (a corrupt or foreign stream) still count.
    table.unknownType = store.addType({"", "unknown", EventKind::Other, -1});
    return table;
}

namespace {
FieldRef commonField(tep_handle* tep, const char* name) {
    const int count = tep_get_events_count(tep);
    for (int i = 0; i < count; ++i) {
        if (tep_event* event = tep_get_event(tep, i)) {
            if (const tep_format_field* f = tep_find_common_field(event, name)) {
                FieldRef ref;
                ref.offset = f->offset;
                ref.size = f->size;
                ref.isSigned = (f->flags & TEP_FIELD_IS_SIGNED) != 0;
                return ref;
            }
        }
    }
    return {};
}
} // namespace

EventDecoder::EventDecoder(tep_handle* tep, const TypeTable& types, EventStore& store)
    : tep_(tep), reader_(tep_is_file_bigendian(tep) != (std::endian::native == std::endian::big)),
      cache_(store), longSize_(tep_get_long_size(tep)) {
    commonType_ = commonField(tep, "common_type");
    commonPid_ = commonField(tep, "common_pid");
    commonFlags_ = commonField(tep, "common_flags");
    commonPreempt_ = commonField(tep, "common_preempt_count");
    standardHeader_ = std::endian::native == std::endian::little && !tep_is_file_bigendian(tep) &&
                      commonType_.offset == 0 && commonType_.size == 2 &&
                      commonFlags_.offset == 2 && commonFlags_.size == 1 &&
                      commonPreempt_.offset == 3 && commonPreempt_.size == 1 &&
                      commonPid_.offset == 4 && commonPid_.size == 4;
    unknown_.type = types.unknownType;
    formats_.resize(types.typeBySourceId.size(), unknown_);
    for (std::size_t id = 0; id < types.typeBySourceId.size(); ++id) {
        if (types.typeBySourceId[id] < 0) {
            continue;
        }
        Format& format = formats_[id];
        format.type = static_cast<TypeId>(types.typeBySourceId[id]);
        format.kind = store.type(format.type).kind;
        setUpFormat(tep_find_event(tep, static_cast<int>(id)), format);
    }
}

// Which field goes in which slot (a, b, c, ...), per kind.
void EventDecoder::setUpFormat(tep_event* ev, Format& f) {
    const auto slots = [&](std::initializer_list<const char*> names) {
        FieldRef* slot[] = {&f.a, &f.b, &f.c, &f.d, &f.e};
        std::size_t i = 0;
        for (const char* name : names) {
            *slot[i++] = FieldRef::find(ev, name);
        }
    };
    switch (f.kind) {
    case EventKind::IrqHandlerEntry:
        return slots({"irq", "name"});
    case EventKind::IrqHandlerExit:
        return slots({"irq", "ret"});
    case EventKind::SoftirqRaise:
    case EventKind::SoftirqEntry:
    case EventKind::SoftirqExit:
        return slots({"vec"});
    case EventKind::TaskletEntry:
    case EventKind::TaskletExit:
        return slots({"func"});
    case EventKind::WorkQueue:
    case EventKind::WorkActivate:
    case EventKind::WorkStart:
    case EventKind::WorkEnd:
        return slots({"work", "function"});
    case EventKind::SchedSwitch:
        return slots({"prev_pid", "prev_comm", "next_pid", "next_comm", "prev_state"});
    case EventKind::SchedWaking:
    case EventKind::SchedWakeup:
    case EventKind::SchedWakeupNew:
        return slots({"pid", "comm", "target_cpu"});
    case EventKind::KernelStack:
    case EventKind::UserStack:
        return slots({"caller"});
    case EventKind::VectorEntry:
    case EventKind::VectorExit:
        return slots({"vector"});
    case EventKind::IpiEntry:
    case EventKind::IpiExit:
        return slots({"reason"});
    case EventKind::FuncgraphEntry:
    case EventKind::FuncgraphExit:
        return slots({"func", "depth"});
    case EventKind::Function:
    case EventKind::Print: // bprint / print / bputs: the function that printed
        return slots({"ip"});
    default:
        return;
    }
}

EventFields EventDecoder::decode(const tep_record& rec) {
    EventFields e;
    std::uint64_t id = 0;
    if (standardHeader_ && rec.size >= 8) {
        std::uint64_t word;
        std::memcpy(&word, rec.data, 8);
        id = word & 0xffff;
        e.flags = static_cast<std::uint8_t>(word >> 16);
        e.preempt = static_cast<std::uint8_t>(word >> 24);
        e.pid = static_cast<std::int32_t>(word >> 32);
    } else {
        id = reader_.number(rec, commonType_);
        e.pid = static_cast<std::int32_t>(reader_.number(rec, commonPid_));
        e.flags = static_cast<std::uint8_t>(reader_.number(rec, commonFlags_));
        e.preempt = static_cast<std::uint8_t>(reader_.number(rec, commonPreempt_));
    }
    const Format& format = id < formats_.size() ? formats_[id] : unknown_;
    e.ts = static_cast<std::int64_t>(rec.ts);
    e.type = format.type;
    cache_.markPid(e.pid);
    if (format.kind != EventKind::Other) {
        e.arg = keyArg(format, rec, e.ts);
    }
    return e;
}

std::uint32_t EventDecoder::keyArg(const Format& f, const tep_record& rec, std::int64_t ts) {
    const auto u32 = [&](const FieldRef& ref) { return std::uint32_t(reader_.number(rec, ref)); };
    switch (f.kind) {
    case EventKind::IrqHandlerEntry:
        return cache_.irqAction(std::int32_t(u32(f.a)), reader_.string(rec, f.b));
    case EventKind::IrqHandlerExit:
        // The kernel prints ret != 0 (IRQ_HANDLED, IRQ_WAKE_THREAD) as "handled".
        return (u32(f.a) & ~kIrqRetUnhandled) | (u32(f.b) != 0 ? 0 : kIrqRetUnhandled);
    case EventKind::TaskletEntry:
    case EventKind::TaskletExit:
    case EventKind::Function:
    case EventKind::Print:
        return f.a.valid() ? cache_.address(reader_.number(rec, f.a)) : 0;
    case EventKind::WorkQueue:
    case EventKind::WorkActivate:
    case EventKind::WorkStart:
    case EventKind::WorkEnd:
        return cache_.work(reader_.number(rec, f.a), reader_.number(rec, f.b));
    case EventKind::SchedSwitch:
        return switchArg(f, rec, ts);
    case EventKind::SchedWaking:
    case EventKind::SchedWakeup:
    case EventKind::SchedWakeupNew:
        return wakeArg(f, rec, ts);
    case EventKind::KernelStack:
    case EventKind::UserStack:
        return stackArg(f, rec);
    case EventKind::IpiEntry:
    case EventKind::IpiExit:
        return ipiArg(f, rec);
    case EventKind::FuncgraphEntry:
    case EventKind::FuncgraphExit:
        return packFunc(cache_.address(reader_.number(rec, f.a)), u32(f.b));
    default: // softirq vector, x86 vector
        return u32(f.a);
    }
}

std::uint32_t EventDecoder::switchArg(const Format& f, const tep_record& rec, std::int64_t ts) {
    const auto prevPid = static_cast<std::int32_t>(reader_.number(rec, f.a));
    const auto nextPid = static_cast<std::int32_t>(reader_.number(rec, f.c));
    cache_.noteComm(prevPid, ts, reader_.string(rec, f.b));
    cache_.noteComm(nextPid, ts, reader_.string(rec, f.d));
    cache_.markPid(nextPid);
    const auto state = static_cast<std::int64_t>(reader_.number(rec, f.e));
    return packSwitch(static_cast<std::uint32_t>(nextPid), prevStateCode(state));
}

std::uint32_t EventDecoder::wakeArg(const Format& f, const tep_record& rec, std::int64_t ts) {
    const auto pid = static_cast<std::int32_t>(reader_.number(rec, f.a));
    cache_.noteComm(pid, ts, reader_.string(rec, f.b));
    cache_.markPid(pid);
    return packWake(static_cast<std::uint32_t>(pid), std::uint32_t(reader_.number(rec, f.c)));
}

// ftrace:kernel_stack `caller` runs to the end of the record; the kernel ends
// short stacks with ULONG_MAX (or 0 on some versions).
std::uint32_t EventDecoder::stackArg(const Format& f, const tep_record& rec) {
    frames_.clear();
    if (!f.a.valid()) {
        return cache_.stack(frames_);
    }
    const std::uint64_t allOnes = longSize_ == 8 ? ~std::uint64_t(0) : 0xffff'ffffu;
    for (int at = f.a.offset; at + longSize_ <= rec.size; at += longSize_) {
        const std::uint64_t addr = reader_.raw(rec, at, longSize_, false);
        if (addr == allOnes || addr == 0) {
            break;
        }
        frames_.push_back(addr);
    }
    return cache_.stack(frames_);
}

// ipi_entry's `reason` is the address of a constant kernel string; the
// capture's printk formats name it, which the event's own print shows.
std::uint32_t EventDecoder::ipiArg(const Format& f, const tep_record& rec) {
    const std::uint64_t key = reader_.number(rec, f.a);
    return cache_.keyedString(key, [&] {
        trace_seq s;
        trace_seq_init(&s);
        tep_print_event(tep_, &s, const_cast<tep_record*>(&rec), "%s", TEP_PRINT_INFO);
        trace_seq_terminate(&s);
        std::string text(s.buffer, s.len);
        trace_seq_destroy(&s);
        if (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
            text = text.substr(1, text.size() - 2);
        }
        return text;
    });
}

} // namespace irqlens::tracedat
