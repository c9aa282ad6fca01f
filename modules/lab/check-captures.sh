#!/usr/bin/env bash
# Checks the lab's captures (wq.dat, threaded.dat, tasklet.dat, as in samples/)
# with trace-cmd report, independently of irqlens' own parser:
#   - N irq_handler_entry of the GPIO IRQ (name=irqlens-gpio) and N calls of
#     the mode's top half in function_graph;
#   - N bottom halves of the right mechanism: workqueue_execute_start of
#     irqlens_wq_bottom_half / sched_waking + sched_switch into irq/<IRQ>-... /
#     tasklet_entry of irqlens_tasklet_bottom_half; none of the other two;
#   - in time order, every GPIO IRQ is followed by exactly one bottom half
#     before the next GPIO IRQ (the episodes irqlens must find);
#   - kernel_stack events are present (-T).
# Usage: check-captures.sh DIR N [NAME[:B] ...]   NAME: wq, threaded, tasklet (default: all)
#   B: bottom halves expected when fewer than N (edges the module counted as
#   coalesced: their bottom half was still pending, so they add no new one).
set -uo pipefail
dir=$1 n=$2
shift 2
names=${*:-wq threaded tasklet}
command -v trace-cmd >/dev/null || { echo "SKIP: trace-cmd is not installed"; exit 77; }
fail=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
check() { # what expected actual
    if [ "$2" = "$3" ]; then echo "ok   $1: $3"; else echo "FAIL $1: expected $2, got $3"; fail=1; fi
}

for arg in $names; do
    s=${arg%%:*}
    b=$n
    [ "$arg" = "$s" ] || b=${arg#*:}
    f=$dir/$s.dat
    [ -f "$f" ] || { echo "FAIL $f is missing"; fail=1; continue; }
    trace-cmd report -i "$f" >"$tmp" 2>/dev/null || { echo "FAIL trace-cmd report $f"; fail=1; continue; }
    irq=$(grep -m1 -o 'irq_handler_entry: *irq=[0-9]* name=irqlens-gpio' "$tmp" | sed 's/.*irq=\([0-9]*\).*/\1/')
    [ -n "$irq" ] || { echo "FAIL $s: no irq_handler_entry for irqlens-gpio"; fail=1; continue; }
    top=$s
    case $s in
    wq) bh='workqueue_execute_start: .*function irqlens_wq_bottom_half$' ;;
    threaded) bh="sched_switch: .* ==> irq/$irq-" ;;
    tasklet) bh='tasklet_entry: .*function=irqlens_tasklet_bottom_half$' ;;
    esac
    echo "== $s.dat (irq $irq, $(stat -c %s "$f") bytes)"
    check "$s irq_handler_entry irq=$irq" "$n" "$(grep -c "irq_handler_entry: *irq=$irq name=irqlens-gpio" "$tmp")"
    check "$s funcgraph irqlens_${top}_top_half" "$n" "$(grep -c "funcgraph_entry:.*irqlens_${top}_top_half()" "$tmp")"
    check "$s funcgraph irqlens_${top}_bottom_half" "$b" "$(grep -c "funcgraph_entry:.*irqlens_${top}_bottom_half()" "$tmp")"
    check "$s bottom halves /$bh/" "$b" "$(grep -c "$bh" "$tmp")"
    case $s in
    wq) check "wq workqueue_queue_work of irqlens_wq_bottom_half" "$b" \
        "$(grep -c 'workqueue_queue_work: .*function=irqlens_wq_bottom_half ' "$tmp")" ;;
    threaded) check "threaded sched_waking of irq/$irq-*" "$b" \
        "$(grep -c "sched_waking: *comm=irq/$irq-" "$tmp")" ;;
    esac
    check "$s events naming another mode's functions" 0 \
        "$(grep -E 'irqlens_(wq|threaded|tasklet)_' "$tmp" | grep -vc "irqlens_${top}_")"
    # Alternation: IRQ, bottom half, IRQ, bottom half ... in timestamp order.
    alt=$(grep -E "irq_handler_entry: *irq=$irq name=|$bh" "$tmp" |
        awk -v irq="irq=$irq" '
            index($0, "irq_handler_entry") { if (pending) bad++; pending = 1; next }
            { if (!pending) bad++; else { pending = 0; ep++ } }
            END { if (pending) bad++; print ep + 0 " episodes, " bad + 0 " out of order" }')
    # A coalesced edge shows as two GPIO IRQs with no bottom half between them.
    check "$s IRQ -> bottom half alternation" "$b episodes, $((n - b)) out of order" "$alt"
    stacks=$(grep -c 'kernel_stack:' "$tmp")
    [ "$stacks" -gt 0 ] && echo "ok   $s kernel_stack events: $stacks" || { echo "FAIL $s: no kernel_stack"; fail=1; }
done

if [ $fail = 0 ]; then echo "PASS $names: $n GPIO IRQs each, and their bottom halves"; fi
exit $fail
