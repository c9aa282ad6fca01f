// The part of libtracecmd 3.1.6 irqlens uses, declared here because
// <trace-cmd/trace-cmd.h> cannot be compiled as C++: it includes
// <tracefs/tracefs.h>, whose inline functions pass an int where C++ wants an
// enum.  The signatures are those of trace-cmd.h (public) and of the
// library's private header (tracecmd_get_trace_clock and the others in the
// second block: exported by libtracecmd.so.1 but left out of the public
// header).  Keep them in step with the libtracecmd-dev package.
#pragma once

#include <sched.h>
#include <sys/types.h>
#include <traceevent/event-parse.h>

extern "C" {
struct tracecmd_input;

enum { TRACECMD_FL_LOAD_NO_PLUGINS = 1 << 0, TRACECMD_FL_LOAD_NO_SYSTEM_PLUGINS = 1 << 1 };

struct tracecmd_input* tracecmd_open(const char* file, int flags);
void tracecmd_close(struct tracecmd_input* handle);
struct tep_record* tracecmd_read_data(struct tracecmd_input* handle, int cpu);
struct tep_record* tracecmd_read_at(struct tracecmd_input* handle, unsigned long long offset,
                                    int* cpu);
void tracecmd_free_record(struct tep_record* record);
struct tep_handle* tracecmd_get_tep(struct tracecmd_input* handle);
int tracecmd_iterate_events(struct tracecmd_input* handle, cpu_set_t* cpus, int cpu_size,
                            int (*callback)(struct tracecmd_input* handle, struct tep_record*, int,
                                            void*),
                            void* callback_data);
void tracecmd_set_loglevel(enum tep_loglevel level);

// Exported, but only in the private header.
const char* tracecmd_get_trace_clock(struct tracecmd_input* handle);
const char* tracecmd_get_cpustats(struct tracecmd_input* handle);
const char* tracecmd_get_uname(struct tracecmd_input* handle);
off_t tracecmd_get_cpu_file_size(struct tracecmd_input* handle, int cpu);
int tracecmd_cpus(struct tracecmd_input* handle);
int tracecmd_page_size(struct tracecmd_input* handle);
struct tep_record* tracecmd_peek_data(struct tracecmd_input* handle, int cpu);
}
