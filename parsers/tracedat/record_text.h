// One record's fields and text as libtraceevent prints them (the format's
// print fmt, like `trace-cmd report`), shared by the event sources.
#pragma once

#include "core/model/event_source.h"

#include <string>
#include <vector>

struct tep_handle;
struct tep_record;

namespace irqlens::tracedat {

// Every field of the record's format, name and printed value; empty when
// `tep` has no format for it.
std::vector<DecodedField> recordFields(tep_handle* tep, tep_record& rec);

// The record's info text (TEP_PRINT_INFO).
std::string recordInfo(tep_handle* tep, tep_record& rec);

// The function `address` lies in, from the capture's kallsyms.
std::optional<Symbol> kernelSymbol(tep_handle* tep, std::uint64_t address);

} // namespace irqlens::tracedat
