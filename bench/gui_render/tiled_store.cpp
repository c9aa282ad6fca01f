#include "tiled_store.h"

namespace irqlens::bench {

std::unique_ptr<EventStore> tiledStore(const EventStore& src, int copies) {
    auto out = std::make_unique<EventStore>();
    out->setCpuCount(src.cpuCount());
    out->info() = src.info();
    for (const auto& t : src.types()) {
        out->addType(t);
    }
    // Re-intern the pools in id order so every `arg` keeps its meaning.
    for (std::size_t i = 1; i < src.strings.size(); ++i) {
        out->strings.intern(src.strings.get(static_cast<StringId>(i)));
    }
    for (std::size_t i = 1; i < src.addresses.size(); ++i) {
        out->addresses.intern(src.addresses.get(static_cast<AddressId>(i)));
    }
    for (const auto& a : src.irqActions.all()) {
        out->irqActions.intern(a);
    }
    for (const auto& w : src.works.all()) {
        out->works.intern(w);
    }
    for (std::int32_t pid : src.comms.pids()) {
        out->comms.noteInitial(pid, src.comms.latest(pid));
    }
    const std::int64_t period = src.lastTs() - src.firstTs() + 1'000'000;
    for (int c = 0; c < src.cpuCount(); ++c) {
        const CpuEvents& in = src.cpu(c);
        CpuEvents& col = out->cpuEventsMutable(c);
        col.reserve(in.size() * static_cast<std::size_t>(copies));
        for (int k = 0; k < copies; ++k) {
            for (std::size_t i = 0; i < in.size(); ++i) {
                EventFields e = in.at(i);
                e.ts += k * period;
                col.append(e, 0);
            }
        }
    }
    out->finish();
    return out;
}

} // namespace irqlens::bench
