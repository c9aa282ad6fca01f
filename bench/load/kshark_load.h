/* KernelShark's loader, timed (see kshark_load.c). */
#ifndef IRQLENS_BENCH_KSHARK_LOAD_H
#define IRQLENS_BENCH_KSHARK_LOAD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bench_kshark_result {
    double seconds; /* kshark_open + kshark_load_entries */
    long long entries;
    size_t bytes_per_entry; /* struct kshark_entry + its row pointer */
};

int bench_kshark_load(const char* path, struct bench_kshark_result* out);

#ifdef __cplusplus
}
#endif

#endif
