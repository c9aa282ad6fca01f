#include "core/record/remote_setup_script.h"

#include "core/record/shell_quote.h"

#include <sstream>

namespace irqlens {

std::string probeScript() {
    return R"SH(d=
for t in /sys/kernel/tracing /sys/kernel/debug/tracing; do
  if [ ! -e "$t/events/header_page" ] && [ "$t" = /sys/kernel/tracing ]; then
    mount -t tracefs nodev "$t" 2>/dev/null
  fi
  if [ -e "$t/events/header_page" ]; then d=$t; break; fi
done
echo "uname $(uname -s) $(uname -n) $(uname -r) $(uname -m)"
m=
for f in /proc/device-tree/model /sys/firmware/devicetree/base/model; do
  [ -r "$f" ] && { m=$(tr -d '\000' < "$f"); break; }
done
[ -n "$m" ] || [ ! -r /sys/class/dmi/id/product_name ] ||
  m=$(cat /sys/class/dmi/id/sys_vendor /sys/class/dmi/id/product_name 2>/dev/null | tr '\n' ' ')
echo "model $m"
if [ -d /sys/module/irqlens_gpio_irq ]; then
  echo "module $(cat /sys/module/irqlens_gpio_irq/parameters/mode 2>/dev/null || echo loaded)"
fi
printf 'elf '; head -c 6 /proc/self/exe | tail -c 2; echo
[ -n "$d" ] || exit 3
echo "dir $d"
if [ -w "$d/instances" ] && [ -r "$d/events/header_page" ]; then echo "access w"; else echo "access r"; fi
(cd "$d/events" && for e in */*/format; do echo "event $e"; done)
(cd "$d/per_cpu" && for c in cpu*; do echo "cpu $c"; done)
if dd if=/dev/null of=/dev/null iflag=nonblock status=none 2>/dev/null; then echo "dd nonblock"; fi
exit 0)SH";
}

namespace {

std::string fail(const std::string& what) {
    return " || { echo " + shellQuote("irqlens-error: " + what) + " >&2; exit 1; }\n";
}

// Kills every process reading instance $1: the readers' command lines name
// their instance's per_cpu files.  The pattern ends in "cp[u]" so that
// grep's own command line (which holds the pattern) does not match, and
// this script's text never holds the expanded path either.
constexpr const char* kKillReaders = R"SH(irqlens_kill_readers() {
  for f in $(grep -l "instances/$1/per_cpu/cp[u]" /proc/[0-9]*/cmdline 2>/dev/null); do
    f=${f#/proc/}; kill "${f%/cmdline}" 2>/dev/null
  done
}
irqlens_rmdir() {
  i=0
  while ! rmdir "$1" 2>/dev/null; do
    [ -d "$1" ] || return 0
    i=$((i + 1)); [ $i -lt 25 ] || return 1
    sleep 0.2
  done
}
)SH";

} // namespace

std::string staleInstanceCleanupScript() {
    std::string s = kKillReaders;
    s += R"SH(for d in instances/irqlens-*; do
  [ -d "$d" ] || continue
  n=${d#instances/}
  p=${n#irqlens-}
  p=${p%%-*}
  case "$p" in ''|*[!0-9]*) continue;; esac
  if kill -0 "$p" 2>/dev/null; then continue; fi
  case "$(LC_ALL=C kill -0 "$p" 2>&1)" in *ermitted*) continue;; esac
  [ ! -e "/proc/$p" ] || continue
  irqlens_kill_readers "$n"
  if irqlens_rmdir "$d"; then echo "removed stale tracefs instance $d"
  else echo "cannot remove stale tracefs instance $d"; fi
done
)SH";
    return s;
}

std::string setupScript(const std::string& tracingDir, const std::string& instance,
                        const RecordOptions& options, const std::vector<EventName>& events,
                        const std::string& cpuMask) {
    const std::string I = "instances/" + instance;
    std::string s = "cd " + shellQuote(tracingDir) + fail("cannot enter " + tracingDir);
    s += staleInstanceCleanupScript();
    s += "mkdir " + shellQuote(I) + fail("cannot create " + tracingDir + "/" + I);
    s += "echo 0 > " + shellQuote(I + "/tracing_on") + fail("cannot write tracing_on");
    if (options.bufferKb > 0) {
        s += "echo " + std::to_string(options.bufferKb) + " > " +
             shellQuote(I + "/buffer_size_kb") +
             fail("cannot set the buffer size to " + std::to_string(options.bufferKb) + " KiB");
    }
    if (!cpuMask.empty()) {
        s += "echo " + shellQuote(cpuMask) + " > " + shellQuote(I + "/tracing_cpumask") +
             fail("cannot set the CPU mask " + cpuMask);
    }
    for (const auto& e : events) {
        const std::string path = I + "/events/" + e.system + "/" + e.event + "/enable";
        s += "echo 1 > " + shellQuote(path) + fail("cannot enable " + e.system + ":" + e.event);
    }
    if (options.preset == "stacks") {
        s += "echo 1 > " + shellQuote(I + "/options/stacktrace") +
             fail("cannot enable the stacktrace option");
    }
    if (options.preset == "funcgraph") {
        s += "grep -qw function_graph available_tracers" +
             fail("this kernel offers no function_graph tracer; use the bottom-halves or stacks "
                  "preset");
        for (const auto& module : options.modules) {
            s += "echo " + shellQuote(":mod:" + module) + " >> " +
                 shellQuote(I + "/set_ftrace_filter") +
                 fail("cannot limit function_graph to module " + module);
        }
        s += "echo function_graph > " + shellQuote(I + "/current_tracer") +
             fail("the kernel refused the function_graph tracer; use the bottom-halves or stacks "
                  "preset");
    }
    return s;
}

