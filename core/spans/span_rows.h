// The span builder's spans, by build id.  A batch build keeps them all in
// one vector.  A live walk whose deltas go to a picture (LiveAnalyzer::
// showsIn) keeps only what the picture does not have yet: the rows since the
// last picture it saw, and its own copies of the older rows it still changes
// (spans that were open when they were shown).  The older rows are read from
// the picture, so a live recording holds each span once, not twice.
//
// The picture is read on the walk's thread while nobody writes it: a delta
// is applied to it before the walk goes on (the live view's cycle), and a
// row is dropped here only once the picture holds it (trim()).
#pragma once

#include "core/spans/span.h"

#include <cstddef>
#include <span>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace irqlens::detail {

class SpanRows {
public:
    // A row to read or change.  A shown row is copied here on first use:
    // the walk never writes the picture.
    Span& operator[](std::size_t id) {
        if (id >= base_) {
            return rows_[id - base_];
        }
        auto it = held_.find(static_cast<SpanId>(id));
        if (it != held_.end()) {
            return it->second;
        }
        return held_.emplace(static_cast<SpanId>(id), (*shown_)[id]).first->second;
    }
    const Span& operator[](std::size_t id) const {
        if (id >= base_) {
            return rows_[id - base_];
        }
        auto it = held_.find(static_cast<SpanId>(id));
        return it != held_.end() ? it->second : (*shown_)[id];
    }
    std::size_t size() const { return base_ + rows_.size(); }
    void push_back(const Span& s) { rows_.push_back(s); }
    void reserve(std::size_t n) { rows_.reserve(n); }
    // The rows from `first` (at least the first row not dropped) to the end.
    std::span<const Span> from(std::size_t first) const {
        return std::span<const Span>(rows_).subspan(first - base_);
    }

    // Every row in one vector: the batch build's own, or a live walk's made
    // whole again (materialize()) before a snapshot.
    std::vector<Span>& whole() {
        if (base_ != 0) {
            throw std::logic_error("SpanRows::whole() on rows a picture holds");
        }
        return rows_;
    }
    std::vector<Span>::iterator begin() { return whole().begin(); }
    std::vector<Span>::iterator end() { return whole().end(); }

    // Live: the picture the deltas go to (its spans vector, same object for
    // the whole recording).
    void showIn(const std::vector<Span>* shown) { shown_ = shown; }
    // Drops the rows before `upTo` once the picture holds them, keeping own
    // copies of the `open` ones (sorted ids, all before `upTo`): their
    // picture rows end at the edge, the walk's at its open mark.  Copies of
    // the other shown rows are dropped too: the picture has them as they
    // are here (the delta that showed them carried them).
    void trim(std::size_t upTo, std::span<const SpanId> open);
    // Every row in rows_ again, the picture's with this walk's copies over
    // them; the walk no longer reads the picture.
    void materialize();

    std::size_t bytesFilled() const {
        // An unordered_map node: the pair, a next pointer, the hash, about.
        return rows_.size() * sizeof(Span) + held_.size() * (sizeof(Span) + 32);
    }
    const std::unordered_map<SpanId, Span>& held() const { return held_; }
    const std::vector<Span>* shown() const { return shown_; }

private:
    std::vector<Span> rows_; // ids base_ ... size() - 1
    std::size_t base_ = 0;
    std::unordered_map<SpanId, Span> held_; // own copies of rows before base_
    const std::vector<Span>* shown_ = nullptr;
};

} // namespace irqlens::detail
