#!/usr/bin/env bash
# The samples through irqlens-cli (`latency --csv`): for the GPIO IRQ of each
# capture, N hard IRQ spans, N bottom-half spans of the sample's mechanism and
# N episodes; for wq and tasklet, the episode's end-to-end median exceeds the
# hard IRQ's (the episode reaches its bottom half).  N comes from the caller
# (the lab's toggle count), cross-checked by check-captures.sh with trace-cmd.
# Usage: check-cli.sh SAMPLES_DIR N IRQLENS_CLI
set -uo pipefail
dir=$1 n=$2 cli=$3
[ -x "$cli" ] || { echo "SKIP: $cli not built"; exit 77; }
fail=0
check() { if [ "$2" = "$3" ]; then echo "ok   $1: $3"; else echo "FAIL $1: expected $2, got $3"; fail=1; fi; }
# field COLUMN MECHANISM KEY-PREFIX METRIC <csv : the column of the first matching row
field() {
    awk -F, -v c="$1" -v m="$2" -v k="$3" -v t="$4" \
        '$1 == m && index($2, k) == 1 && $3 == t { print $c; exit }'
}

for s in wq threaded tasklet; do
    csv=$("$cli" latency "$dir/$s.dat" --csv) || { echo "FAIL irqlens-cli latency $dir/$s.dat"; fail=1; continue; }
    gpio=$(awk -F, '$1 == "hardirq" && $2 ~ / irqlens-gpio$/ { print $2; exit }' <<<"$csv")
    [ -n "$gpio" ] || { echo "FAIL $s: no hard IRQ named irqlens-gpio"; fail=1; continue; }
    irq=${gpio%% *}
    case $s in
    wq) mech=workqueue key=irqlens_wq_bottom_half ;;
    threaded) mech=irq_thread key="irq/$irq-" ;;
    tasklet) mech=tasklet key=irqlens_tasklet_bottom_half ;;
    esac
    echo "== $s.dat (irq $gpio)"
    check "$s hard IRQ spans" "$n" "$(field 4 hardirq "$gpio" duration <<<"$csv")"
    check "$s $mech spans of $key" "$n" "$(field 4 "$mech" "$key" duration <<<"$csv")"
    check "$s episodes of $gpio" "$n" "$(field 4 episode "$gpio" end_to_end <<<"$csv")"
    hard50=$(field 6 hardirq "$gpio" duration <<<"$csv")
    ep50=$(field 6 episode "$gpio" end_to_end <<<"$csv")
    if [ "${ep50:-0}" -gt "${hard50:-0}" ]; then
        echo "ok   $s episode p50 $ep50 ns > hard IRQ p50 $hard50 ns"
    else
        echo "FAIL $s: episode p50 $ep50 ns does not reach past the hard IRQ (p50 $hard50 ns)"
        fail=1
    fi
done
[ $fail = 0 ] && echo "PASS irqlens-cli finds $n GPIO IRQs, bottom halves and episodes in each sample"
exit $fail