std::string readerScript(const std::string& file, std::uint32_t pageSize, std::uint32_t pageData,
                         bool nonblockingDd, const std::string& holderPid) {
    // $$ is the pid of the exec'd reader shell, which the teardown kills.
    if (nonblockingDd) {
        // dd ended by a signal (SIGPIPE: nobody reads us; SIGTERM) ends the loop.
        return "echo $$; exec sh -c 'while kill -0 \"$3\" 2>/dev/null; do dd if=\"$1\" "
               "of=/dev/stdout iflag=nonblock bs=$2 status=none 2>/dev/null; [ $? -lt 128 ] || "
               "exit 0; sleep 0.1; done' irqlens-reader " +
               shellQuote(file) + " " + std::to_string(pageSize) + " " + shellQuote(holderPid);
    }
    // Busybox: no non-blocking read, and `cat` splices, which hands over
    // full pages only (the last, partial page would stay in the buffer).
    // A plain read() returns partial pages too, but blocks on an empty
    // buffer: read only as many pages as the CPU's stats say hold data
    // (bytes / data bytes per page, at least 1 and at most one per entry).
    // Without "bytes:" (old kernels), one page a round while entries > 0.
    // A bogus huge "bytes:" (some kernels let it wrap) counts as absent.
    // Too high a count loses nothing: dd then waits for the next event.
    const std::string stats = file.substr(0, file.rfind('/') + 1) + "stats";
    return "echo $$; exec sh -c 'while kill -0 \"$3\" 2>/dev/null; do e=0 b=; "
           "while read -r k v r; do case $k in entries:) e=$v;; bytes:) b=$v;; esac; "
           "done 2>/dev/null < \"$4\"; "
           "case $e in \"\"|*[!0-9]*) e=0;; esac; "
           "if [ \"$e\" -gt 0 ]; then n=1; "
           "case $b in \"\"|*[!0-9]*|????????????*) ;; *) n=$(( (b + $5 - 1) / $5 ));; esac; "
           "[ $n -le $e ] || n=$e; [ $n -ge 1 ] || n=1; "
           "dd if=\"$1\" bs=$2 count=$n 2>/dev/null; [ $? -lt 128 ] || exit 0; fi; "
           "sleep 0.1; done' irqlens-reader " +
           shellQuote(file) + " " + std::to_string(pageSize) + " " + shellQuote(holderPid) + " " +
           shellQuote(stats) + " " + std::to_string(pageData > 0 ? pageData : pageSize);
}

std::string stopScript(const std::string& tracingDir, const std::string& instance) {
    // Gives up after 30 rounds without progress (a reader that takes
    // nothing more) or 120 s by the target's clock (a starved target takes
    // longer per round, and its readers too).
    return "cd " + shellQuote(tracingDir + "/instances/" + instance) + " || exit 1\n" +
           R"SH(echo 0 > tracing_on || exit 1
same=0 last= t0=$(date +%s)
while :; do
  n=0 all=
  for f in per_cpu/cpu*/stats; do
    e=0
    while read -r k v r; do [ "$k" != entries: ] || e=$v; done < "$f"
    case $e in ''|*[!0-9]*) e=0;; esac
    n=$((n + e)) all="$all $e"
  done
  [ $n -gt 0 ] || break
  if [ "$all" = "$last" ]; then same=$((same + 1)); else same=0 last=$all; fi
  [ $same -lt 30 ] || break
  [ $(($(date +%s) - t0)) -lt 120 ] || break
  sleep 0.1
done
echo "left $n"
exit 0)SH";
}

std::optional<std::uint64_t> parseEventsLeft(const std::string& stopOutput) {
    std::istringstream lines(stopOutput);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("left ", 0) != 0) {
            continue;
        }
        const std::string n = line.substr(5);
        if (n.empty() || n.size() > 18 || n.find_first_not_of("0123456789") != std::string::npos) {
            return std::nullopt;
        }
        return std::stoull(n);
    }
    return std::nullopt;
}

std::string teardownScript(const std::string& tracingDir, const std::string& instance,
                           const std::vector<std::string>& pids) {
    std::string s = "cd " + shellQuote(tracingDir) + " || exit 1\n" + kKillReaders;
    const std::string I = shellQuote("instances/" + instance);
    s += "echo 0 > " + I + "/tracing_on 2>/dev/null\n";
    for (const auto& pid : pids) {
        s += "kill " + shellQuote(pid) + " 2>/dev/null\n";
    }
    s += "irqlens_kill_readers " + shellQuote(instance) + "\n";
    s += "irqlens_rmdir " + I + "\n";
    return s;
}

} // namespace irqlens
