#!/usr/bin/env bash
# Events lost by `irqlens-cli record` vs `trace-cmd record`, recording the
# same events at the same time (one run, same load): a pipe ping-pong
# between two processes plus disk writes with fdatasync, for DURATION s.
# irqlens records in its own instance, trace-cmd in the top-level buffer,
# both with the same per-CPU buffer size.  Needs root;
# scripts/trace-cmd-workarounds is switched on for trace-cmd and off again.
#
#   bench/record/record_loss.sh IRQLENS_CLI [DURATION=10] [BUFFER_KB=1408]
# IRQLENS_CLI: irqlens-cli (the "record" subcommand is added) or
# irqlens-record-driver.
set -euo pipefail
[ -n "${TRACE:-}" ] && set -x
cli=${1:?usage: $0 IRQLENS_CLI [DURATION] [BUFFER_KB]}
duration=${2:-10}
buffer_kb=${3:-1408}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/irqlens-loss-XXXXXX)
record=("$cli")
[[ "$(basename "$cli")" == irqlens-cli ]] && record+=(record)
events=(-e irq -e workqueue -e sched:sched_switch -e sched:sched_waking -e sched:sched_wakeup)
[ -d /sys/kernel/tracing/events/irq_vectors ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
for s in irq_vectors ipi; do [ -d "/sys/kernel/tracing/events/$s" ] && events+=(-e "$s"); done

pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    "$repo/scripts/trace-cmd-workarounds" off >/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Load: pipe ping-pong (context switches, wakeups) and disk writes (IRQs, work items).
python3 - "$duration" > "$work/pingpong.txt" <<'PY' &
import os, sys, time
end = time.time() + float(sys.argv[1]) + 2
a, b = os.pipe(); c, d = os.pipe()
if os.fork() == 0:
    os.close(b); os.close(c)
    while True:
        x = os.read(a, 1)
        if not x: os._exit(0)
        os.write(d, x)
os.close(a); os.close(d)
n = 0
while time.time() < end:
    for _ in range(1000):
        os.write(b, b"x"); os.read(c, 1)
    n += 1000
os.close(b)
print(n)
PY
pids+=($!)
( end=$((SECONDS + duration + 2)); while [ $SECONDS -lt $end ]; do
    dd if=/dev/zero of="$work/disk.bin" bs=64k count=256 conv=fdatasync status=none; done ) &
pids+=($!)
sleep 0.5

"$repo/scripts/trace-cmd-workarounds" on >/dev/null
"${record[@]}" -q -o "$work/irqlens.dat" --duration "$duration" --buffer-kb "$buffer_kb" \
    --preset none "${events[@]}" 2> "$work/irqlens.err" &
irq_pid=$!
trace-cmd record -q -b "$buffer_kb" "${events[@]}" -o "$work/tracecmd.dat" sleep "$duration" \
    > "$work/tracecmd.out" 2>&1 || true
wait "$irq_pid" || true
"$repo/scripts/trace-cmd-workarounds" off >/dev/null

count() { trace-cmd report "$1" 2>/dev/null | grep -c '^ *.*\[[0-9]*\] *[0-9.]*: ' || true; }
dropped() { # events the kernel reported lost inside the data, and the CPU stats' overruns
    local marks n overrun
    marks=$(trace-cmd report "$1" 2>/dev/null | grep -c 'EVENTS DROPPED\]' || true)
    n=$(trace-cmd report "$1" 2>/dev/null | sed -n 's/.*\[\([0-9]*\) EVENTS DROPPED\].*/\1/p' | awk '{s+=$1} END {print s+0}')
    overrun=$(trace-cmd report --stat "$1" 2>/dev/null | sed -n 's/^overrun: \([0-9]*\)/\1/p' | awk '{s+=$1} END {print s+0}')
    echo "$n lost in $marks gaps, overrun $overrun"
}
echo "load: $(cat "$work/pingpong.txt") ping-pongs in ${duration} s, disk writes with fdatasync; buffer ${buffer_kb} KiB/CPU"
echo "irqlens-cli record: $(count "$work/irqlens.dat") events, $(dropped "$work/irqlens.dat")"
tail -1 "$work/irqlens.err" | sed 's/^/    /'
echo "trace-cmd record:   $(count "$work/tracecmd.dat") events, $(dropped "$work/tracecmd.dat")"
