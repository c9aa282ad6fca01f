#include "parsers/writer/tracedat_layout.h"

#include "parsers/writer/tracedat_encoding.h"

namespace irqlens::tracedat {

std::string buildFixedPart(const TraceMetadata& meta) {
    ByteBuilder b(meta.bigEndian);
    b.raw(std::string_view("\x17\x08\x44tracing", 10));
    b.cstring("6");
    b.u8(meta.bigEndian ? 1 : 0);
    b.u8(static_cast<std::uint8_t>(meta.longSize));
    b.u32(meta.pageSize);

    b.cstring("header_page");
    b.blob64(meta.headerPage);
    b.cstring("header_event");
    b.blob64(meta.headerEvent);

    b.u32(static_cast<std::uint32_t>(meta.ftraceFormats.size()));
    for (const auto& format : meta.ftraceFormats)
        b.blob64(format);

    b.u32(static_cast<std::uint32_t>(meta.systems.size()));
    for (const auto& system : meta.systems) {
        b.cstring(system.name);
        b.u32(static_cast<std::uint32_t>(system.formats.size()));
        for (const auto& format : system.formats)
            b.blob64(format);
    }
    b.blob32(meta.kallsyms);
    b.blob32(meta.printkFormats);
    return b.bytes();
}

namespace {

void addOption(ByteBuilder& b, OptionId id, std::string_view data) {
    b.u16(static_cast<std::uint16_t>(id));
    b.blob32(data);
}

// Option strings are NUL-terminated in trace-cmd's own files.
std::string withNul(const std::string& s) {
    return s + '\0';
}

} // namespace

Tail buildTail(const TraceMetadata& meta, const std::string& savedCmdlines,
               const std::vector<std::string>& cpuStats, const std::vector<CpuSection>& sections) {
    ByteBuilder b(meta.bigEndian);
    b.blob64(savedCmdlines);
    b.u32(static_cast<std::uint32_t>(meta.cpus));
    b.raw(std::string_view("options  \0", 10));

    ByteBuilder count(meta.bigEndian);
    count.u32(static_cast<std::uint32_t>(meta.cpus));
    addOption(b, OptionId::CpuCount, count.bytes());
    if (!meta.traceClock.empty())
        addOption(b, OptionId::TraceClock, withNul(meta.traceClock));
    // trace-cmd's "SYSNAME HOST RELEASE MACHINE", then the board in
    // parentheses (irqlens's addition; `trace-cmd report --uname` shows it).
    if (!meta.uname.empty())
        addOption(b, OptionId::Uname,
                  withNul(meta.model.empty() ? meta.uname : meta.uname + " (" + meta.model + ")"));
    addOption(b, OptionId::Version, withNul("irqlens 0.1"));
    for (std::size_t cpu = 0; cpu < cpuStats.size(); ++cpu) {
        if (cpuStats[cpu].empty())
            continue;
        addOption(b, OptionId::CpuStat,
                  withNul("CPU: " + std::to_string(cpu) + "\n" + cpuStats[cpu]));
    }
    b.u16(static_cast<std::uint16_t>(OptionId::Done));

    b.raw(std::string_view("flyrecord\0", 10));
    Tail tail;
    tail.tableOffset = b.size();
    for (const auto& section : sections) {
        b.u64(section.offset);
        b.u64(section.size);
    }
    // libtracecmd reads a v6 file's trace_clock text (8-byte size, text)
    // right after the table: it must be there, never whatever the previous
    // tail left in the reserved space.
    b.blob64(meta.traceClock);
    tail.bytes = b.bytes();
    return tail;
}

std::string encodeTableEntry(const TraceMetadata& meta, const CpuSection& section) {
    ByteBuilder b(meta.bigEndian);
    b.u64(section.offset);
    b.u64(section.size);
    return b.bytes();
}

} // namespace irqlens::tracedat
