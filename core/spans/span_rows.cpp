#include "core/spans/span_rows.h"

#include <algorithm>

namespace irqlens::detail {

void SpanRows::trim(std::size_t upTo, std::span<const SpanId> open) {
    if (!shown_ || upTo <= base_ || shown_->size() < upTo || upTo > size()) {
        return; // the picture does not hold these rows yet
    }
    std::unordered_map<SpanId, Span> keep;
    keep.reserve(open.size());
    const SpanRows& self = *this;
    for (SpanId id : open) {
        if (id < upTo) {
            keep.emplace(id, self[id]);
        }
    }
    held_.swap(keep);
    rows_.erase(rows_.begin(), rows_.begin() + static_cast<std::ptrdiff_t>(upTo - base_));
    base_ = upTo;
}

void SpanRows::materialize() {
    if (base_ > 0) {
        std::vector<Span> all;
        all.reserve(std::max(rows_.capacity(), size()));
        all.assign(shown_->begin(), shown_->begin() + static_cast<std::ptrdiff_t>(base_));
        for (const auto& [id, span] : held_) {
            all[id] = span;
        }
        all.insert(all.end(), rows_.begin(), rows_.end());
        rows_ = std::move(all);
        base_ = 0;
    }
    held_.clear();
    shown_ = nullptr;
}

} // namespace irqlens::detail
