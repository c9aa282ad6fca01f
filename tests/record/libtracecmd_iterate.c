/* libtracecmd's headers are C only (tracefs.h does not compile as C++), so
 * the test's libtracecmd reader is this small C file. */
#include "tests/record/libtracecmd_iterate.h"

#include <stdlib.h>
#include <string.h>
#include <trace-cmd/trace-cmd.h>

struct context {
    irqlens_record_callback callback;
    void* data;
};

static int on_record(struct tracecmd_input* handle, struct tep_record* record, int cpu,
                     void* data) {
    struct context* ctx = data;
    struct tep_event* event = tep_find_event_by_record(tracecmd_get_tep(handle), record);
    (void)cpu;
    ctx->callback(event ? event->name : "?", record->missed_events, ctx->data);
    return 0;
}

int irqlens_iterate_records(const char* path, irqlens_record_callback callback, void* data) {
    struct context ctx = {callback, data};
    struct tracecmd_input* handle = tracecmd_open(path, 0);
    if (!handle)
        return -1;
    tracecmd_iterate_events(handle, NULL, 0, on_record, &ctx);
    tracecmd_close(handle);
    return 0;
}

/* Exported by libtracecmd, but declared only in its private header. */
const char* tracecmd_get_cpustats(struct tracecmd_input* handle);

char* irqlens_stored_cpustats(const char* path) {
    struct tracecmd_input* handle = tracecmd_open(path, 0);
    const char* stats;
    char* copy = NULL;
    if (!handle)
        return NULL;
    stats = tracecmd_get_cpustats(handle);
    if (stats)
        copy = strdup(stats);
    tracecmd_close(handle);
    return copy;
}
