#!/bin/busybox sh
# shellcheck shell=dash
# /init of the lab's initramfs (run-lab.sh packs it). Runs inside the qemu
# guest: loads the modules, creates a gpio-sim chip, and for each mode loads
# irqlens_gpio_irq, toggles the line N times under trace-cmd, checks the
# module's counters, then unloads it while the line is still toggling.
# Results go to the console and to /mnt (the 9p share with the host).
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null

. /lab.conf # TOGGLES PERIOD_US MODES EXTRA_EVENTS DEBUG REMOTE (written by run-lab.sh)

say() { echo "IRQLENS-LAB: $*"; echo "$*" >>/mnt/results.txt 2>/dev/null; }
die() { say "FAIL $*"; sync; poweroff -f; }

for m in $(cat /modules.order); do
	insmod "/modules/$m.ko" || die "insmod $m"
done
mount -t configfs configfs /sys/kernel/config || die "configfs"
mount -t 9p -o trans=virtio,version=9p2000.L out /mnt || die "9p mount"
rm -f /mnt/results.txt
echo "IRQLENS-LAB: booted in $(cut -d' ' -f1 /proc/uptime) s"

# One simulated chip with one bank; the label is how our module finds it.
sim=/sys/kernel/config/gpio-sim/irqlens
mkdir $sim $sim/bank0 || die "gpio-sim configfs"
echo 4 >$sim/bank0/num_lines
echo irqlens-sim >$sim/bank0/label
echo 1 >$sim/live || die "gpio-sim live"
pull=$(ls /sys/devices/platform/gpio-sim.*/gpiochip*/sim_gpio0/pull)
[ -w "$pull" ] || die "no gpio-sim pull attribute"
echo pull-down >"$pull"

dbg=/sys/kernel/debug/irqlens_gpio
tr=/sys/kernel/tracing
if [ -n "$DEBUG" ]; then
	# Symbols for run-lab.sh's stall dump (vCPU instruction pointers).
	grep ' [tT] ' /proc/kallsyms >/mnt/kallsyms
	echo "IRQLENS-LAB: debug ftrace can patch $(wc -l <$tr/available_filter_functions) functions"
	# Progress every 20 s, to see where a slow guest is: our counters, and
	# the state (R/S/D), CPU and scheduled time of the tasks that matter.
	(while sleep 20; do
		echo "IRQLENS-LAB: debug uptime $(cut -d' ' -f1 /proc/uptime) load $(cut -d' ' -f1-3 /proc/loadavg)" \
			"top_halves $(cat $dbg/top_halves 2>/dev/null) coalesced $(cat $dbg/coalesced 2>/dev/null)" \
			"tracer $(cat $tr/current_tracer) filter $(grep -vc '^#' $tr/set_ftrace_filter)"
		cat /proc/[0-9]*/stat 2>/dev/null | awk '$3 ~ /[RD]/ || $2 ~ /^\((irq\/[0-9]+-irqlens|trace-cmd)/ {
			print "IRQLENS-LAB: debug  pid " $1 " " $2 " " $3 " cpu " $39 " utime " $14 " stime " $15 }'
	done) &
fi
half=$((PERIOD_US / 2))
failed=0
t0=$(date +%s)

# Undoes what `trace-cmd record -k` left set, the function tracer first.
# trace-cmd's own clean-up (without -k) empties set_ftrace_filter while
# function_graph is still the current tracer, so for a moment the tracer
# covers every kernel function: ftrace live-patches all their call sites
# (int3 + IPIs, text_poke_bp), then unpatches them when it sets nop.  Under
# qemu TCG with two vCPUs that patching storm, twice per recording, now and
# then left a vCPU executing a stale int3 at a patched site forever (the
# memory already held the NOP): an RCU stall / soft lockup, or a silent hang
# when it hit with interrupts off (modules/README.md, "The lab's hang").
# Tracer off first, then the filter: only our six functions are ever patched.
untrace() {
	echo nop >$tr/current_tracer
	echo >$tr/set_ftrace_filter
	echo 0 >$tr/options/stacktrace
	echo 0 >$tr/events/enable
}

