#include "core/record/tracefs_shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <tracefs.h>
#include <unistd.h>

struct irqlens_tfs_instance {
    struct tracefs_instance* tfs;
    char* dir;
};

struct irqlens_tfs_cpu {
    struct tracefs_cpu* tcpu;
    int fd;
};

const char* irqlens_tfs_tracing_dir(void) {
    return tracefs_tracing_dir();
}

irqlens_tfs_instance* irqlens_tfs_instance_create(const char* name) {
    struct tracefs_instance* tfs = tracefs_instance_create(name);
    if (!tfs)
        return NULL;
    irqlens_tfs_instance* instance = calloc(1, sizeof(*instance));
    if (!instance) {
        tracefs_instance_free(tfs);
        errno = ENOMEM;
        return NULL;
    }
    instance->tfs = tfs;
    instance->dir = tracefs_instance_get_dir(tfs);
    return instance;
}

void irqlens_tfs_instance_free(irqlens_tfs_instance* instance) {
    if (!instance)
        return;
    tracefs_put_tracing_file(instance->dir);
    tracefs_instance_free(instance->tfs);
    free(instance);
}

int irqlens_tfs_instance_destroy(irqlens_tfs_instance* instance) {
    int ret = tracefs_instance_destroy(instance->tfs);
    int saved = errno;
    irqlens_tfs_instance_free(instance);
    errno = saved;
    return ret;
}

const char* irqlens_tfs_instance_dir(irqlens_tfs_instance* instance) {
    return instance->dir;
}

int irqlens_tfs_instances_walk(int (*callback)(const char*, void*), void* data) {
    return tracefs_instances_walk(callback, data);
}

int irqlens_tfs_destroy_by_name(const char* name) {
    struct tracefs_instance* tfs = tracefs_instance_alloc(NULL, name);
    if (!tfs)
        return -1;
    int ret = tracefs_instance_destroy(tfs);
    int saved = errno;
    tracefs_instance_free(tfs);
    errno = saved;
    return ret;
}

int irqlens_tfs_set_buffer_kb(irqlens_tfs_instance* instance, size_t kb) {
    return tracefs_instance_set_buffer_size(instance->tfs, kb, -1);
}

int irqlens_tfs_enable_event(irqlens_tfs_instance* instance, const char* system,
                             const char* event) {
    return tracefs_event_enable(instance->tfs, system, event);
}

int irqlens_tfs_enable_stacktrace(irqlens_tfs_instance* instance) {
    return tracefs_option_enable(instance->tfs, TRACEFS_OPTION_STACKTRACE);
}

int irqlens_tfs_set_function_graph(irqlens_tfs_instance* instance) {
    return tracefs_tracer_set(instance->tfs, TRACEFS_TRACER_FUNCTION_GRAPH);
}

int irqlens_tfs_tracing_on(irqlens_tfs_instance* instance, bool on) {
    return on ? tracefs_trace_on(instance->tfs) : tracefs_trace_off(instance->tfs);
}

irqlens_tfs_cpu* irqlens_tfs_cpu_open(irqlens_tfs_instance* instance, int cpu, int subbuf_size) {
    char path[64];
    snprintf(path, sizeof(path), "per_cpu/cpu%d/trace_pipe_raw", cpu);
    char* file = tracefs_instance_get_file(instance->tfs, path);
    if (!file)
        return NULL;
    int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    int saved = errno;
    tracefs_put_tracing_file(file);
    if (fd < 0) {
        errno = saved;
        return NULL;
    }
    irqlens_tfs_cpu* reader = calloc(1, sizeof(*reader));
    if (reader)
        reader->tcpu = tracefs_cpu_alloc_fd(fd, subbuf_size, true);
    if (!reader || !reader->tcpu) {
        free(reader);
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    reader->fd = fd;
    return reader;
}

int irqlens_tfs_cpu_fd(irqlens_tfs_cpu* reader) {
    return reader->fd;
}

int irqlens_tfs_cpu_read(irqlens_tfs_cpu* reader, void* buffer) {
    int n = tracefs_cpu_buffered_read(reader->tcpu, buffer, true);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    return n;
}

int irqlens_tfs_cpu_flush(irqlens_tfs_cpu* reader, void* buffer) {
    int n = tracefs_cpu_flush(reader->tcpu, buffer);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    return n;
}

void irqlens_tfs_cpu_close(irqlens_tfs_cpu* reader) {
    if (!reader)
        return;
    tracefs_cpu_free_fd(reader->tcpu);
    close(reader->fd);
    free(reader);
}
