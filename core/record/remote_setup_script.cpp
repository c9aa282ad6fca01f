#include "core/record/remote_setup_script.h"

#include "core/record/shell_quote.h"

namespace irqlens {

std::string probeScript() {
    return R"(d=
for t in /sys/kernel/tracing /sys/kernel/debug/tracing; do
  if [ ! -e "$t/events/header_page" ] && [ "$t" = /sys/kernel/tracing ]; then
    mount -t tracefs nodev "$t" 2>/dev/null
  fi
  if [ -e "$t/events/header_page" ]; then d=$t; break; fi
done
[ -n "$d" ] || exit 3
echo "dir $d"
if [ -w "$d/instances" ] && [ -r "$d/events/header_page" ]; then echo "access w"; else echo "access r"; fi
(cd "$d/events" && for e in */*/format; do echo "event $e"; done)
(cd "$d/per_cpu" && for c in cpu*; do echo "cpu $c"; done)
if dd if=/dev/null of=/dev/null iflag=nonblock status=none 2>/dev/null; then echo "dd nonblock"; fi
printf 'elf '; head -c 6 /proc/self/exe | tail -c 1; echo
exit 0)";
}

namespace {
std::string fail(const std::string& what) {
    return " || { echo " + shellQuote("irqlens-error: " + what) + " >&2; exit 1; }\n";
}
} // namespace

std::string setupScript(const std::string& tracingDir, const std::string& instance,
                        const RecordOptions& options, const std::vector<EventName>& events,
                        const std::string& cpuMask) {
    const std::string I = "instances/" + instance;
    std::string s = "cd " + shellQuote(tracingDir) + fail("cannot enter " + tracingDir);
    s += R"(for d in instances/irqlens-*; do
  [ -d "$d" ] || continue
  p=${d#instances/irqlens-}
  case "$p" in ''|*[!0-9]*) continue;; esac
  if ! kill -0 "$p" 2>/dev/null; then
    if rmdir "$d" 2>/dev/null; then echo "removed stale tracefs instance $d"; fi
  fi
done
)";
    s += "mkdir " + shellQuote(I) + fail("cannot create " + tracingDir + "/" + I);
    s += "echo 0 > " + shellQuote(I + "/tracing_on") + fail("cannot write tracing_on");
    if (options.bufferKb > 0)
        s += "echo " + std::to_string(options.bufferKb) + " > " +
             shellQuote(I + "/buffer_size_kb") +
             fail("cannot set the buffer size to " + std::to_string(options.bufferKb) + " KiB");
    if (!cpuMask.empty())
        s += "echo " + shellQuote(cpuMask) + " > " + shellQuote(I + "/tracing_cpumask") +
             fail("cannot set the CPU mask " + cpuMask);
    for (const auto& e : events) {
        const std::string path = I + "/events/" + e.system + "/" + e.event + "/enable";
        s += "echo 1 > " + shellQuote(path) + fail("cannot enable " + e.system + ":" + e.event);
    }
    if (options.preset == "stacks")
        s += "echo 1 > " + shellQuote(I + "/options/stacktrace") +
             fail("cannot enable the stacktrace option");
    if (options.preset == "funcgraph") {
        s += "grep -qw function_graph available_tracers" +
             fail("this kernel offers no function_graph tracer; use the bottom-halves or stacks "
                  "preset");
        for (const auto& module : options.modules)
            s += "echo " + shellQuote(":mod:" + module) + " >> " +
                 shellQuote(I + "/set_ftrace_filter") +
                 fail("cannot limit function_graph to module " + module);
        s += "echo function_graph > " + shellQuote(I + "/current_tracer") +
             fail("the kernel refused the function_graph tracer; use the bottom-halves or stacks "
                  "preset");
    }
    return s;
}

std::string teardownScript(const std::string& tracingDir, const std::string& instance,
                           const std::vector<std::string>& pids) {
    std::string s = "cd " + shellQuote(tracingDir) + " || exit 1\n";
    const std::string I = shellQuote("instances/" + instance);
    s += "echo 0 > " + I + "/tracing_on 2>/dev/null\n";
    for (const auto& pid : pids)
        s += "kill " + shellQuote(pid) + " 2>/dev/null\n";
    s += "for i in 1 2 3 4 5 6 7 8 9 10; do rmdir " + I + " 2>/dev/null && exit 0; [ -d " + I +
         " ] || exit 0; sleep 0.2; done\nexit 1\n";
    return s;
}

} // namespace irqlens