for mode in $MODES; do
	if [ -n "$DEBUG" ]; then # the stack of any top half that runs at insmod
		echo 1 >$tr/options/stacktrace
		echo 1 >$tr/events/irq/irq_handler_entry/enable
		echo 1 >$tr/tracing_on
	fi
	insmod /irqlens_gpio_irq.ko mode=$mode sim_chip=irqlens-sim sim_line=0 ||
		die "insmod irqlens_gpio_irq mode=$mode"
	irq=$(cat $dbg/irq)
	case $mode in
	workqueue) bh=wq_bottom_halves ;;
	threaded) bh=threaded_bottom_halves ;;
	tasklet) bh=tasklet_bottom_halves ;;
	esac
	# The counts before the first edge.  Not always 0: an edge that hit the
	# line while the previous mode's rmmod was freeing the IRQ (unload under
	# load, below) leaves the IRQ marked pending in the kernel, and the next
	# request_irq replays it (check_irq_resend) -- a real top half, but not
	# one of ours.  Counted apart as "replayed".
	sleep 1
	top0=$(cat $dbg/top_halves) bot0=$(cat $dbg/$bh) coal0=$(cat $dbg/coalesced)
	if [ -n "$DEBUG" ]; then
		[ "$top0" = 0 ] || grep -A14 'irq_handler_entry: irq=[0-9]* name=irqlens' $tr/trace | sed 's/^/IRQLENS-LAB: debug replayed /'
		echo 0 >$tr/events/irq/irq_handler_entry/enable
		echo 0 >$tr/options/stacktrace
		echo >$tr/trace
	fi
	echo "IRQLENS-LAB: recording mode=$mode at $(cut -d' ' -f1 /proc/uptime) s"
	# One rising edge per period; the line rests low between edges.
	cat >/tmp/toggle.sh <<EOF
cut -d' ' -f1 /proc/uptime >/tmp/toggle.start
i=0
while [ \$i -lt $TOGGLES ]; do
	echo pull-up >$pull; usleep $half
	echo pull-down >$pull; usleep $half
	i=\$((i + 1))
done
cut -d' ' -f1 /proc/uptime >/tmp/toggle.end
EOF
	t_rec=$(cut -d' ' -f1 /proc/uptime)
	# -k: trace-cmd leaves the tracing settings as they are at the end, and
	# we undo them below, tracer first (see untrace).
	trace-cmd record -k -q -b 8192 -o /tmp/$mode.dat -T \
		-p function_graph -l 'irqlens_*_half' \
		-e irq -e workqueue \
		-e sched:sched_switch -e sched:sched_waking -e sched:sched_wakeup \
		$EXTRA_EVENTS \
		sh /tmp/toggle.sh >/tmp/record.log 2>&1 ||
		{ cat /tmp/record.log; die "trace-cmd record mode=$mode"; }
	untrace
	t_end=$(cut -d' ' -f1 /proc/uptime)
	# Seconds trace-cmd took to start (before the first edge) and to finish.
	setup_s=$(awk -v a="$t_rec" -v b="$(cat /tmp/toggle.start)" 'BEGIN { printf "%.1f", b - a }')
	toggle_s=$(awk -v a="$(cat /tmp/toggle.start)" -v b="$(cat /tmp/toggle.end)" 'BEGIN { printf "%.1f", b - a }')
	finish_s=$(awk -v a="$(cat /tmp/toggle.end)" -v b="$t_end" 'BEGIN { printf "%.1f", b - a }')
	sleep 1 # let the last bottom half run before reading the counters
	top=$(($(cat $dbg/top_halves) - top0))
	bot=$(($(cat $dbg/$bh) - bot0))
	coal=$(($(cat $dbg/coalesced) - coal0))
	cp /tmp/$mode.dat /mnt/$mode.dat
	rm /tmp/$mode.dat
	# Every edge is a top half; each ran its own bottom half unless it came
	# while the previous one was still pending (coalesced: possible when the
	# host starves the emulated CPUs).
	if [ "$top" = "$TOGGLES" ] && [ $((bot + coal)) = "$TOGGLES" ]; then
		verdict=PASS
	else
		verdict=FAIL
		failed=1
	fi
	say "$verdict counters mode=$mode irq=$irq toggles=$TOGGLES top_halves=$top bottom_halves=$bot coalesced=$coal max_delay_ns=$(cat $dbg/max_delay_ns) replayed=$top0 trace_setup_s=$setup_s toggle_s=$toggle_s trace_finish_s=$finish_s"
	rmmod irqlens_gpio_irq || die "rmmod mode=$mode"

	# Unload under load: rmmod while edges keep coming as fast as the shell can.
	insmod /irqlens_gpio_irq.ko mode=$mode sim_chip=irqlens-sim sim_line=0 || die "re-insmod $mode"
	(while :; do echo pull-up >"$pull"; echo pull-down >"$pull"; done) &
	busy=$!
	sleep 1
	rmmod irqlens_gpio_irq
	rc=$?
	kill $busy
	wait $busy 2>/dev/null
	echo pull-down >"$pull"
	if [ $rc = 0 ] && ! dmesg | grep -qE 'BUG:|Oops|WARNING:|general protection|Call Trace'; then
		say "PASS unload-under-load mode=$mode"
	else
		dmesg | tail -40
		say "FAIL unload-under-load mode=$mode rmmod=$rc"
		failed=1
	fi
