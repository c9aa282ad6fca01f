#pragma once
#ifdef __cplusplus
extern "C" {
#endif
typedef void (*irqlens_record_callback)(const char* event, long long missed, void* data);
/* Calls `callback` for every record of the trace.dat at `path`; -1 if it cannot be opened. */
int irqlens_iterate_records(const char* path, irqlens_record_callback callback, void* data);
/* The per-CPU stats text stored in the file (malloc'd, free() it); NULL if none. */
char* irqlens_stored_cpustats(const char* path);
#ifdef __cplusplus
}
#endif
