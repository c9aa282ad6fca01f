#!/usr/bin/env bash
# Records tests/data/multibuffer.dat: a trace-cmd capture with an extra
# buffer (`trace-cmd record -B irqs`): sched_switch in the top buffer, the
# irq events and hrtimer expiries in "irqs".  Run once by hand (root); the
# tests check the file against `trace-cmd report` when they run.
#
# This lab's kernel refuses the function tracer, and trace-cmd record stops
# when writing /proc/sys/kernel/ftrace_enabled or an instance's
# set_ftrace_* files fails (scripts/trace-cmd-workarounds has the same
# problem for the top instance).  Here the harmless files are bind-mounted
# inside a private mount namespace (unshare -m), so nothing outside this
# script sees them and nothing is left to undo.  The namespace also gets a
# short /proc/kallsyms (timer, irq and sched symbols) to keep the file small.
#
#   tests/data/record_multibuffer.sh [OUT.dat]
set -euo pipefail
out=$(realpath -m "${1:-$(dirname "$0")/multibuffer.dat}")
tracing=/sys/kernel/tracing
buffer=irqs
work=$(mktemp -d)
trap 'rmdir "$tracing/instances/$buffer" 2>/dev/null || true; rm -rf "$work"' EXIT

[ -d "$tracing/instances/$buffer" ] && { echo "instance $buffer exists already" >&2; exit 1; }
mkdir "$tracing/instances/$buffer"
grep -E ' [Tt] [a-z_]*(tick|hrtimer|irq|softirq|sched|timer)' /proc/kallsyms > "$work/kallsyms"
echo 1 > "$work/one"
: > "$work/empty"

unshare -m --propagation private bash -euo pipefail -c '
    work=$1 tracing=$2 buffer=$3 out=$4
    mount --bind "$work/one" /proc/sys/kernel/ftrace_enabled
    mount --bind "$work/kallsyms" /proc/kallsyms
    for dir in "$tracing" "$tracing/instances/$buffer"; do
        for f in set_ftrace_pid set_ftrace_filter set_ftrace_notrace set_ftrace_notrace_pid; do
            [ -e "$dir/$f" ] && mount --bind "$work/empty" "$dir/$f"
        done
    done
    cd "$work"
    trace-cmd record -q -e sched:sched_switch -B "$buffer" -e irq -e timer:hrtimer_expire_entry \
        -o "$out" sleep 0.2 >/dev/null
' _ "$work" "$tracing" "$buffer" "$out"
echo "$out: $(stat -c %s "$out") bytes, $(trace-cmd report -i "$out" 2>/dev/null | grep -c "^$buffer:") events in $buffer"
