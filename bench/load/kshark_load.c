/* KernelShark's loader (libkshark) on a trace.dat, timed for the load
 * benchmark.  C because libkshark's headers pull in tracefs.h, which does
 * not compile as C++. */
#include "bench/load/kshark_load.h"

#include <libkshark.h>
#include <stdlib.h>
#include <time.h>

static double now_seconds(void) {
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int bench_kshark_load(const char* path, struct bench_kshark_result* out) {
    struct kshark_context* ctx = NULL;
    struct kshark_entry** rows = NULL;
    double start;
    ssize_t n;
    ssize_t i;
    int sd;

    if (!kshark_instance(&ctx))
        return -1;
    start = now_seconds();
    sd = kshark_open(ctx, path);
    if (sd < 0) {
        kshark_free(ctx);
        return -1;
    }
    n = kshark_load_entries(ctx, sd, &rows);
    out->seconds = now_seconds() - start;
    out->entries = n;
    /* Each entry is its own allocation plus one pointer in the row array. */
    out->bytes_per_entry = sizeof(struct kshark_entry) + sizeof(struct kshark_entry*);
    for (i = 0; i < n; ++i)
        free(rows[i]);
    free(rows);
    kshark_close(ctx, sd);
    kshark_free(ctx);
    return n < 0 ? -1 : 0;
}
