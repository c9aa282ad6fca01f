#include "parsers/tracedat/cpu_worker.h"

#include <atomic>
#include <mutex>
#include <thread>

namespace irqlens::tracedat {

namespace {

// A first guess of a column's size from its stream's bytes: ring-buffer
// records take 16 bytes at least (a 4-byte header and the 8-byte common
// fields, padded), so this over-reserves; pages never written are not
// resident, and the store shrinks the columns when the load is done.
constexpr std::uint64_t kMinBytesPerEvent = 16;

struct PieceState {
    CpuEvents events; // aside pieces only
    std::vector<std::uint64_t> offsets;
    std::vector<MissedEvents> missed; // eventIndex relative to the column written
    bool direct = false;
    bool done = false;
};

class PieceRun {
public:
    PieceRun(int fd, const CpuDataPlan& plan, const std::vector<StreamPiece>& pieces,
             EventStore& store, LoadProgressTracker& progress)
        : fd_(fd), plan_(plan), pieces_(pieces), states_(pieces.size()), store_(store),
          progress_(progress), committed_(plan.cpus.size(), pieces.size()),
          streamEnd_(plan.cpus.size(), 0) {
        for (std::size_t k = pieces.size(); k-- > 0;) {
            committed_[pieces[k].stream] = k; // each stream's first piece
        }
        for (std::size_t k = 0; k < pieces.size(); ++k) {
            streamEnd_[pieces[k].stream] = k + 1;
        }
    }

    void work(PageDecoder& decoder);
    WorkOutcome& outcome() { return outcome_; }

private:
    void decodePiece(PageDecoder& decoder, PageReader& reader, std::size_t k);
    void finishPiece(std::size_t k);
    void commit(std::size_t k);

    int fd_;
    const CpuDataPlan& plan_;
    const std::vector<StreamPiece>& pieces_;
    std::vector<PieceState> states_;
    EventStore& store_;
    LoadProgressTracker& progress_;
    std::atomic<std::size_t> next_{0};
    std::mutex mutex_;
    std::vector<std::size_t> committed_; // per stream: first piece not yet in the store
    std::vector<std::size_t> streamEnd_;
    WorkOutcome outcome_;
};

void PieceRun::work(PageDecoder& decoder) {
    PageReader reader(fd_, plan_);
    for (std::size_t k = next_++; k < pieces_.size() && !progress_.cancelled(); k = next_++) {
        decodePiece(decoder, reader, k);
        finishPiece(k);
    }
}

void PieceRun::decodePiece(PageDecoder& decoder, PageReader& reader, std::size_t k) {
    const StreamPiece& piece = pieces_[k];
    PieceState& state = states_[k];
    CpuEvents* column = &state.events;
    {
        std::lock_guard lock(mutex_);
        state.direct = committed_[piece.stream] == k;
        if (state.direct) {
            column = &store_.cpuEventsMutable(piece.cpu);
        }
    }
    if (!state.direct) {
        state.events.reserve(piece.bytes() / kMinBytesPerEvent + 16);
        state.offsets.reserve(piece.bytes() / kMinBytesPerEvent + 16);
    }
    PageSink sink{column, &state.missed, state.direct ? nullptr : &state.offsets};
    decoder.startStream();
    std::uint64_t damaged = 0;
    std::uint64_t firstDamaged = 0;
    const std::string error =
        reader.read(plan_.cpus[piece.stream], piece.begin, piece.end,
                    [&](const unsigned char* pages, std::size_t size, std::uint64_t sourceOffset) {
                        const PageBatchResult r =
                            decoder.decodePages(piece.cpu, pages, size, sourceOffset, sink);
                        if (r.damagedPages > 0 && damaged == 0) {
                            firstDamaged = r.firstDamagedOffset;
                        }
                        damaged += r.damagedPages;
                        return progress_.add(r.events, size);
                    });
    std::lock_guard lock(mutex_);
    if (!error.empty()) {
        outcome_.warnings.push_back(error + ": its events are missing");
    }
    if (damaged > 0) {
        outcome_.warnings.push_back(
            "CPU " + std::to_string(piece.cpu) + ": " + std::to_string(damaged) +
            " damaged ring-buffer page(s), the first at offset " + std::to_string(firstDamaged) +
            ": their records from the damage on are skipped");
    }
}

void PieceRun::finishPiece(std::size_t k) {
    std::lock_guard lock(mutex_);
    states_[k].done = true;
    const std::size_t stream = pieces_[k].stream;
    while (committed_[stream] < streamEnd_[stream] && states_[committed_[stream]].done) {
        commit(committed_[stream]++);
    }
}

// Called in stream order, under the mutex.
void PieceRun::commit(std::size_t k) {
    PieceState& state = states_[k];
    CpuEvents& column = store_.cpuEventsMutable(pieces_[k].cpu);
    const std::size_t base = state.direct ? 0 : column.size();
    if (!state.direct) {
        column.appendAll(state.events, state.offsets);
    }
    for (MissedEvents mark : state.missed) {
        mark.eventIndex += static_cast<std::uint32_t>(base);
        store_.addMissed(mark);
    }
    state = PieceState{};
    state.done = true;
}

} // namespace

WorkOutcome runPieces(int fd, const CpuDataPlan& plan, const std::vector<StreamPiece>& pieces,
                      const std::vector<PageDecoder*>& decoders, EventStore& store,
                      LoadProgressTracker& progress) {
    for (const CpuPages& cpu : plan.cpus) {
        store.cpuEventsMutable(cpu.cpu).reserve(cpu.bytes / kMinBytesPerEvent + 16);
    }
    PieceRun run(fd, plan, pieces, store, progress);
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < decoders.size(); ++t) {
        threads.emplace_back([&run, &decoders, t] { run.work(*decoders[t]); });
    }
    if (!decoders.empty()) {
        run.work(*decoders[0]);
    }
    for (auto& thread : threads) {
        thread.join();
    }
    WorkOutcome outcome = std::move(run.outcome());
    outcome.cancelled = progress.cancelled();
    for (const PageDecoder* decoder : decoders) {
        const auto pids = decoder->seenPids();
        outcome.seenPids.insert(outcome.seenPids.end(), pids.begin(), pids.end());
    }
    return outcome;
}

} // namespace irqlens::tracedat
