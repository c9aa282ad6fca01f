// Turns one libtracecmd record into the store's EventFields: the common
// fields plus the kind's key field packed into `arg` exactly as
// core/model/event_kind.h documents.  One decoder per loader thread (its
// field offsets come from that thread's own tep handle).
#pragma once

#include "core/model/event_store.h"
#include "parsers/tracedat/intern_cache.h"
#include "parsers/tracedat/record_fields.h"

#include <cstdint>
#include <vector>

struct tep_handle;
struct tep_record;

namespace irqlens::tracedat {

// The store's TypeId for each tep event id of a capture (shared by threads).
struct TypeTable {
    std::vector<std::int32_t> typeBySourceId; // -1: not a registered format
    TypeId unknownType = 0;                   // for ids the capture has no format for
};

// Registers every event format of `tep` as a store type.
TypeTable registerEventTypes(tep_handle* tep, EventStore& store);

class EventDecoder {
public:
    EventDecoder(tep_handle* tep, const TypeTable& types, EventStore& store);

    EventFields decode(const tep_record& rec);
    InternCache& cache() { return cache_; }
    const InternCache& cacheView() const { return cache_; }

private:
    // Fields of one format; the meaning of a..e depends on the kind (see .cpp).
    struct Format {
        TypeId type = 0;
        EventKind kind = EventKind::Other;
        FieldRef a, b, c, d, e;
    };
    void setUpFormat(tep_event* event, Format& format);
    std::uint32_t keyArg(const Format& f, const tep_record& rec, std::int64_t ts);
    std::uint32_t switchArg(const Format& f, const tep_record& rec, std::int64_t ts);
    std::uint32_t wakeArg(const Format& f, const tep_record& rec, std::int64_t ts);
    std::uint32_t stackArg(const Format& f, const tep_record& rec);
    std::uint32_t ipiArg(const Format& f, const tep_record& rec);

    tep_handle* tep_;
    std::vector<Format> formats_; // by tep event id
    Format unknown_;
    FieldRef commonType_, commonPid_, commonFlags_, commonPreempt_;
    // The kernel's usual header (u16 type, u8 flags, u8 preempt, s32 pid) in
    // this machine's byte order: read as one 8-byte word.
    bool standardHeader_ = false;
    FieldReader reader_;
    InternCache cache_;
    int longSize_ = 8;
    std::vector<std::uint64_t> frames_;
};

} // namespace irqlens::tracedat
