#include "core/record/remote_privilege.h"

#include <sstream>

namespace irqlens {

namespace {

std::string lastLine(const std::string& text) {
    std::istringstream lines(text);
    std::string line, last;
    while (std::getline(lines, line)) {
        if (!line.empty()) {
            last = line;
        }
    }
    return last;
}

bool runsAsRoot(SshConnection& ssh, std::string& err) {
    std::string out;
    return ssh.run("id -u", out, err, 30) == 0 && out == "0\n";
}

std::string sudoAdvice(const std::string& host, const std::string& user) {
    return "log in as root, or let " + user +
           " use sudo without a password (on the target, as root: echo '" + user +
           " ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/010_" + user +
           "-nopasswd), or record from the irqlens window or a terminal, where sudo's password "
           "is asked for (" +
           host + ")";
}

// sudo wants a password: ask for it (up to three times).
bool sudoWithPassword(SshConnection& ssh, const TargetLogin& login, std::string& error) {
    std::string err;
    for (int attempt = 0; attempt < 3; ++attempt) {
        PromptRequest request;
        request.kind = PromptRequest::Kind::SudoPassword;
        request.destination = ssh.name();
        request.abandoned = ssh.interruptFlag(); // Stop while the question is open
        request.text = (attempt ? "Sorry, try again.\n" : "") +
                       std::string("[sudo] password for ") + login.user + " on " + ssh.name() +
                       ": ";
        auto password = ssh.prompter()(request);
        if (!password) {
            error = ssh.name() + ": sudo needs " + login.user + "'s password, and none was given";
            return false;
        }
        if (password->find_first_of(std::string("\n\0", 2)) != std::string::npos) {
            error = ssh.name() + ": a password cannot contain a line break";
            return false;
        }
        ssh.setPrivilege(TargetPrivilege::SudoWithPassword, std::move(*password));
        if (runsAsRoot(ssh, err)) {
            return true;
        }
        if (err.find("incorrect password") == std::string::npos &&
            err.find("Sorry, try again") == std::string::npos) {
            break; // not a mistyped password: say what sudo said
        }
    }
    ssh.setPrivilege(TargetPrivilege::Root);
    const std::string said = lastLine(err);
    error = ssh.name() + ": logged in as " + login.user + " (not root), and sudo refused" +
            (said.empty() ? "" : " (" + said + ")") + "; " + sudoAdvice(ssh.name(), login.user);
    return false;
}

} // namespace

bool establishRoot(SshConnection& ssh, TargetLogin& login, std::string& error) {
    std::string out, err;
    if (ssh.runAsLogin("id -un; id -u", out, err, 30) != 0) {
        error = ssh.name() + ": cannot run commands after logging in (" + lastLine(err) + ")";
        return false;
    }
    std::istringstream words(out);
    std::string uid;
    words >> login.user >> uid;
    if (uid == "0") {
        login.privilege = TargetPrivilege::Root;
        ssh.setPrivilege(TargetPrivilege::Root);
        return true;
    }
    ssh.setPrivilege(TargetPrivilege::Sudo);
    if (runsAsRoot(ssh, err)) {
        login.privilege = TargetPrivilege::Sudo;
        return true;
    }
    ssh.setPrivilege(TargetPrivilege::Root);
    const bool wantsPassword = err.find("password is required") != std::string::npos;
    if (wantsPassword && ssh.prompter()) {
        if (!sudoWithPassword(ssh, login, error)) {
            return false;
        }
        login.privilege = TargetPrivilege::SudoWithPassword;
        return true;
    }
    const std::string said = lastLine(err);
    if (wantsPassword) {
        error = ssh.name() + ": logged in as " + login.user +
                " (not root), and `sudo -n` needs a password, which cannot be asked here (no "
                "terminal); " +
                sudoAdvice(ssh.name(), login.user);
    } else {
        error = ssh.name() + ": logged in as " + login.user + " (not root), and `sudo -n` failed" +
                (said.empty() ? "" : " (" + said + ")") + "; " + sudoAdvice(ssh.name(), login.user);
    }
    return false;
}

} // namespace irqlens
