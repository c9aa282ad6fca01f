// The options of a trace.dat (v6 and v7 alike), checked before libtracecmd
// reads them.  Each check follows what libtracecmd 3.1.6 does with the
// option (lib/trace-cmd/trace-input.c, handle_options): an option it would
// read past, write before or allocate absurdly for is either masked (its id
// replaced in the copy libtracecmd reads, its text kept by irqlens: the
// option only informs) or refused (it changes the timestamps, so it cannot
// be dropped).  docs/COMPATIBILITY.md lists every case and why.
// Internal to parsers/tracedat.
#pragma once

#include "parsers/tracedat/layout_bytes.h"
#include "parsers/tracedat/tracedat_layout.h"

namespace irqlens::tracedat::layout_detail {

// Option ids (trace-cmd.dat.v7(5); the same numbers in v6).
enum OptionId : std::uint16_t {
    kOptDone = 0,
    kOptDate = 1,
    kOptCpuStat = 2,
    kOptBuffer = 3,
    kOptTraceClock = 4,
    kOptUname = 5,
    kOptHook = 6,
    kOptOffset = 7,
    kOptCpuCount = 8,
    kOptVersion = 9,
    kOptProcMaps = 10,
    kOptTimeShift = 12,
    kOptGuest = 13,
    kOptHeaderInfo = 16,
    kOptKallsyms = 19,
    kOptCmdlines = 21,
    kOptBufferText = 22,
};

// The most CPUs a count in the file may claim: libtracecmd allocates
// per-CPU state for it before any other check.
inline constexpr std::uint32_t kMaxCpus = 65536;

// One option: `idOffset` is where its u16 id lies (what a mask rewrites),
// `at` where its `size` bytes of data start.
void checkOption(const FileBytes& f, std::uint16_t id, std::uint64_t idOffset, std::uint64_t at,
                 std::uint32_t size, Layout& layout);

// "local" from a trace_clock text ("[local] global counter"); "" if none.
std::string selectedClock(std::string_view text);

// True when strtoll() on these bytes stops before their end (a NUL, or a
// byte that cannot continue the number): libtracecmd reads DATE and OFFSET
// with it, and a number running to the end would make it read past.
bool strtollStopsInside(std::string_view bytes);

} // namespace irqlens::tracedat::layout_detail
