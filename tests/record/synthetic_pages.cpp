#include "tests/record/synthetic_pages.h"

namespace irqlens::test {

namespace {

void put(std::string& out, std::size_t at, std::uint64_t value, int width, bool bigEndian) {
    for (int i = 0; i < width; ++i) {
        const int shift = 8 * (bigEndian ? width - 1 - i : i);
        out[at + static_cast<std::size_t>(i)] = static_cast<char>((value >> shift) & 0xff);
    }
}

std::string eventFormat(const char* name, int id) {
    return std::string("name: ") + name + "\nID: " + std::to_string(id) +
           "\nformat:\n"
           "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
           "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
           "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
           "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
           "\tfield:int value;\toffset:8;\tsize:4;\tsigned:1;\n\n"
           "print fmt: \"value=%d\", REC->value\n";
}

constexpr int kTickId = 901;
constexpr int kTockId = 902;

} // namespace

TraceMetadata syntheticMetadata(bool bigEndian, int longSize, int cpus) {
    TraceMetadata meta;
    meta.bigEndian = bigEndian;
    meta.longSize = longSize;
    meta.pageSize = 4096;
    meta.cpus = cpus;
    const int data = 8 + longSize;
    meta.headerPage = "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
                      "\tfield: local_t commit;\toffset:8;\tsize:" +
                      std::to_string(longSize) +
                      ";\tsigned:1;\n"
                      "\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
                      "\tfield: char data;\toffset:" +
                      std::to_string(data) + ";\tsize:" + std::to_string(4096 - data) +
                      ";\tsigned:0;\n";
    meta.headerEvent = "# compressed entry header\n\ttype_len    :    5 bits\n"
                       "\ttime_delta  :   27 bits\n\tarray       :   32 bits\n\n"
                       "\tpadding     : type == 29\n\ttime_extend : type == 30\n"
                       "\ttime_stamp : type == 31\n\tdata max type_len  == 28\n";
    meta.systems.push_back(
        {"irqlens_test", {eventFormat("tick", kTickId), eventFormat("tock", kTockId)}});
    meta.kallsyms = "ffffffff81000000 T _stext\n";
    meta.savedCmdlines = "42 worker\n";
    meta.traceClock = "[local] global counter\n";
    return meta;
}

SyntheticPage syntheticPage(const TraceMetadata& meta, std::uint64_t timestamp, int events,
                            std::uint64_t missed) {
    const bool be = meta.bigEndian;
    const std::size_t dataStart = 8 + static_cast<std::size_t>(meta.longSize);
    SyntheticPage page;
    page.bytes.assign(meta.pageSize, '\0');
    put(page.bytes, 0, timestamp, 8, be);
    std::size_t at = dataStart;
    for (int i = 0; i < events; ++i) {
        // Header word: type_len 3 (12 bytes of payload), time delta 1000 ns.
        const std::uint32_t typeLen = 3, delta = i == 0 ? 0 : 1000;
        const std::uint32_t word = be ? (typeLen << 27) | delta : (delta << 5) | typeLen;
        put(page.bytes, at, word, 4, be);
        const bool tick = i % 2 == 0;
        put(page.bytes, at + 4, tick ? kTickId : kTockId, 2, be);
        put(page.bytes, at + 8, 42, 4, be); // common_pid
        put(page.bytes, at + 12, static_cast<std::uint64_t>(i), 4, be);
        (tick ? page.ticks : page.tocks)++;
        at += 16;
    }
    std::uint64_t commit = at - dataStart;
    if (missed > 0) {
        put(page.bytes, at, missed, meta.longSize, be); // stored right after the data
        commit |= (1u << 31) | (1u << 30);
    }
    put(page.bytes, 8, commit, meta.longSize, be);
    return page;
}

} // namespace irqlens::test
