#include "core/model/event_store.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace irqlens {

EventStore::EventStore() = default;
EventStore::~EventStore() = default;

void EventStore::setCpuCount(int cpus) {
    cpus_.resize(static_cast<std::size_t>(std::max(cpus, 0)));
}

ColumnOrigin EventStore::columnOrigin(int column) const {
    for (const ExtraBuffer& b : info_.buffers) {
        if (column >= b.firstColumn && column < b.firstColumn + b.cpus) {
            return {column - b.firstColumn, b.name};
        }
    }
    return {column, {}};
}

std::string EventStore::columnLabel(int column) const {
    const ColumnOrigin origin = columnOrigin(column);
    return origin.buffer.empty() ? std::to_string(origin.cpu)
                                 : std::string(origin.buffer) + ":" + std::to_string(origin.cpu);
}

TypeId EventStore::addType(EventTypeInfo info) {
    types_.push_back(std::move(info));
    return static_cast<TypeId>(types_.size() - 1);
}

void EventStore::addMissed(const MissedEvents& mark) {
    missed_.push_back(mark);
}

void EventStore::setSource(std::unique_ptr<EventSource> source) {
    source_ = std::move(source);
}

void EventStore::finish() {
    std::sort(missed_.begin(), missed_.end(), [](const MissedEvents& a, const MissedEvents& b) {
        return a.cpu != b.cpu ? a.cpu < b.cpu : a.eventIndex < b.eventIndex;
    });
    for (auto& c : cpus_) {
        c.shrinkToFit();
    }
    comms.finish();
    internDerivedKeys();
}

// The span builder reads a const store, so the keys it needs that no event
// carries directly are interned here, once, for every reader: the hard-IRQ
// key of x86 vectors (IrqAction{-1, "local_timer"}) and arm64 IPIs
// (IrqAction{-1, reason}), and the AddressId of every work function.
void EventStore::internDerivedKeys() {
    std::vector<bool> isIpi(types_.size(), false);
    for (std::size_t t = 0; t < types_.size(); ++t) {
        const EventTypeInfo& type = types_[t];
        if (type.kind == EventKind::VectorEntry || type.kind == EventKind::VectorExit) {
            irqActions.intern({-1, strings.intern(vectorKeyName(type.name))});
        }
        isIpi[t] = type.kind == EventKind::IpiEntry;
    }
    if (std::find(isIpi.begin(), isIpi.end(), true) != isIpi.end()) {
        for (const auto& c : cpus_) {
            for (std::size_t i = 0; i < c.size(); ++i) {
                if (isIpi[c.type(i)]) {
                    irqActions.intern({-1, c.arg(i)});
                }
            }
        }
    }
    for (const WorkItem& w : works.all()) {
        if (w.function != 0) {
            addresses.intern(w.function);
        }
    }
}

std::string truncationWarning(const EventStore& store) {
    const CaptureInfo& info = store.info();
    if (info.truncatedAt == 0) {
        return "";
    }
    std::string cpus;
    for (int cpu : info.cpusCut) {
        cpus += (cpus.empty() ? "" : ", ") + std::to_string(cpu);
    }
    std::string text = "truncated at offset " + std::to_string(info.truncatedAt) + ": " +
                       std::to_string(store.totalEvents()) + " events read";
    // A v7 file cut just after a CPU's data lost only what describes it.
    if (!info.cpusCut.empty()) {
        text += std::string(", CPU") + (info.cpusCut.size() > 1 ? "s " : " ") + cpus + " cut short";
    }
    return text;
}

std::string_view vectorKeyName(std::string_view eventName) {
    for (std::string_view suffix : {std::string_view("_entry"), std::string_view("_exit")}) {
        if (eventName.size() > suffix.size() &&
            eventName.substr(eventName.size() - suffix.size()) == suffix) {
            return eventName.substr(0, eventName.size() - suffix.size());
        }
    }
    return eventName;
}

std::size_t EventStore::totalEvents() const {
    std::size_t n = 0;
    for (const auto& c : cpus_) {
        n += c.size();
    }
    return n;
}

std::int64_t EventStore::firstTs() const {
    std::int64_t first = -1;
    for (const auto& c : cpus_) {
        if (!c.empty() && (first < 0 || c.ts(0) < first)) {
            first = c.ts(0);
        }
    }
    return first;
}

std::int64_t EventStore::lastTs() const {
    std::int64_t last = -1;
    for (const auto& c : cpus_) {
        if (!c.empty()) {
            last = std::max(last, c.ts(c.size() - 1));
        }
    }
    return last;
}

std::optional<TypeId> EventStore::findType(std::string_view system, std::string_view name) const {
    for (std::size_t i = 0; i < types_.size(); ++i) {
        if (types_[i].name == name && (system.empty() || types_[i].system == system)) {
            return static_cast<TypeId>(i);
        }
    }
    return std::nullopt;
}

std::int64_t EventStore::totalMissed() const {
    std::int64_t total = 0;
    for (const auto& m : missed_) {
        total += std::max<std::int64_t>(m.count, 0);
    }
    return total;
}

bool EventStore::hasUnknownMissed() const {
    return std::any_of(missed_.begin(), missed_.end(),
                       [](const MissedEvents& m) { return m.count < 0; });
}

std::vector<DecodedField> EventStore::decode(EventRef ref) const {
    if (!source_) {
        return {};
    }
    const CpuEvents& col = cpus_[ref.cpu];
    const auto skip = static_cast<std::uint32_t>(ref.index - col.anchorIndex(ref.index));
    return source_->decode(ref.cpu, col.anchorOffset(ref.index), skip);
}

std::string_view EventStore::comm(std::int32_t pid, std::int64_t ts) const {
    if (pid == 0) {
        return "<idle>";
    }
    StringId id = comms.at(pid, ts);
    return id == kNoString ? std::string_view("<...>") : strings.get(id);
}

std::string EventStore::symbolize(std::uint64_t address) const {
    if (source_) {
        if (auto sym = source_->symbol(address)) {
            char off[32];
            std::snprintf(off, sizeof off, "+0x%" PRIx64, address - sym->start);
            std::string out = sym->name + (address == sym->start ? "" : off);
            return sym->module.empty() ? out : out + " [" + sym->module + "]";
        }
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, address);
    return buf;
}

std::size_t EventStore::eventBytesUsed() const {
    std::size_t bytes = 0;
    for (const auto& c : cpus_) {
        bytes += c.bytesUsed();
    }
    return bytes;
}

std::size_t EventStore::bytesFilled() const {
    std::size_t bytes = bytesUsed() - eventBytesUsed();
    for (const auto& c : cpus_) {
        bytes += c.bytesFilled();
    }
    return bytes;
}

std::size_t EventStore::bytesUsed() const {
    return eventBytesUsed() + strings.bytesUsed() + addresses.bytesUsed() +
           irqActions.size() * (sizeof(IrqAction) + 32) + works.size() * (sizeof(WorkItem) + 32) +
           stacks.bytesUsed() + comms.bytesUsed() + missed_.capacity() * sizeof(MissedEvents);
}

} // namespace irqlens
