// One CPU's events in time order, stored column by column.
//
// 16 bytes per event: the timestamp's low 32 bits (the high bits change
// rarely and are kept as a short list of change points), pid, event type,
// latency flags, preempt count and one 32-bit `arg` whose meaning depends on
// the event kind (see event_kind.h).  Everything else is decoded on demand
// from the source through the anchors kept every kAnchorStride events.
#pragma once

#include "core/model/pod_column.h"

#include <cstdint>
#include <vector>

namespace irqlens {

using TypeId = std::uint16_t;

struct EventFields {
    std::int64_t ts = 0; // ns, capture clock
    std::int32_t pid = 0;
    TypeId type = 0;
    std::uint8_t flags = 0;   // LatencyFlag bits
    std::uint8_t preempt = 0; // preempt count (low nibble) / migrate-disable
    std::uint32_t arg = 0;
};

class CpuEvents {
public:
    static constexpr std::uint32_t kAnchorStride = 256;

    void reserve(std::size_t events);
    // `sourceOffset` locates the event in the source (file offset of the record
    // or of the text line); kept for every kAnchorStride-th event.
    void append(const EventFields& event, std::uint64_t sourceOffset);
    // Appends all of `other` (a later run of the same CPU decoded aside);
    // `sourceOffsets` holds the source offset of each of its events.
    void appendAll(const CpuEvents& other, const std::vector<std::uint64_t>& sourceOffsets);
    void shrinkToFit();
    // Maps in the reserved room the next appends write (prefault.h).
    void prefault(PrefaultList& out, double fraction) const;
    // Empties the column but keeps its memory (a reused scratch column).
    void clear();

    std::size_t size() const { return tsLo_.size(); }
    bool empty() const { return tsLo_.empty(); }
    std::int64_t ts(std::size_t i) const;
    // For readers going forward (the analysis walk): `segment` remembers which
    // high-part change the previous call was in, so no search per event (ts()
    // searches as soon as a capture passes a 4.3 s boundary).  Start at 0.
    std::int64_t tsForward(std::size_t i, std::size_t& segment) const {
        while (segment + 1 < tsHigh_.size() && tsHigh_[segment + 1].index <= i) {
            ++segment;
        }
        return static_cast<std::int64_t>((std::uint64_t(tsHigh_[segment].high) << 32) | tsLo_[i]);
    }
    std::int32_t pid(std::size_t i) const { return pid_[i]; }
    TypeId type(std::size_t i) const { return type_[i]; }
    std::uint8_t flags(std::size_t i) const { return flags_[i]; }
    std::uint8_t preempt(std::size_t i) const { return preempt_[i]; }
    std::uint32_t arg(std::size_t i) const { return arg_[i]; }
    EventFields at(std::size_t i) const;

    // First index with ts >= t (size() if none).
    std::size_t lowerBound(std::int64_t t) const;
    // Source offset of the anchor at or before event i, and that anchor's index.
    std::uint64_t anchorOffset(std::size_t i) const { return anchors_[i / kAnchorStride]; }
    std::size_t anchorIndex(std::size_t i) const { return i - i % kAnchorStride; }

    std::size_t bytesUsed() const;
    // By size: a live column's reserved room is address space, not memory.
    std::size_t bytesFilled() const;
    // Timestamps must not go backwards within a CPU; returns how often they did
    // (kept as-is, the reader reports it).
    std::size_t backwardSteps() const { return backwardSteps_; }

private:
    struct HighChange {
        std::uint32_t index; // first event with this high part
        std::uint32_t high;
    };
    // PodColumn: grown and shrunk by realloc (remapped, not copied).
    PodColumn<std::uint32_t> tsLo_;
    std::vector<HighChange> tsHigh_;
    PodColumn<std::int32_t> pid_;
    PodColumn<TypeId> type_;
    PodColumn<std::uint8_t> flags_;
    PodColumn<std::uint8_t> preempt_;
    PodColumn<std::uint32_t> arg_;
    PodColumn<std::uint64_t> anchors_;
    std::int64_t lastTs_ = 0;
    std::size_t backwardSteps_ = 0;
};

} // namespace irqlens
