#include "parsers/tracedat/record_text.h"

#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

namespace irqlens::tracedat {

namespace {

// trace_seq with automatic cleanup.
class TraceSeq {
public:
    TraceSeq() { trace_seq_init(&seq_); }
    ~TraceSeq() { trace_seq_destroy(&seq_); }
    TraceSeq(const TraceSeq&) = delete;
    TraceSeq& operator=(const TraceSeq&) = delete;
    trace_seq* get() { return &seq_; }
    std::string take() {
        trace_seq_terminate(&seq_);
        std::string text(seq_.buffer ? seq_.buffer : "", seq_.len);
        trace_seq_reset(&seq_);
        return text;
    }

private:
    trace_seq seq_{};
};

} // namespace

std::vector<DecodedField> recordFields(tep_handle* tep, tep_record& rec) {
    std::vector<DecodedField> fields;
    tep_event* event = tep_find_event_by_record(tep, &rec);
    if (!event) {
        return fields;
    }
    TraceSeq seq;
    for (tep_format_field* f = event->format.fields; f; f = f->next) {
        tep_print_field_content(seq.get(), rec.data, rec.size, f);
        fields.push_back({f->name ? f->name : "", seq.take()});
    }
    return fields;
}

std::string recordInfo(tep_handle* tep, tep_record& rec) {
    TraceSeq seq;
    tep_print_event(tep, seq.get(), &rec, "%s", TEP_PRINT_INFO);
    return seq.take();
}

std::optional<Symbol> kernelSymbol(tep_handle* tep, std::uint64_t address) {
    const char* name = nullptr;
    unsigned long long start = 0;
    unsigned long size = 0;
    if (tep_find_function_info(tep, address, &name, &start, &size) == 0 || !name) {
        return std::nullopt;
    }
    // libtraceevent keeps the module of each kallsyms entry but has no call
    // that returns it, so `module` stays empty.
    return Symbol{name, start, ""};
}

} // namespace irqlens::tracedat
