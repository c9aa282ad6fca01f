#include "app/live/live_decoder.h"

#include "core/model/prefault.h"
#include "parsers/tracedat/event_decoder.h"
#include "parsers/tracedat/own_headers.h"
#include "parsers/tracedat/page_decoder.h"
#include "parsers/tracedat/record_text.h"

#include <chrono>
#include <mutex>
#include <traceevent/event-parse.h>

namespace irqlens::live {

namespace {

tracedat::OwnHeaders headersOf(const TraceMetadata& m) {
    tracedat::OwnHeaders h;
    h.cpuCount = m.cpus;
    h.headerPage = m.headerPage;
    h.ftraceFormats = m.ftraceFormats;
    for (const EventSystemFormats& system : m.systems) {
        for (const std::string& format : system.formats) {
            h.eventFormats.emplace_back(system.name, format);
        }
    }
    h.kallsyms = m.kallsyms;
    h.printkFormats = m.printkFormats;
    h.cmdlines = m.savedCmdlines;
    return h;
}

// Both stores get the same columns, types and derived keys, in the same
// order: their pools start equal, so ids handed out later agree.
tracedat::TypeTable setUp(EventStore& store, tep_handle* tep, const TraceMetadata& m) {
    store.setCpuCount(m.cpus);
    CaptureInfo& info = store.info();
    info.format = "live recording";
    info.cpuCount = m.cpus;
    info.longSize = m.longSize;
    info.bigEndian = m.bigEndian;
    info.pageSize = static_cast<int>(m.pageSize);
    info.model = m.model;
    tracedat::TypeTable types = tracedat::registerEventTypes(tep, store);
    store.finish(); // interns the derived keys (x86 vectors' hard-IRQ keys)
    return types;
}

// The live store's source: kernel symbols from the target's kallsyms (work
// functions, %ps fields).  Single events' fields are not kept while
// recording (the pages are not stored twice): they come from the saved file.
class LiveSource final : public EventSource {
public:
    explicit LiveSource(tep_handle* tep) : tep_(tep) {}
    ~LiveSource() override { tep_free(tep_); }
    LiveSource(const LiveSource&) = delete;
    LiveSource& operator=(const LiveSource&) = delete;
    std::vector<DecodedField> decode(int, std::uint64_t, std::uint32_t) override { return {}; }
    std::string info(int, std::uint64_t, std::uint32_t) override { return ""; }
    std::optional<Symbol> symbol(std::uint64_t address) const override {
        std::lock_guard lock(mutex_);
        return tracedat::kernelSymbol(tep_, address);
    }

private:
    mutable std::mutex mutex_;
    tep_handle* tep_; // its own: libtraceevent sorts the symbols on first lookup
};

} // namespace

LiveDecoder::LiveDecoder() = default;

LiveDecoder::~LiveDecoder() {
    {
        std::lock_guard lock(queueMutex_);
        stop_ = true;
    }
    queueCv_.notify_all();
    if (worker_.joinable()) {
        worker_.join();
    }
    decoder_.reset();
    if (tep_) {
        tep_free(tep_);
    }
}

bool LiveDecoder::begin(const TraceMetadata& metadata, std::string& error) {
    tracedat::Layout layout;
    layout.bigEndian = metadata.bigEndian;
    layout.longSize = metadata.longSize;
    layout.pageSize = metadata.pageSize;
    tep_ = tracedat::buildTep(headersOf(metadata), layout, error);
    if (!tep_) {
        return false;
    }
    store_ = std::make_shared<EventStore>();
    staging_ = std::make_unique<EventStore>();
    setUp(*store_, tep_, metadata);
    std::string ignored; // the same text parsed a second time
    if (tep_handle* symbols = tracedat::buildTep(headersOf(metadata), layout, ignored)) {
        store_->setSource(std::make_unique<LiveSource>(symbols));
    }
    // Room taken once: a column that outgrows it is moved on the GUI thread.
    for (int c = 0; c < metadata.cpus; ++c) {
        store_->cpuEventsMutable(c).reserve(liveEventRoom());
    }
    const tracedat::TypeTable types = setUp(*staging_, tep_, metadata);
    for (const EventTypeInfo& type : staging_->types()) {
        hasIpi_ = hasIpi_ || type.kind == EventKind::IpiEntry;
    }
    decoder_ = std::make_unique<tracedat::PageDecoder>(tep_, types, *staging_, metadata.pageSize);
    const auto cpus = static_cast<std::size_t>(metadata.cpus);
    missed_.assign(cpus, {});
    offsets_.assign(cpus, {});
    streamBytes_.assign(cpus, 0);
    worker_ = std::thread([this] { run(); });
    return true;
}

void LiveDecoder::pages(int cpu, const void* data, std::size_t bytes) {
    if (!decoder_ || cpu < 0 || static_cast<std::size_t>(cpu) >= offsets_.size()) {
        return;
    }
    const auto* p = static_cast<const unsigned char*>(data);
    Chunk chunk{cpu, std::vector<unsigned char>(p, p + bytes)};
    {
        std::lock_guard lock(queueMutex_);
        stats_.pagesQueued += bytes / decoder_->pageSize();
        stats_.queuedBytes += bytes;
        queue_.push_back(std::move(chunk));
    }
    queueCv_.notify_one();
}

void LiveDecoder::run() {
    std::unique_lock lock(queueMutex_);
    for (;;) {
        queueCv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (stop_) {
            return;
        }
        Chunk chunk = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
        lock.unlock();
        waitWhileApplyWanted();
        decode(chunk);
        lock.lock();
        busy_ = false;
        stats_.queuedBytes -= chunk.bytes.size();
        stats_.pagesDecoded += chunk.bytes.size() / decoder_->pageSize();
        idleCv_.notify_all();
    }
}

void LiveDecoder::decode(Chunk& chunk) {
    std::lock_guard lock(stagingMutex_);
    const auto c = static_cast<std::size_t>(chunk.cpu);
    if (chunk.cpu != lastCpu_) {
        decoder_->startStream(); // see InternCache::startStream
        lastCpu_ = chunk.cpu;
    }
    tracedat::PageSink sink{&staging_->cpuEventsMutable(chunk.cpu), &missed_[c], &offsets_[c]};
    const tracedat::PageBatchResult r = decoder_->decodePages(
        chunk.cpu, chunk.bytes.data(), chunk.bytes.size(), streamBytes_[c], sink);
    streamBytes_[c] += chunk.bytes.size();
    internDerivedKeys(chunk.cpu, sink.events->size() - static_cast<std::size_t>(r.events));
    if (r.damagedPages != 0) {
        std::lock_guard q(queueMutex_);
        stats_.damagedPages += r.damagedPages;
    }
}

// What EventStore::finish() interns for a loaded capture, done as events
// come (in the staging pools, so the ids still agree): each work function's
// address (the workqueue span key) and each arm64 IPI reason's hard-IRQ key.
void LiveDecoder::internDerivedKeys(int cpu, std::size_t firstNew) {
    const auto& works = staging_->works.all();
    for (; worksSeen_ < works.size(); ++worksSeen_) {
        if (works[worksSeen_].function != 0) {
            staging_->addresses.intern(works[worksSeen_].function);
        }
    }
    if (!hasIpi_) {
        return;
    }
    const CpuEvents& events = staging_->cpu(cpu);
    for (std::size_t i = firstNew; i < events.size(); ++i) {
        if (staging_->type(events.type(i)).kind == EventKind::IpiEntry) {
            staging_->irqActions.intern({-1, events.arg(i)});
        }
    }
}

void LiveDecoder::drain() {
    std::unique_lock lock(queueMutex_);
    idleCv_.wait(lock,
                 [this] { return stop_ || !worker_.joinable() || (queue_.empty() && !busy_); });
}

DecoderStats LiveDecoder::stats() const {
    std::lock_guard lock(queueMutex_);
    return stats_;
}

// The pools only grow, in the order the worker interned: their new entries
// are interned into the live store's pools in that same order.
void LiveDecoder::syncPools() {
    EventStore& to = *store_;
    const EventStore& from = *staging_;
    for (std::size_t i = to.strings.size(); i < from.strings.size(); ++i) {
        to.strings.intern(from.strings.get(static_cast<StringId>(i)));
    }
    for (std::size_t i = to.addresses.size(); i < from.addresses.size(); ++i) {
        to.addresses.intern(from.addresses.get(static_cast<AddressId>(i)));
    }
    for (std::size_t i = to.irqActions.size(); i < from.irqActions.size(); ++i) {
        to.irqActions.intern(from.irqActions.get(static_cast<std::uint32_t>(i)));
    }
    for (std::size_t i = to.works.size(); i < from.works.size(); ++i) {
        to.works.intern(from.works.get(static_cast<std::uint32_t>(i)));
    }
    for (std::size_t i = to.stacks.size(); i < from.stacks.size(); ++i) {
        to.stacks.intern(from.stacks.get(static_cast<StackId>(i)));
    }
    const auto notes = staging_->comms.takeAll();
    for (const CommTable::Note& n : notes) {
        to.comms.note(n.pid, n.ts, n.comm);
    }
    if (!notes.empty()) {
        to.comms.finish(); // sorted histories for comm(pid, ts)
    }
}

// The consumer must never wait behind the worker (a worker descheduled on
// a loaded machine while it holds the staging could stall the GUI for a
// long time): when the staging is busy, apply() returns at once and asks the
// worker to pause before its next chunk, so the next call gets it.
void LiveDecoder::waitWhileApplyWanted() {
    if (!applyWanted_.load()) {
        return;
    }
    std::unique_lock lock(applyMutex_);
    applyCv_.wait_for(lock, std::chrono::milliseconds(500),
                      [this] { return !applyWanted_.load(); });
}

Applied LiveDecoder::apply() {
    Applied out;
    if (!store_) {
        return out;
    }
    std::unique_lock lock(stagingMutex_, std::try_to_lock);
    if (!lock.owns_lock()) {
        applyWanted_ = true;
        return out;
    }
    struct Done { // the worker may go on, however this returns
        LiveDecoder* self;
        ~Done() {
            {
                std::lock_guard l(self->applyMutex_);
                self->applyWanted_ = false;
            }
            self->applyCv_.notify_all();
        }
    } done{this};
    syncPools();
    out.eventsPerCpu.assign(offsets_.size(), 0);
    for (int c = 0; c < static_cast<int>(offsets_.size()); ++c) {
        CpuEvents& staged = staging_->cpuEventsMutable(c);
        CpuEvents& column = store_->cpuEventsMutable(c);
        const auto base = static_cast<std::uint32_t>(column.size());
        for (MissedEvents mark : missed_[c]) {
            mark.eventIndex += base;
            store_->addMissed(mark);
            ++out.missedMarks;
        }
        missed_[c].clear();
        column.appendAll(staged, offsets_[c]);
        out.eventsPerCpu[c] = staged.size();
        out.events += staged.size();
        staged.clear();
        offsets_[c].clear();
    }
    return out;
}

} // namespace irqlens::live
