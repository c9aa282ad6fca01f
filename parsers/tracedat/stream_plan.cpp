#include "parsers/tracedat/stream_plan.h"

#include "parsers/tracedat/libtracecmd.h"

#include <algorithm>
#include <deque>

namespace irqlens::tracedat {

namespace {

// Every CPU stream with data, largest first.
std::vector<StreamPiece> wholeStreams(tracecmd_input* handle, std::uint64_t page) {
    std::vector<StreamPiece> streams;
    for (int cpu = 0; cpu < tracecmd_cpus(handle); ++cpu) {
        const off_t size = tracecmd_get_cpu_file_size(handle, cpu);
        const tep_record* first = size > 0 ? tracecmd_peek_data(handle, cpu) : nullptr;
        if (first) {
            const std::uint64_t begin = first->offset / page * page;
            const std::uint64_t end = begin + static_cast<std::uint64_t>(size);
            streams.push_back({cpu, begin, end, true, end});
        }
    }
    std::sort(streams.begin(), streams.end(),
              [](const StreamPiece& a, const StreamPiece& b) { return a.bytes() > b.bytes(); });
    return streams;
}

// Fills one thread's share from the front of the queue, cutting the stream
// that does not fit (unless a piece would be smaller than `minPiece`).
std::vector<StreamPiece> takeShare(std::deque<StreamPiece>& queue, std::uint64_t room,
                                   std::uint64_t page, std::uint64_t minPiece) {
    std::vector<StreamPiece> group;
    while (!queue.empty() && room > 0) {
        StreamPiece& s = queue.front();
        const std::uint64_t cut = room / page * page;
        if (s.bytes() <= room || s.bytes() - cut < minPiece || cut < minPiece) {
            if (s.bytes() > room && cut < minPiece && !group.empty()) {
                break; // too little room left: the next thread takes it whole
            }
            room = s.bytes() >= room ? 0 : room - s.bytes();
            group.push_back(s);
            queue.pop_front();
            continue;
        }
        StreamPiece head = s;
        head.end = s.begin + cut;
        group.push_back(head);
        s.begin = head.end;
        s.first = false;
        room = 0;
    }
    return group;
}

// The last piece of each stream runs to the stream's end, however its size
// was estimated.
void openLastPieces(std::vector<std::vector<StreamPiece>>& groups) {
    for (auto& group : groups) {
        for (auto& p : group) {
            bool last = true;
            for (const auto& other : groups) {
                for (const auto& q : other) {
                    last = last && !(q.cpu == p.cpu && q.begin > p.begin);
                }
            }
            if (last) {
                p.end = kToTheEnd;
            }
        }
    }
}

} // namespace

std::uint64_t streamBytes(tracecmd_input* handle) {
    std::uint64_t total = 0;
    for (int cpu = 0; cpu < tracecmd_cpus(handle); ++cpu) {
        total +=
            static_cast<std::uint64_t>(std::max<off_t>(tracecmd_get_cpu_file_size(handle, cpu), 0));
    }
    return total;
}

std::vector<std::vector<StreamPiece>> planPieces(tracecmd_input* handle, int threads,
                                                 std::uint64_t minPieceBytes) {
    const auto page = static_cast<std::uint64_t>(std::max(tracecmd_page_size(handle), 1));
    const std::vector<StreamPiece> streams = wholeStreams(handle, page);
    threads = std::max(1, std::min<int>(threads, static_cast<int>(streams.size()) * 4));
    std::uint64_t total = 0;
    for (const auto& s : streams) {
        total += s.bytes();
    }
    const std::uint64_t share = total / std::uint64_t(threads) + 1;
    std::deque<StreamPiece> queue(streams.begin(), streams.end());
    std::vector<std::vector<StreamPiece>> groups;
    for (int t = 0; t < threads && !queue.empty(); ++t) {
        const std::uint64_t room = t + 1 == threads ? kToTheEnd : share;
        groups.push_back(takeShare(queue, room, page, minPieceBytes));
    }
    openLastPieces(groups);
    return groups;
}

} // namespace irqlens::tracedat
