#include "core/record/remote_check.h"

#include "core/record/metadata_collector.h"
#include "core/record/remote_files.h"
#include "core/record/remote_privilege.h"
#include "core/record/remote_setup_script.h"

#include <sstream>

namespace irqlens {

namespace {

void add(TargetCheck& check, std::string label, std::string value, bool ok = true) {
    check.rows.push_back({std::move(label), std::move(value), ok});
}

bool unreachable(const std::string& error) {
    return error.find("unreachable") != std::string::npos ||
           error.find("unknown host") != std::string::npos ||
           error.find("no answer") != std::string::npos;
}

// "aarch64, 64-bit kernel, 32-bit programs"
std::string architecture(const std::string& machine, int kernelBits, int userlandBits) {
    std::string text = machine.empty() ? "unknown" : machine;
    if (kernelBits) {
        text += ", " + std::to_string(kernelBits) + "-bit kernel";
    }
    if (userlandBits) {
        text += ", " + std::to_string(userlandBits) + "-bit programs";
    }
    return text;
}

// The kernel's long size, from header_page's commit field.
int kernelBits(SshConnection& ssh, const RemoteProbe& probe) {
    RemoteFiles files(ssh, probe);
    auto header = files.readFiles({"events/header_page"});
    std::uint32_t pageSize = 0;
    int longSize = 0;
    if (!header.count("events/header_page") ||
        !parseHeaderPage(header["events/header_page"], pageSize, longSize)) {
        return 0;
    }
    return longSize * 8;
}

void describeTarget(TargetCheck& check, SshConnection& ssh, const RemoteProbe& probe, int status) {
    std::istringstream uname(probe.system.uname);
    std::string system, host, release, machine;
    uname >> system >> host >> release >> machine;
    const bool tracefs = status == 0 && !probe.tracingDir.empty();
    add(check, "tracefs",
        tracefs ? probe.tracingDir + (probe.writable ? "" : " (not writable)")
                : "not mounted, and mounting it failed",
        tracefs && probe.writable);
    add(check, "kernel", release.empty() ? "unknown" : system + " " + release);
    add(check, "architecture",
        architecture(machine, tracefs ? kernelBits(ssh, probe) : 0, probe.userlandBits));
    add(check, "board", probe.system.model.empty() ? "unknown" : probe.system.model);
    add(check, "irqlens module",
        probe.moduleMode.empty() ? "not loaded"
                                 : "irqlens_gpio_irq loaded, mode=" + probe.moduleMode);
    if (!tracefs) {
        check.error = ssh.name() + ": no tracefs (not mounted, and mounting it failed)";
    } else if (!probe.writable) {
        check.error = ssh.name() + ": no permission on " + probe.tracingDir + " even as root";
    }
}

} // namespace

TargetCheck checkRemoteTarget(const std::string& destination, const Prompter& prompter,
                              const std::atomic<bool>* interrupt) {
    TargetCheck check;
    auto parsed = parseSshDestination(destination, check.error);
    if (!parsed) {
        add(check, "destination", destination, false);
        return check;
    }
    SshConnection ssh(*parsed);
    ssh.setPrompter(prompter);
    ssh.setInterrupt(interrupt);
    if (!ssh.open(check.error)) {
        add(check, "reachable", unreachable(check.error) ? "no" : "yes", !unreachable(check.error));
        if (!unreachable(check.error)) {
            add(check, "logged in", "no", false);
        }
        return check;
    }
    add(check, "reachable", "yes (" + ssh.name() + ")");
    TargetLogin login;
    const bool root = establishRoot(ssh, login, check.error);
    add(check, "logged in as", login.user.empty() ? "?" : login.user);
    add(check, "root", root ? privilegeName(login.privilege) : "no", root);
    if (!root) {
        return check;
    }
    std::string out, err;
    const int status = ssh.run(probeScript(), out, err);
    describeTarget(check, ssh, parseProbe(out), status);
    return check;
}

std::string formatTargetCheck(const TargetCheck& check) {
    std::string text;
    for (const auto& row : check.rows) {
        std::string label = row.label + ":";
        label.resize(std::max<std::size_t>(label.size() + 1, 17), ' ');
        text += (row.ok ? "  " : "! ") + label + row.value + "\n";
    }
    return text;
}

} // namespace irqlens
