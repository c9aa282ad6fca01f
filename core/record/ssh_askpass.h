// Questions ssh (and sudo on the target) ask while connecting, answered by
// the front end: a dialog in the GUI, the terminal in the CLI.
//
// ssh runs with SSH_ASKPASS_REQUIRE=force and SSH_ASKPASS pointing at the
// running program (irqlens or irqlens-cli), started again by ssh in "askpass
// mode": runAskpassIfRequested() sends ssh's prompt over a Unix socket in
// our private 0700 directory to the AskpassServer of the recording process,
// and prints the answer for ssh.  A password thus travels only through that
// socket and ssh's pipe: never a file, a command line or the environment.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>

namespace irqlens {

struct PromptRequest {
    enum class Kind {
        Password,     // ssh login password or key passphrase: not echoed
        HostKey,      // unknown host key: answer "yes" to accept it, nothing to refuse
        SudoPassword, // sudo on the target wants the login user's password
        Other,        // anything else ssh asks (echoed)
    };
    Kind kind = Kind::Other;
    std::string destination; // "pi@raspberrypi.local"
    std::string text;        // ssh's own prompt text
    std::string keyType;     // HostKey: "ED25519"
    std::string fingerprint; // HostKey: "SHA256:..."
    // Set when the answer is no longer wanted (the recording was stopped):
    // a prompter that waits for a user should then give up (return nullopt).
    const std::atomic<bool>* abandoned = nullptr;
};

// Returns the answer, or nullopt when the user cancelled.  Called from a
// thread of the recorder, never from the front end's own thread.
using Prompter = std::function<std::optional<std::string>(const PromptRequest&)>;

// Recognises what ssh asks from its prompt text.
PromptRequest classifySshPrompt(const std::string& text, const std::string& destination);

// Listens on `socketPath` (in a private directory) and answers every
// askpass client through `prompter`, one at a time, in its own thread.
class AskpassServer {
public:
    AskpassServer() = default;
    ~AskpassServer() { stop(); }
    AskpassServer(const AskpassServer&) = delete;
    AskpassServer& operator=(const AskpassServer&) = delete;

    bool start(const std::string& socketPath, const std::string& destination, Prompter prompter,
               std::string& error);
    void stop();
    // Time spent waiting for the user so far (a connection deadline pauses meanwhile).
    std::chrono::steady_clock::duration timeWithUser() const;

private:
    void serve();
    void answer(int client);

    int listener_ = -1;
    std::string destination_;
    Prompter prompter_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<long long> userNanoseconds_{0};
    std::atomic<long long> promptSince_{0}; // steady clock ns, 0: no prompt open
};

// The program ssh should run as its askpass: $IRQLENS_ASKPASS_PROGRAM, else
// this very executable (which must call runAskpassIfRequested first thing).
std::string askpassProgram();

// The environment variable naming the socket in ssh's environment.
constexpr const char* kAskpassSocketVariable = "IRQLENS_ASKPASS_SOCKET";

// In main(), before anything else: when started by ssh as its askpass
// program, relays the prompt and returns the exit status; else nullopt.
std::optional<int> runAskpassIfRequested(int argc, char** argv);

} // namespace irqlens
