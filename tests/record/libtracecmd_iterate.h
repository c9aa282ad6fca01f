#pragma once
#ifdef __cplusplus
extern "C" {
#endif
typedef void (*irqlens_record_callback)(const char* event, long long missed, void* data);
/* Calls `callback` for every record of the trace.dat at `path`; -1 if it cannot be opened. */
int irqlens_iterate_records(const char* path, irqlens_record_callback callback, void* data);
#ifdef __cplusplus
}
#endif
