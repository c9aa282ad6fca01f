#include "tests/record/sshd_fixture.h"

#include "core/record/remote_recorder.h"
#include "core/record/tracedat_file_sink.h"
#include "tests/record/record_fixture.h"
#include "tests/record/report_counts.h"

#include <arpa/inet.h>
#include <chrono>
#include <fstream>
#include <netinet/in.h>
#include <signal.h>
#include <sstream>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace irqlens::test {

namespace fs = std::filesystem;

int freeLoopbackPort() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(s, reinterpret_cast<sockaddr*>(&addr), len);
    ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(s);
    return ntohs(addr.sin_port);
}

namespace {
void writeFile(const fs::path& path, const std::string& text) {
    std::ofstream(path) << text;
}
std::string readFile(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
std::string clientConfig(const fs::path& key, const fs::path& knownHosts, bool password = false) {
    return "Host *\n  IdentityFile " + key.string() +
           "\n  IdentitiesOnly yes\n"
           "  UserKnownHostsFile " +
           knownHosts.string() +
           "\n  GlobalKnownHostsFile /dev/null\n"
           "  StrictHostKeyChecking yes\n" +
           (password ? "  PubkeyAuthentication no\n  PasswordAuthentication yes\n"
                       "  KbdInteractiveAuthentication no\n"
                     : "  PasswordAuthentication no\n");
}
} // namespace

LoopbackSshd::LoopbackSshd(const fs::path& dir, const std::string& commandFilter)
    : dir_(dir / "sshd") {
    if (!fs::exists("/usr/sbin/sshd")) {
        error_ = "openssh-server is not installed (/usr/sbin/sshd)";
        return;
    }
    if (!setUp(commandFilter))
        stop();
}

bool LoopbackSshd::setUp(const std::string& commandFilter) {
    fs::create_directories(dir_);
    fs::create_directories("/run/sshd"); // sshd's privilege separation dir
    int status = 0;
    for (const char* key : {"host_key", "other_host_key", "user_key", "other_key"}) {
        runCommand("ssh-keygen -q -t ed25519 -N '' -f '" + (dir_ / key).string() + "' 2>&1",
                   &status);
        if (status != 0) {
            error_ = "ssh-keygen failed";
            return false;
        }
    }
    port_ = freeLoopbackPort();
    fs::copy_file(dir_ / "user_key.pub", dir_ / "authorized_keys");
    writeFile(dir_ / "sshd_config",
              "Port " + std::to_string(port_) +
                  "\nListenAddress 127.0.0.1\n"
                  "HostKey " +
                  (dir_ / "host_key").string() +
                  "\n"
                  "AuthorizedKeysFile " +
                  (dir_ / "authorized_keys").string() +
                  "\n"
                  "PidFile " +
                  (dir_ / "sshd.pid").string() +
                  "\n"
                  // Passwords for the throwaway test users (test_user.h), never root.
                  "PermitRootLogin prohibit-password\nPasswordAuthentication yes\n"
                  "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nMaxSessions 64\n" +
                  (commandFilter.empty()
                       ? std::string()
                       : "ForceCommand /bin/sh " + (dir_ / "filter.sh").string() + "\n"));
    writeFile(dir_ / "filter.sh", commandFilter + "\nexec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"\n");
    writeClientConfigs();
    pid_ = spawnProcess({"/usr/sbin/sshd", "-D", "-e", "-f", (dir_ / "sshd_config").string()},
                        (dir_ / "sshd.log").string());
    for (int i = 0; i < 100; ++i) { // until it listens
        const int s = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port_));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const bool up = ::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
        ::close(s);
        if (up)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    error_ = "sshd did not start: " + readFile(dir_ / "sshd.log").substr(0, 300);
    return false;
}

void LoopbackSshd::writeClientConfigs() {
    const std::string hostKey = readFile(dir_ / "host_key.pub");
    const std::string hostName = "[127.0.0.1]:" + std::to_string(port_) + " ";
    writeFile(dir_ / "known_hosts", hostName + hostKey);
    writeFile(dir_ / "changed_known_hosts", hostName + readFile(dir_ / "other_host_key.pub"));
    writeFile(dir_ / "ssh_config_changedkey",
              clientConfig(dir_ / "user_key", dir_ / "changed_known_hosts"));
    writeFile(dir_ / "ssh_config_password",
              clientConfig(dir_ / "no_such_key", dir_ / "known_hosts", true));
    writeFile(dir_ / "empty_known_hosts", "");
    writeFile(dir_ / "ssh_config", clientConfig(dir_ / "user_key", dir_ / "known_hosts"));
    writeFile(dir_ / "ssh_config_wrongkey", clientConfig(dir_ / "other_key", dir_ / "known_hosts"));
    writeFile(dir_ / "ssh_config_nohostkey",
              clientConfig(dir_ / "user_key", dir_ / "empty_known_hosts"));
}

std::string LoopbackSshd::hostKeyFingerprint() const {
    // "256 SHA256:abc... comment (ED25519)"
    std::istringstream words(
        runCommand("ssh-keygen -l -E sha256 -f '" + (dir_ / "host_key.pub").string() + "'"));
    std::string bits, fingerprint;
    words >> bits >> fingerprint;
    return fingerprint;
}

void LoopbackSshd::dropConnections() {
    // Session processes are the listener's children (found by ppid, killed by pid).
    for (const auto& entry : fs::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::istringstream stat(readFile(entry.path() / "stat"));
        std::string pid, comm, state;
        long ppid = 0;
        stat >> pid >> comm >> state >> ppid;
        if (ppid == pid_)
            ::kill(std::stoi(name), SIGKILL);
    }
}

bool LoopbackSshd::ownsProcess(pid_t pid) const {
    for (int depth = 0; pid > 1 && depth < 64; ++depth) {
        if (pid == pid_)
            return true;
        std::istringstream stat(readFile("/proc/" + std::to_string(pid) + "/stat"));
        std::string self, comm, state;
        long ppid = 0;
        if (!(stat >> self >> comm >> state >> ppid))
            return false;
        pid = static_cast<pid_t>(ppid);
    }
    return false;
}

void LoopbackSshd::stop() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        waitProcess(pid_, 5);
        pid_ = -1;
    }
}

LoopbackSshd::~LoopbackSshd() {
    stop();
}

RecordResult recordOverSsh(const std::string& destination, double seconds, const std::string& path,
                           const fs::path& loadDir) {
    RecordOptions options;
    options.durationSeconds = seconds;
    RecordResult failed;
    auto recorder = makeRemoteRecorder(options, destination, failed.error);
    if (!recorder) {
        return failed;
    }
    TraceDatFileSink sink(path);
    LoadGenerator load(loadDir);
    if (!recorder->start(sink, failed.error)) {
        return failed;
    }
    RecordResult result = recorder->wait();
    load.stop();
    return result;
}

} // namespace irqlens::test
