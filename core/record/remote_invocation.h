// How a shell script reaches the target's shell over ssh: as the login user,
// or as root through sudo when the login is not root (Raspberry Pi OS logs in
// as a normal user with sudo).  Pure text building, unit-tested.
#pragma once

#include <cstddef>
#include <string>

namespace irqlens {

enum class TargetPrivilege {
    Root,             // logged in as root: scripts run as they are
    Sudo,             // `sudo -n`: passwordless sudo (Raspberry Pi OS's first user)
    SudoWithPassword, // `sudo -S`: the password goes to sudo's stdin, nowhere else
};

// What ssh gets: the command line its login shell runs, and the bytes to
// write to that command's stdin before closing it (may be empty).
struct RemoteInvocation {
    std::string commandLine;
    std::string input;
};

// Scripts longer than this reach the target through stdin: some servers
// limit a command line (dropbear drops commands over ~9000 bytes).
constexpr std::size_t kLongCommandBytes = 4096;

// `script` run by the login user's shell.
RemoteInvocation loginInvocation(const std::string& script);

// `script` run as root on the target.  With SudoWithPassword the command
// line reads the password from the first line of stdin into a shell variable
// and hands it to `sudo -S -k` through a pipe; the script follows on stdin.
// The password never appears on any command line (ps) or in a file.
RemoteInvocation rootInvocation(const std::string& script, TargetPrivilege privilege,
                                const std::string& sudoPassword);

// "root", "sudo (no password)", "sudo (password)".
const char* privilegeName(TargetPrivilege privilege);

} // namespace irqlens
