#include "core/record/remote_invocation.h"

#include "core/record/shell_quote.h"

namespace irqlens {

namespace {
// Fixed text: the login shell reads the whole script from stdin, then runs
// it (with stdin at EOF).
constexpr const char* kScriptFromStdin = "\"$(cat)\" irqlens-script";
} // namespace

RemoteInvocation loginInvocation(const std::string& script) {
    if (script.size() <= kLongCommandBytes) {
        return {script, {}};
    }
    return {std::string("exec sh -c ") + kScriptFromStdin, script};
}

RemoteInvocation rootInvocation(const std::string& script, TargetPrivilege privilege,
                                const std::string& sudoPassword) {
    switch (privilege) {
    case TargetPrivilege::Root:
        return loginInvocation(script);
    case TargetPrivilege::Sudo: {
        std::string line = "exec sudo -n -- sh -c " + shellQuote(script) + " irqlens-script";
        if (line.size() <= kLongCommandBytes) {
            return {line, {}};
        }
        return {std::string("exec sudo -n -- sh -c ") + kScriptFromStdin, script};
    }
    case TargetPrivilege::SudoWithPassword:
        // `read` and `printf` are shell builtins: the password stays in the
        // shell's memory and the pipe.  -k: never a cached credential, so
        // sudo always reads the line meant for it.
        return {"IFS= read -r p; s=$(cat); printf '%s\\n' \"$p\" | "
                "sudo -S -k -p '' -- sh -c \"$s\" irqlens-script",
                sudoPassword + "\n" + script};
    }
    return {script, {}};
}

const char* privilegeName(TargetPrivilege privilege) {
    switch (privilege) {
    case TargetPrivilege::Root:
        return "root";
    case TargetPrivilege::Sudo:
        return "sudo (no password)";
    case TargetPrivilege::SudoWithPassword:
        return "sudo (password)";
    }
    return "?";
}

} // namespace irqlens
