/* The libtracefs calls the local recorder needs, behind a C interface:
 * tracefs.h does not compile as C++ (implicit int-to-enum conversions). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The mounted tracefs directory, or NULL (libtracefs tries to mount it). */
const char* irqlens_tfs_tracing_dir(void);

typedef struct irqlens_tfs_instance irqlens_tfs_instance;
/* Creates (or opens, if it exists) the instance `name`; NULL with errno set. */
irqlens_tfs_instance* irqlens_tfs_instance_create(const char* name);
/* Removes the instance from tracefs and frees the handle; 0 or -1 with errno. */
int irqlens_tfs_instance_destroy(irqlens_tfs_instance* instance);
void irqlens_tfs_instance_free(irqlens_tfs_instance* instance);
/* Absolute path of the instance's directory (owned by the handle). */
const char* irqlens_tfs_instance_dir(irqlens_tfs_instance* instance);

/* Calls `callback` with each instance name; stops when it returns non-zero. */
int irqlens_tfs_instances_walk(int (*callback)(const char* name, void* data), void* data);
/* Destroys an instance known only by name (a stale one); 0 or -1 with errno. */
int irqlens_tfs_destroy_by_name(const char* name);

int irqlens_tfs_set_buffer_kb(irqlens_tfs_instance* instance, size_t kb);
int irqlens_tfs_enable_event(irqlens_tfs_instance* instance, const char* system, const char* event);
int irqlens_tfs_enable_stacktrace(irqlens_tfs_instance* instance);
int irqlens_tfs_set_function_graph(irqlens_tfs_instance* instance);
int irqlens_tfs_tracing_on(irqlens_tfs_instance* instance, bool on);

/* One CPU's trace_pipe_raw reader (tracefs_cpu_* over our own fd, so the
 * caller can poll() it with a timeout). */
typedef struct irqlens_tfs_cpu irqlens_tfs_cpu;
irqlens_tfs_cpu* irqlens_tfs_cpu_open(irqlens_tfs_instance* instance, int cpu, int subbuf_size);
int irqlens_tfs_cpu_fd(irqlens_tfs_cpu* reader);
/* Full sub-buffers only, never blocks: >0 bytes, 0 nothing, -1 error (errno). */
int irqlens_tfs_cpu_read(irqlens_tfs_cpu* reader, void* buffer);
/* What is left, partial sub-buffers included: >0 bytes, 0 when empty. */
int irqlens_tfs_cpu_flush(irqlens_tfs_cpu* reader, void* buffer);
void irqlens_tfs_cpu_close(irqlens_tfs_cpu* reader);

#ifdef __cplusplus
}
#endif
