// The capture model: per-CPU columnar events, event types, interning pools,
// missed-event marks and capture metadata.  Filled by a reader in parsers/,
// read by the span builder and every view.  No Qt.
#pragma once

#include "core/model/cpu_events.h"
#include "core/model/event_kind.h"
#include "core/model/event_source.h"
#include "core/model/intern_pools.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace irqlens {

struct EventTypeInfo {
    std::string system; // "irq"
    std::string name;   // "irq_handler_entry"
    EventKind kind = EventKind::Other;
    int sourceId = -1; // the format's id in the source (tep event id), -1 for text
    std::string fullName() const { return system + ":" + name; }
};

// A place where the kernel reported lost events: in-stream drop marks
// ("N events dropped"; count -1 when the kernel gave none) and per-CPU
// overruns from the capture's statistics (ts = -1: not placed in time).
struct MissedEvents {
    std::uint16_t cpu = 0;
    std::int64_t ts = -1;         // ts of the first event after the gap
    std::int64_t count = -1;      // -1: unknown count
    std::uint32_t eventIndex = 0; // index in that CPU's events of the first event after the gap
};

// An extra ftrace buffer (trace-cmd record -B NAME, a v7 instance): its CPUs
// are store columns after the top buffer's, one per CPU of the buffer.
struct ExtraBuffer {
    std::string name;
    int firstColumn = 0;
    int cpus = 0;
};

// Where a store column's events come from: a CPU of the top buffer
// (buffer "") or of an extra buffer.
struct ColumnOrigin {
    int cpu = 0;
    std::string_view buffer;
};

struct CaptureInfo {
    std::string path;
    std::string format;   // "trace.dat v7 (zstd)", "trace-cmd report text", ...
    std::string clock;    // "local", "global", ...
    std::string hostname; // when the source has it
    std::string kernel;   // kernel release (uname -r) when the source has it
    std::string machine;  // uname -m ("aarch64", "armv7l", "x86_64") when known
    std::string model;    // the board ("Raspberry Pi 4 Model B Rev 1.4") when recorded by irqlens
    int cpuCount = 0;     // CPUs of the traced machine (>= cpus with data)
    int longSize = 8;
    bool bigEndian = false;
    int pageSize = 4096;
    std::vector<std::int64_t> overrunPerCpu; // from the capture's stats, -1 unknown
    std::vector<std::string> warnings;       // non-fatal problems found while reading
    std::vector<ExtraBuffer> buffers;        // extra buffers, their columns in order
    std::uint64_t unparsedLines = 0;         // text: lines that are not trace lines at all
    // A capture cut short (full disk, crashed recorder, interrupted copy):
    // the file ends at `truncatedAt` inside the data of `cpusCut`; what was
    // complete before the cut is loaded.  0: not cut.
    std::uint64_t truncatedAt = 0;
    std::vector<int> cpusCut;
};

// A reference to one event.
struct EventRef {
    std::uint16_t cpu = 0;
    std::uint32_t index = 0;
    friend bool operator==(const EventRef&, const EventRef&) = default;
};

// "local_timer" for "local_timer_entry"/"local_timer_exit": the hard-IRQ key
// name of an x86 irq_vectors event.
std::string_view vectorKeyName(std::string_view eventName);

class EventStore;

// "truncated at offset X: N events read, CPU k cut short" for a capture cut
// short (CaptureInfo::truncatedAt), "" otherwise: the CLI's warning and the
// GUI's banner.
std::string truncationWarning(const EventStore& store);

class EventStore {
public:
    EventStore();
    ~EventStore();
    EventStore(const EventStore&) = delete;
    EventStore& operator=(const EventStore&) = delete;

    // ---- building (readers) ----
    void setCpuCount(int cpus); // creates empty per-CPU columns
    CpuEvents& cpuEventsMutable(int cpu) { return cpus_[cpu]; }
    TypeId addType(EventTypeInfo info); // not thread-safe: register types before decoding
    void addMissed(const MissedEvents& mark);
    void setSource(std::unique_ptr<EventSource> source);
    void finish(); // sorts missed marks, shrinks columns, sorts comm histories
    CaptureInfo& info() { return info_; }

    // ---- reading ----
    const CaptureInfo& info() const { return info_; }
    // Store columns: one per CPU of the top buffer, then the extra buffers'.
    int cpuCount() const { return static_cast<int>(cpus_.size()); }
    ColumnOrigin columnOrigin(int column) const;
    // "3" for a top-buffer CPU, "NAME:1" for CPU 1 of buffer NAME (as
    // trace-cmd report prefixes an extra buffer's events with "NAME:").
    std::string columnLabel(int column) const;
    const CpuEvents& cpu(int cpu) const { return cpus_[cpu]; }
    std::size_t totalEvents() const;
    std::int64_t firstTs() const; // -1 when empty
    std::int64_t lastTs() const;  // -1 when empty
    std::int64_t ts(EventRef ref) const { return cpus_[ref.cpu].ts(ref.index); }
    EventFields event(EventRef ref) const { return cpus_[ref.cpu].at(ref.index); }

    const std::vector<EventTypeInfo>& types() const { return types_; }
    const EventTypeInfo& type(TypeId id) const { return types_[id]; }
    std::optional<TypeId> findType(std::string_view system, std::string_view name) const;
    EventKind kind(EventRef ref) const { return types_[event(ref).type].kind; }

    const std::vector<MissedEvents>& missed() const { return missed_; }
    std::int64_t totalMissed() const; // known counts only
    bool hasUnknownMissed() const;

    // Fields of one event, decoded from the source ("" values when no source).
    std::vector<DecodedField> decode(EventRef ref) const;
    // Task name of pid at time ts ("<idle>" for pid 0, "<...>" unknown).
    std::string_view comm(std::int32_t pid, std::int64_t ts) const;
    // "name+0xoff" for a kernel address, or "0x..." when not in kallsyms.
    std::string symbolize(std::uint64_t address) const;

    StringPool strings;
    AddressPool addresses;
    ValuePool<IrqAction, IrqActionHash> irqActions;
    ValuePool<WorkItem, WorkItemHash> works;
    StackPool stacks;
    CommTable comms;

    std::size_t bytesUsed() const;      // everything the store holds
    std::size_t eventBytesUsed() const; // per-event columns only
    std::size_t bytesFilled() const;    // as bytesUsed(), the columns by size (a live store)

    // Events of all CPUs in time order (ties broken by CPU), without copying.
    template <typename Fn> void forEachInTimeOrder(Fn&& fn) const;

    EventSource* source() const { return source_.get(); }

private:
    void internDerivedKeys();

    CaptureInfo info_;
    std::vector<CpuEvents> cpus_;
    std::vector<EventTypeInfo> types_;
    std::vector<MissedEvents> missed_;
    std::unique_ptr<EventSource> source_;
};

} // namespace irqlens

#include "core/model/event_store_merge.h"
