// Becoming root on the target for tracefs: the login itself when it is
// root, else sudo -- without a password when sudo allows it (Raspberry Pi
// OS's first user), else with the password the prompter asks for.
#pragma once

#include "core/record/ssh_connection.h"

#include <string>

namespace irqlens {

struct TargetLogin {
    std::string user; // the login user's name on the target ("pi")
    TargetPrivilege privilege = TargetPrivilege::Root;
};

// Finds how `ssh` (open) runs commands as root and sets it on the
// connection.  False with a one-line `error` that says what failed and how
// to fix it.  A password is asked at most three times (a wrong one again).
bool establishRoot(SshConnection& ssh, TargetLogin& login, std::string& error);

} // namespace irqlens
