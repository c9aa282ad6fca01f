// Turns classified text lines into store events, in file order.  Holds the
// state a line alone does not give: the stack being collected after a
// kernel_stack line, the open function_graph calls and reconstructed clock
// of each CPU, the task each CPU runs, and lost-event marks.
#pragma once

#include "core/model/event_store.h"
#include "parsers/text/line_classifier.h"
#include "parsers/text/text_symbols.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace irqlens {

class TextBuilder {
public:
    static constexpr int kMaxCpus = 8192;
    static constexpr std::size_t kReportedBadLines = 5;

    TextBuilder(EventStore& store, TextSymbols& symbols, TextFormat format);

    void add(const ClassifiedLine& c, std::string_view line, std::uint64_t offset,
             std::uint64_t lineNo);
    // Flushes what is pending, adds the warnings, finishes the store.
    void finish();

    std::uint64_t events() const { return events_; }
    std::uint64_t badLines() const { return badLines_; }

private:
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>()(s);
        }
    };
    struct OpenCall {
        AddressId function = 0;
        std::int64_t ts = 0;
    };
    struct CpuState {
        std::vector<OpenCall> calls; // open function_graph calls by depth
        std::int64_t clock = 0;      // reconstructed time when lines carry none
        std::int32_t pid = -1;       // task on this CPU (function_graph "=>" lines)
        bool missedPending = false;
        std::int64_t missedCount = -1;
    };
    struct PendingStack {
        bool active = false;
        int cpu = 0;
        EventFields fields;
        std::uint64_t offset = 0;
        std::vector<std::uint64_t> frames;
    };

    void addEvent(const EventLine& e, const ClassifiedLine& c, std::uint64_t offset,
                  std::uint64_t lineNo);
    void addGraph(const GraphLine& g, std::uint64_t offset, std::uint64_t lineNo);
    void addCall(int cpu, EventFields base, bool hasTs, const GraphCall& call, std::uint64_t offset,
                 std::uint64_t lineNo);
    void addTextEvent(int cpu, EventFields base, std::string_view name, std::string_view info,
                      bool rawText, std::uint64_t offset, std::uint64_t lineNo);
    void addComment(int cpu, EventFields base, std::string_view comment, std::uint64_t offset,
                    std::uint64_t lineNo);
    void addFrame(std::string_view line, std::uint64_t lineNo);
    void flushStack();
    void append(int cpu, const EventFields& fields, std::uint64_t offset, int sub);
    TypeId typeFor(std::string_view name, std::string_view info, bool textOnly);
    void noteComm(std::int32_t pid, std::string_view comm, std::int64_t ts);
    void bad(std::uint64_t lineNo, std::string_view line, std::string_view why);
    bool ensureCpu(int cpu);
    CpuState& state(int cpu);

    EventStore& store_;
    TextSymbols& symbols_;
    std::unordered_map<std::string, TypeId, StringHash, std::equal_to<>> types_;
    std::unordered_map<std::int32_t, StringId> lastComm_;
    std::vector<CpuState> cpus_;
    PendingStack stack_;
    int headerCpus_ = 0;
    std::uint64_t events_ = 0;
    std::uint64_t badLines_ = 0;
    std::uint64_t unreadFields_ = 0;
    std::vector<std::string> badReports_;
};

} // namespace irqlens
