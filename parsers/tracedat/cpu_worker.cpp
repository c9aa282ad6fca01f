#include "parsers/tracedat/cpu_worker.h"

#include <memory>
#include <mutex>
#include <new>
#include <thread>

namespace irqlens::tracedat {

namespace {

// A first guess of a column's size from its stream's bytes: ring-buffer
// records take 16 bytes at least (a 4-byte header and the 8-byte common
// fields, padded), so this over-reserves; pages never written are not
// resident, and the store shrinks the columns when the load is done.
constexpr std::uint64_t kMinBytesPerEvent = 16;

// Where an aside piece is decoded; reused from piece to piece (its pages
// stay resident instead of being faulted in again for every piece).
struct Scratch {
    CpuEvents events;
    std::vector<std::uint64_t> offsets;
};

struct PieceState {
    std::unique_ptr<Scratch> scratch; // aside pieces only
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
        handedOut_ = committed_;
        for (std::size_t k = 0; k < pieces.size(); ++k) {
            streamEnd_[pieces[k].stream] = k + 1;
        }
    }

    void work(PageDecoder& decoder);
    WorkOutcome& outcome() { return outcome_; }

private:
    std::size_t takePiece();
    void decodePiece(PageDecoder& decoder, PageReader& reader, std::size_t k);
    void finishPiece(std::size_t k);
    void commit(std::size_t k);

    int fd_;
    const CpuDataPlan& plan_;
    const std::vector<StreamPiece>& pieces_;
    std::vector<PieceState> states_;
    EventStore& store_;
    LoadProgressTracker& progress_;
    std::mutex mutex_;
    std::vector<std::size_t> committed_; // per stream: first piece not yet in the store
    std::vector<std::size_t> handedOut_; // per stream: first piece no thread took yet
    std::vector<std::size_t> streamEnd_;
    std::vector<std::unique_ptr<Scratch>> spare_;
    WorkOutcome outcome_;
};

// An allocation that fails in a thread stops every thread (never an
// uncaught bad_alloc: the reader turns it into one message).
void PieceRun::work(PageDecoder& decoder) {
    try {
        PageReader reader(fd_, plan_);
        for (std::size_t k = takePiece(); k < pieces_.size() && !progress_.cancelled();
             k = takePiece()) {
            decodePiece(decoder, reader, k);
            finishPiece(k);
        }
    } catch (const std::bad_alloc&) {
        std::lock_guard lock(mutex_);
        outcome_.outOfMemory = true;
    }
}

// A piece that continues its column (decoded in place) if any stream has
// one; otherwise the next piece of the stream with the most left (decoded
// aside).  pieces_.size() when none is left.
std::size_t PieceRun::takePiece() {
    std::lock_guard lock(mutex_);
    if (outcome_.outOfMemory) {
        return pieces_.size();
    }
    std::size_t best = committed_.size();
    for (std::size_t s = 0; s < committed_.size(); ++s) {
        if (handedOut_[s] >= streamEnd_[s]) {
            continue;
        }
        if (handedOut_[s] == committed_[s]) {
            best = s;
            break;
        }
        if (best == committed_.size() ||
            streamEnd_[s] - handedOut_[s] > streamEnd_[best] - handedOut_[best]) {
            best = s;
        }
    }
    if (best == committed_.size()) {
        return pieces_.size();
    }
    const std::size_t k = handedOut_[best]++;
    PieceState& state = states_[k];
    state.direct = committed_[best] == k;
    if (!state.direct) {
        if (spare_.empty()) {
            state.scratch = std::make_unique<Scratch>();
        } else {
            state.scratch = std::move(spare_.back());
            spare_.pop_back();
        }
    }
    return k;
}

void PieceRun::decodePiece(PageDecoder& decoder, PageReader& reader, std::size_t k) {
    const StreamPiece& piece = pieces_[k];
    PieceState& state = states_[k];
    // The column is this thread's alone: in place only while every earlier
    // piece of the stream is in and no later one is (takePiece).
    CpuEvents* column = state.direct ? &store_.cpuEventsMutable(piece.cpu) : &state.scratch->events;
    PageSink sink{column, &state.missed, state.direct ? nullptr : &state.scratch->offsets};
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
    outcome_.damagedPages += damaged;
    if (damaged > 0) {
        outcome_.warnings.push_back(
            plan_.streamName(plan_.cpus[piece.stream].cpu) + ": " + std::to_string(damaged) +
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
        column.appendAll(state.scratch->events, state.scratch->offsets);
        state.scratch->events.clear();
        state.scratch->offsets.clear();
        spare_.push_back(std::move(state.scratch));
    }
    for (MissedEvents mark : state.missed) {
        mark.eventIndex += static_cast<std::uint32_t>(base);
        store_.addMissed(mark);
    }
    state.missed = {};
}

} // namespace

WorkOutcome runPieces(int fd, const CpuDataPlan& plan, const std::vector<StreamPiece>& pieces,
                      const std::vector<PageDecoder*>& decoders, EventStore& store,
                      LoadProgressTracker& progress) {
    for (const CpuPages& cpu : plan.cpus) {
        store.cpuEventsMutable(cpu.column).reserve(cpu.bytes / kMinBytesPerEvent + 16);
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
