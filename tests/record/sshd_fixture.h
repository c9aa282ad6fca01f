// A throwaway OpenSSH server on a loopback port for the remote-recording
// tests: its own host key, user key, authorized_keys and known_hosts, and a
// client config passed to the recorder through IRQLENS_SSH_CONFIG (host-key
// checking stays on: the throwaway known_hosts holds the host key).
#pragma once

#include "core/record/recorder.h"

#include <filesystem>
#include <string>
#include <sys/types.h>

namespace irqlens::test {

class LoopbackSshd {
public:
    // Starts sshd; empty error() on success.  `commandFilter` (sh text, may
    // be empty) runs before every command the server is asked to run, with
    // the command in $SSH_ORIGINAL_COMMAND: a test injects faults with it
    // (e.g. `case "$SSH_ORIGINAL_COMMAND" in "echo 1 > "*) exit 1;; esac`).
    explicit LoopbackSshd(const std::filesystem::path& dir, const std::string& commandFilter = "");
    ~LoopbackSshd();
    const std::string& error() const { return error_; }
    int port() const { return port_; }
    std::string destination(const std::string& user = "root") const {
        return user + "@127.0.0.1:" + std::to_string(port_);
    }
    // Client configs: working, with a key the server does not accept, with
    // an empty known_hosts (unknownHostKnownHosts(), written by ssh when a
    // key is accepted), with another key known for this server (a changed
    // key), and without any key (password logins).
    std::string goodConfig() const { return (dir_ / "ssh_config").string(); }
    std::string wrongKeyConfig() const { return (dir_ / "ssh_config_wrongkey").string(); }
    std::string unknownHostConfig() const { return (dir_ / "ssh_config_nohostkey").string(); }
    std::string unknownHostKnownHosts() const { return (dir_ / "empty_known_hosts").string(); }
    std::string changedHostConfig() const { return (dir_ / "ssh_config_changedkey").string(); }
    std::string passwordConfig() const { return (dir_ / "ssh_config_password").string(); }
    // "SHA256:..." of the server's host key, as ssh shows it.
    std::string hostKeyFingerprint() const;
    // Kills the server's session processes (children of the listener),
    // which drops every open connection.
    void dropConnections();
    void stop();
    // Whether pid is alive and one of this server's sessions (a descendant
    // of the listener).
    bool ownsProcess(pid_t pid) const;

private:
    bool setUp(const std::string& commandFilter);
    void writeClientConfigs();
    std::filesystem::path dir_;
    pid_t pid_ = -1;
    int port_ = 0;
    std::string error_;
};

int freeLoopbackPort();

// Records `seconds` from `destination` (user@host of a loopback sshd) into
// the trace.dat `path` while the tests' load generator runs in `loadDir`:
// the finished recording's result, or ok=false with the reason when the
// recorder could not be made or started.
RecordResult recordOverSsh(const std::string& destination, double seconds, const std::string& path,
                           const std::filesystem::path& loadDir);

} // namespace irqlens::test
