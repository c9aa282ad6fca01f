// Recording a remote machine (a Raspberry Pi ...) over ssh, with nothing
// installed on it: shell commands set up an instance of its tracefs, one
// `cat` per CPU streams trace_pipe_raw back over the multiplexed connection,
// and the trace.dat is written here with the TARGET's byte order, long size
// and page size.
#pragma once

#include "core/record/recorder.h"

#include <memory>
#include <string>

namespace irqlens {

// `destination` is "[USER@]HOST[:PORT]"; nullptr with `error` when malformed.
std::unique_ptr<Recorder> makeRemoteRecorder(const RecordOptions& options,
                                             const std::string& destination, std::string& error);

} // namespace irqlens
