// Recording a remote machine (a Raspberry Pi ...) over ssh, with nothing
// installed on it: shell commands set up an instance of its tracefs, one
// `cat` per CPU streams trace_pipe_raw back over the multiplexed connection,
// and the trace.dat is written here with the TARGET's byte order, long size
// and page size.
#pragma once

#include "core/record/recorder.h"
#include "core/record/ssh_askpass.h"

#include <memory>
#include <string>

namespace irqlens {

// `destination` is "[USER@]HOST[:PORT]"; nullptr with `error` when malformed.
// `prompter` answers ssh's and sudo's questions (passwords, an unknown host
// key); without one nothing is asked (ssh's BatchMode, `sudo -n` only).
std::unique_ptr<Recorder> makeRemoteRecorder(const RecordOptions& options,
                                             const std::string& destination, std::string& error,
                                             Prompter prompter = {});

} // namespace irqlens
