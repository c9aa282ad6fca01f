// ssh's and sudo's questions (passwords, an unknown host key) asked on the
// terminal, for `irqlens-cli record --remote` run from one.
#pragma once

#include "core/record/ssh_askpass.h"

#include <atomic>

namespace irqlens::cli {

// A prompter reading /dev/tty (passwords without echo) when stdin is a
// terminal; empty (nothing can be asked: ssh's BatchMode, `sudo -n` only)
// otherwise.  The question is cancelled when *stop becomes true (Ctrl-C)
// or the recorder abandons it.
Prompter terminalPrompter(const std::atomic<bool>* stop);

} // namespace irqlens::cli
