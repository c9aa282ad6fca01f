// Runs the user-defined latency rules (latency_rule.h) inside the span
// builder's pass and emits Custom spans.  Internal.
#pragma once

#include "core/spans/build_state.h"
#include "core/spans/span_rows.h"

#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace irqlens::detail {

// A field's value on one event: a number, or text for comm/name.
struct FieldValue {
    bool present = false;
    bool isText = false;
    std::int64_t number = 0;
    std::string_view text;
};
FieldValue eventField(const EventStore& store, const Ev& e, RuleField field);

class CustomSpans {
public:
    void prepare(const EventStore& store, std::span<const LatencyRule> rules);
    bool active() const { return !rules_.empty(); }
    void onEvent(const Ev& e, SpanRows& spans);

private:
    struct Compiled {
        const LatencyRule* rule = nullptr;
        std::vector<bool> startType; // by TypeId
        std::vector<bool> endType;
        std::unordered_map<std::string, SpanId> pending; // key values -> open span
    };
    bool passes(const Ev& e, const RuleEndpoint& endpoint);
    std::string keyOf(const Ev& e, const LatencyRule& rule, bool start);

    const EventStore* store_ = nullptr;
    std::vector<Compiled> rules_;
    std::unordered_map<std::uint64_t, std::string> symbolNames_; // address -> name cache
};

} // namespace irqlens::detail
