#include "parsers/tracedat/buffer_loader.h"

#include "parsers/tracedat/libtracecmd.h"

#include <algorithm>

extern "C" {
// Exported by libtracecmd.so.1, declared only in its private header.
int tracecmd_buffer_instances(struct tracecmd_input* handle);
const char* tracecmd_buffer_instance_name(struct tracecmd_input* handle, int indx);
struct tracecmd_input* tracecmd_buffer_instance_handle(struct tracecmd_input* handle, int indx);
}

namespace irqlens::tracedat {

namespace {

// One CPU of a buffer into its column, drop marks included.
void loadColumn(tracecmd_input* handle, int cpu, int column, EventDecoder& decoder,
                EventStore& store) {
    CpuEvents& events = store.cpuEventsMutable(column);
    decoder.cache().startStream();
    while (tep_record* rec = tracecmd_read_data(handle, cpu)) {
        if (rec->missed_events != 0) {
            MissedEvents mark;
            mark.cpu = static_cast<std::uint16_t>(column);
            mark.ts = static_cast<std::int64_t>(rec->ts);
            mark.count = rec->missed_events > 0 ? rec->missed_events : -1;
            mark.eventIndex = static_cast<std::uint32_t>(events.size());
            store.addMissed(mark);
        }
        events.append(decoder.decode(*rec), rec->offset);
        tracecmd_free_record(rec);
    }
}

} // namespace

ExtraBuffersResult loadExtraBuffers(tracecmd_input* top, const TypeTable& types,
                                    EventStore& store) {
    ExtraBuffersResult result;
    const int count = tracecmd_buffer_instances(top);
    for (int i = 0; i < count; ++i) {
        const char* nameText = tracecmd_buffer_instance_name(top, i);
        const std::string name = nameText ? nameText : "buffer " + std::to_string(i);
        tracecmd_input* handle = tracecmd_buffer_instance_handle(top, i);
        if (!handle) {
            result.warnings.push_back("buffer " + name +
                                      ": libtracecmd cannot read it; its events are missing");
            continue;
        }
        const int cpus = std::max(tracecmd_cpus(handle), 0);
        const int first = store.cpuCount();
        store.setCpuCount(first + cpus);
        EventDecoder decoder(tracecmd_get_tep(handle), types, store);
        for (int cpu = 0; cpu < cpus; ++cpu) {
            loadColumn(handle, cpu, first + cpu, decoder, store);
        }
        const auto pids = decoder.cache().seenPids();
        result.seenPids.insert(result.seenPids.end(), pids.begin(), pids.end());
        tracecmd_close(handle);
        store.info().buffers.push_back({name, first, cpus});
        result.columns.push_back({i, first, cpus});
    }
    return result;
}

} // namespace irqlens::tracedat
