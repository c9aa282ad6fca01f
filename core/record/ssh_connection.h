// One multiplexed connection to a target through the system `ssh` client
// (ControlMaster, control socket in a private temp dir), so ~/.ssh/config,
// the agent, keys and known_hosts apply.  Host-key checking is never
// disabled here.  IRQLENS_SSH_CONFIG=FILE (tests) makes ssh use `-F FILE`.
//
// The master session runs a "holder" on the target (`exec cat >/dev/null`
// fed by our pipe): its pid names our tracefs instance, and it ends when we
// end (even killed), which lets the next run detect a stale instance.
#pragma once

#include "core/record/shell_quote.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace irqlens {

struct SshStream {
    pid_t pid = -1; // the local ssh client
    int fd = -1;    // its stdout
};

class SshConnection {
public:
    explicit SshConnection(SshDestination destination) : dest_(std::move(destination)) {}
    ~SshConnection() { close(); }
    SshConnection(const SshConnection&) = delete;
    SshConnection& operator=(const SshConnection&) = delete;

    // Connects; on failure `error` says unreachable / authentication / host key.
    bool open(std::string& error, int timeoutSeconds = 20);
    // Commands longer than this reach the target's shell through stdin.
    static constexpr std::size_t kLongCommandBytes = 4096;
    // Runs `command` (a shell command line for the target) over the master.
    // Returns its exit status (255: ssh failed, -1: timed out / not started).
    int run(const std::string& command, std::string& out, std::string& err,
            int timeoutSeconds = 60);
    // Starts `command` and returns its stdout to read (for trace_pipe_raw).
    SshStream stream(const std::string& command);
    void close();

    bool isOpen() const { return masterPid_ > 0; }
    const std::string& holderPid() const { return holderPid_; }
    std::string name() const { return dest_.display(); }

private:
    std::vector<std::string> sshArgs(bool master) const;
    std::string classify(const std::string& stderrText) const;

    SshDestination dest_;
    std::string dir_;    // private temp dir (0700) holding the control socket
    std::string socket_; // dir_/cm
    pid_t masterPid_ = -1;
    int holderStdin_ = -1;
    std::string holderPid_;
};

// Waits up to `timeoutMs` for `pid` to exit; returns its exit status or -1.
int waitChild(pid_t pid, int timeoutMs);

} // namespace irqlens