done

# --remote-record: irqlens-cli on the host records this guest over ssh as
# user pi, root through `sudo -n` (OpenSSH's sshd; qemu forwards the host's
# 127.0.0.1:PORT to port 22 here) while the line toggles in mode=workqueue.
# The host says it is done by creating remote-done in the 9p share.
remote_record_phase() {
	# The initramfs makes every file root's: pi's home is pi's, as sshd's
	# StrictModes wants it.
	chown -R pi:pi /home/pi
	hostname raspberrypi
	ip link set lo up
	ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 &&
		ip route add default via 10.0.2.2 || { say "FAIL remote-record: no network (eth0)"; failed=1; return; }
	# sshd must be started by its absolute path (it re-executes itself).
	/usr/sbin/sshd -f /etc/ssh/sshd_config -E /tmp/sshd.log ||
		{ cat /tmp/sshd.log; say "FAIL remote-record: sshd did not start"; failed=1; return; }
	insmod /irqlens_gpio_irq.ko mode=workqueue sim_chip=irqlens-sim sim_line=0 ||
		die "insmod for remote-record"
	(while [ ! -e /mnt/remote-done ]; do
		echo pull-up >"$pull"; usleep $half
		echo pull-down >"$pull"; usleep $half
	done) &
	toggler=$!
	echo "IRQLENS-LAB: remote-ready at $(cut -d' ' -f1 /proc/uptime) s"
	i=0
	# Up to 50 min (IRQLENS_LAB_REMOTE_RUNS=N); the host's IRQLENS_LAB_TIMEOUT stops it sooner.
	while [ ! -e /mnt/remote-done ] && [ $i -lt 3000 ]; do sleep 1; i=$((i + 1)); done
	wait $toggler 2>/dev/null
	kill "$(cat /tmp/sshd.pid)" 2>/dev/null
	sleep 1
	say "remote-record guest mode=workqueue top_halves=$(cat $dbg/top_halves) bottom_halves=$(cat $dbg/wq_bottom_halves) coalesced=$(cat $dbg/coalesced) host_done=$([ -e /mnt/remote-done ] && echo yes || echo no)"
	rmmod irqlens_gpio_irq || die "rmmod after remote-record"
	grep -E 'Accepted|error|fatal' /tmp/sshd.log | tail -5 | sed 's/^/IRQLENS-LAB: sshd /'
}
[ -z "$REMOTE" ] || remote_record_phase

say "guest time $(($(date +%s) - t0)) s for modes: $MODES"
if [ $failed = 0 ]; then say "PASS all"; else say "FAIL some checks"; fi
umount /mnt
sync
poweroff -f
