// One multiplexed connection to a target through the system `ssh` client
// (ControlMaster, control socket in a private temp dir), so ~/.ssh/config,
// the agent, keys and known_hosts apply.  Host-key checking is never
// disabled here.  IRQLENS_SSH_CONFIG=FILE (tests) makes ssh use `-F FILE`.
//
// Without a prompter every ssh runs with BatchMode=yes.  With one (GUI, CLI
// on a terminal) the master connection asks it for passwords and unknown
// host keys through SSH_ASKPASS (ssh_askpass.h), with
// StrictHostKeyChecking=ask: a key is accepted only when the user says yes to
// ssh's own question, a changed key is always refused by ssh.  Every other
// ssh shares the master's session (ControlMaster=no, BatchMode=yes).
//
// The master session runs a "holder" on the target (`exec cat >/dev/null`
// fed by our pipe): its pid names our tracefs instance, and it ends when we
// end (even killed), which lets the readers and the next run notice.
#pragma once

#include "core/record/remote_invocation.h"
#include "core/record/shell_quote.h"
#include "core/record/ssh_askpass.h"

#include <atomic>
#include <memory>
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

    // Before open(): who answers ssh's questions (none: BatchMode=yes).
    void setPrompter(Prompter prompter) { prompter_ = std::move(prompter); }
    const Prompter& prompter() const { return prompter_; }
    // While *flag is true, open() and run() give up at once (-1 / false).
    // Set and cleared by the thread that runs the commands.
    void setInterrupt(const std::atomic<bool>* flag) { interrupt_ = flag; }
    const std::atomic<bool>* interruptFlag() const { return interrupt_; }

    // Connects; on failure `error` says unreachable / authentication / host key.
    // `timeoutSeconds` does not count time spent waiting for the user.
    bool open(std::string& error, int timeoutSeconds = 20);
    // How run() and stream() become root on the target (default: as the login).
    void setPrivilege(TargetPrivilege privilege, std::string sudoPassword = {});
    TargetPrivilege privilege() const { return privilege_; }
    // Runs `script` (sh) as root on the target (see setPrivilege).  Returns
    // its exit status (255: ssh failed, -1: timed out / interrupted).
    int run(const std::string& script, std::string& out, std::string& err, int timeoutSeconds = 60);
    // Runs `script` as the login user.
    int runAsLogin(const std::string& script, std::string& out, std::string& err,
                   int timeoutSeconds = 60);
    // Starts `script` as root and returns its stdout to read (trace_pipe_raw).
    SshStream stream(const std::string& script);
    void close();

    bool isOpen() const { return masterPid_ > 0; }
    const std::string& holderPid() const { return holderPid_; }
    std::string name() const { return dest_.display(); }

private:
    int execute(const RemoteInvocation& invocation, std::string& out, std::string& err,
                int timeoutSeconds);
    bool waitForHolder(int fd, int timeoutSeconds, std::string& line);
    bool interrupted() const { return interrupt_ && interrupt_->load(); }
    std::string classify(const std::string& stderrText) const;

    SshDestination dest_;
    Prompter prompter_;
    std::unique_ptr<AskpassServer> askpass_;
    const std::atomic<bool>* interrupt_ = nullptr;
    std::string dir_;    // private temp dir (0700) holding the control socket
    std::string socket_; // dir_/cm
    pid_t masterPid_ = -1;
    int holderStdin_ = -1;
    std::string holderPid_;
    TargetPrivilege privilege_ = TargetPrivilege::Root;
    std::string sudoPassword_;
};

// The ssh command line (without the remote command) for the master
// connection or for a command sharing it.  Exposed for tests.
std::vector<std::string> sshArguments(const SshDestination& destination, const std::string& socket,
                                      bool master, bool interactive);

// Waits up to `timeoutMs` for `pid` to exit; returns its exit status or -1.
int waitChild(pid_t pid, int timeoutMs);

} // namespace irqlens
