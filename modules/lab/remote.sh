# shellcheck shell=bash
# The lab's --remote-record step, sourced by run-lab.sh (it uses its
# variables and helpers: ARCH, ACACHE, WORK, OUT, DEBARCH, CLI, SSH_PORT,
# fetch_debs, add_libs, add_module, log, fail, skip).
#
# The guest is logged into the way a Raspberry Pi OS install is: as the
# normal user `pi` (uid 1000, group sudo) whose sudo needs no password
# (/etc/sudoers.d/010_pi-nopasswd, as Raspberry Pi OS writes it), never as
# root (PermitRootLogin no).  sshd and sudo are Debian 12's for the guest's
# architecture; keys are throwaway ones made per run.  The host records the
# guest with `irqlens-cli record --remote pi@127.0.0.1:PORT` and checks the
# capture against trace-cmd report and trace-cmd dump.

REMOTE_USER=pi
# Set by remote_record once the guest is ready; empty when it never was
# (check_remote then says so instead of tripping over set -u).
REMOTE_RCS=() REMOTE_SECONDS=() CHECK_RC="" LOGIN_OK=""

# OpenSSH's sshd, sudo, and the libraries they link (Debian 12).  Not dropbear:
# it refuses commands longer than 9000 bytes, and irqlens-cli sends longer ones
# (it reads all event formats in one script).
remote_guest_packages() {
    local pkgs=(openssh-server sudo libpam-modules libssl3 libwrap0 libaudit1 libpam0g libsystemd0 libselinux1
        libgssapi-krb5-2 libkrb5-3 libcom-err2 zlib1g libcrypt1 libnsl2 libcap-ng0 libcap2
        libgcrypt20 liblzma5 liblz4-1 libpcre2-8-0 libk5crypto3 libkrb5support0 libkeyutils1
        libtirpc3 libgpg-error0)
    fetch_debs "$ACACHE/guest-debs" "${pkgs[@]/%/:$DEBARCH}"
}

# sudo, setuid root (make_initramfs makes every file root's), with its plugin
# and libsudo_util in /usr/libexec/sudo (found through sudo's RUNPATH).
# Defaults as Debian's sudoers has them; the pi line as Raspberry Pi OS has it.
# sudo always starts PAM (without a PAM file it aborts, "unable to initialize
# PAM"); the guest's stack is pam_deny for passwords (this guest has none, so
# only a NOPASSWD rule lets anyone through) and pam_permit for the account and
# the session (Debian's pam_unix would want shadow files).
add_sudo() {
    local r=$1 f security=lib/$TRIPLET/security
    mkdir -p "$r/usr/bin" "$r/usr/libexec" "$r/etc/sudoers.d" "$r/etc/pam.d" "$r/$security"
    install -m 4755 "$ACACHE/guest/usr/bin/sudo" "$r/usr/bin/sudo"
    cp -a "$ACACHE/guest/usr/libexec/sudo" "$r/usr/libexec/"
    cp "$ACACHE/guest/$security/pam_deny.so" "$ACACHE/guest/$security/pam_permit.so" "$r/$security/"
    for f in "$r/usr/bin/sudo" "$r"/usr/libexec/sudo/*.so* "$r/$security"/*.so; do add_libs "$f"; done
    printf '%s\n' 'auth	requisite	pam_deny.so' 'account	required	pam_permit.so' \
        'session	required	pam_permit.so' >"$r/etc/pam.d/sudo"
    printf '%s\n' 'Defaults	env_reset' 'Defaults	mail_badpass' \
        'Defaults	secure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"' \
        'root	ALL=(ALL:ALL) ALL' '%sudo	ALL=(ALL:ALL) ALL' '@includedir /etc/sudoers.d' >"$r/etc/sudoers"
    echo "$REMOTE_USER ALL=(ALL) NOPASSWD: ALL" >"$r/etc/sudoers.d/010_pi-nopasswd"
    chmod 440 "$r/etc/sudoers" "$r/etc/sudoers.d/010_pi-nopasswd"
}

# sshd with a throwaway host key, user pi with a throwaway client key, sudo,
# the virtio-net driver.  guest-init.sh gives /home/pi to pi at boot.
add_remote_login() {
    local r=$1 home=$1/home/$REMOTE_USER
    mkdir -p "$r/usr/sbin" "$r/etc/ssh" "$r/root" "$home/.ssh" "$r/run/sshd" "$WORK/ssh"
    cp "$ACACHE/guest/usr/sbin/sshd" "$r/usr/sbin/sshd"
    add_libs "$r/usr/sbin/sshd"
    add_sudo "$r"
    add_module virtio_net
    ssh-keygen -q -t ed25519 -N '' -C irqlens-lab -f "$WORK/ssh/id_ed25519" || fail "ssh-keygen"
    ssh-keygen -q -t ed25519 -N '' -C irqlens-lab-host -f "$WORK/ssh/host_ed25519" || fail "ssh-keygen"
    install -m 600 "$WORK/ssh/id_ed25519.pub" "$home/.ssh/authorized_keys"
    install -m 600 "$WORK/ssh/host_ed25519" "$r/etc/ssh/ssh_host_ed25519_key"
    echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1-2 "$WORK/ssh/host_ed25519.pub")" >"$WORK/ssh/known_hosts"
    chmod 700 "$r/root" "$home/.ssh"
    printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'sshd:x:100:65534::/run/sshd:/bin/false' \
        "$REMOTE_USER:x:1000:1000:,,,:/home/$REMOTE_USER:/bin/sh" >"$r/etc/passwd"
    printf '%s\n' 'root:x:0:' "sudo:x:27:$REMOTE_USER" 'nogroup:x:65534:' \
        "$REMOTE_USER:x:1000:" >"$r/etc/group"
    printf '%s\n' '127.0.0.1	localhost' '127.0.1.1	raspberrypi' >"$r/etc/hosts"
    printf '%s\n' 'HostKey /etc/ssh/ssh_host_ed25519_key' 'PermitRootLogin no' \
        'PasswordAuthentication no' 'KbdInteractiveAuthentication no' 'UsePAM no' \
        'PrintMotd no' 'PrintLastLog no' 'PidFile /tmp/sshd.pid' >"$r/etc/ssh/sshd_config"
}

# A free TCP port on 127.0.0.1 for qemu's forwarding to the guest's sshd.
free_port() {
    local p
    for p in $(seq 10022 10122); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
    fail "no free TCP port in 10022-10122 for --remote-record"
}

find_cli() {
    [ -n "$CLI" ] || CLI=$(ls -t "$MODSRC"/../build/*/bin/irqlens-cli 2>/dev/null | head -1 || true)
    [ -x "$CLI" ] || fail "--remote-record needs irqlens-cli: build it (cmake --build build/dev --target irqlens-cli) or pass --cli PATH"
    command -v ssh >/dev/null || skip "--remote-record needs the ssh client (openssh-client)"
}

# The login itself, before irqlens: pi, and root through `sudo -n`.
check_login() {
    local cfg=$1 who
    who=$(timeout 120 ssh -F "$cfg" -o BatchMode=yes -p "$SSH_PORT" "$REMOTE_USER@127.0.0.1" \
        'id -un; sudo -n id -un' 2>"$WORK/ssh/login.err" | tr '\n' ' ')
    if [ "$who" = "$REMOTE_USER root " ]; then
        log "ssh $REMOTE_USER@127.0.0.1:$SSH_PORT: logged in as $REMOTE_USER, sudo -n gives root"
    else
        log "FAIL ssh $REMOTE_USER@127.0.0.1:$SSH_PORT: 'id -un; sudo -n id -un' said '$who'" \
            "($(tr '\n' ' ' <"$WORK/ssh/login.err"))"
        LOGIN_OK=""
    fi
}

# On the host, once the guest says remote-ready: record it over ssh for 2 s,
# IRQLENS_LAB_REMOTE_RUNS times (default 1; more to chase a flake): remote.dat,
# remote-2.dat, ...
remote_record() {
    local share=$1 cfg=$WORK/ssh/config target=$REMOTE_USER@127.0.0.1:$SSH_PORT i f t0 rc
    printf 'Host *\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  LogLevel ERROR\n' \
        "$WORK/ssh/id_ed25519" "$WORK/ssh/known_hosts" >"$cfg"
    LOGIN_OK=1
    check_login "$cfg"
    CHECK_RC=0
    IRQLENS_SSH_CONFIG=$cfg timeout 120 "$CLI" record --remote "$target" --check \
        >"$OUT/remote-check.txt" 2>&1 || CHECK_RC=$?
    REMOTE_RCS=() REMOTE_SECONDS=()
    for ((i = 1; i <= ${IRQLENS_LAB_REMOTE_RUNS:-1}; i++)); do
        f=$(remote_capture "$i")
        rm -f "$f" # a capture of an earlier run: irqlens-cli keeps existing files
        log "recording the guest over ssh: irqlens-cli record --remote $target --duration 2 -o $(basename "$f")"
        t0=$SECONDS rc=0
        IRQLENS_SSH_CONFIG=$cfg timeout 300 "$CLI" record --remote "$target" \
            -o "$f" --duration 2 -q >"${f%.dat}-record.log" 2>&1 || rc=$?
        REMOTE_RCS+=("$rc") REMOTE_SECONDS+=($((SECONDS - t0)))
    done
    touch "$share/remote-done"
}

remote_capture() { [ "$1" = 1 ] && echo "$OUT/remote.dat" || echo "$OUT/remote-$1.dat"; }

# Events per name in trace-cmd report's text (the word after the timestamp),
# and in `irqlens-cli summary --json` (event_counts, "system:name"), as
# "name count" lines.  function_graph events are left out: trace-cmd report
# folds a leaf function's entry and exit into one line.
report_counts() {
    awk '{ for (i = 1; i < NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { n[$(i + 1)]++; break } }
         END { for (k in n) print substr(k, 1, length(k) - 1), n[k] }' "$1" | grep -v '^funcgraph_' | sort
}
summary_counts() {
    awk '/"event_counts": \{\}/ { exit } /"event_counts": \{/ { on = 1; next } on && /\}/ { exit }
         on { gsub(/[",]/, ""); sub(/^ *[^:]*:/, ""); sub(/:/, ""); print }' "$1" |
        awk '{ n[$1] += $2 } END { for (k in n) print k, n[k] }' | grep -v '^funcgraph_' | sort
}

# The remote captures: GPIO IRQs of our module and as many workqueue bottom
# halves (+-1 at the window's edges) in trace-cmd report; the long size the
# file says (trace-cmd dump) is the guest's; irqlens-cli opens it and counts
# every event as trace-cmd report does.
check_remote() {
    local i ok=1
    [ -n "${LOGIN_OK:-}" ] || ok=""
    check_target_rows || ok=""
    command -v trace-cmd >/dev/null || { log "no host trace-cmd: remote captures not checked"; return 0; }
    for ((i = 1; i <= ${#REMOTE_RCS[@]}; i++)); do
        check_remote_capture "$(remote_capture "$i")" "${REMOTE_RCS[i - 1]}" "${REMOTE_SECONDS[i - 1]}" || ok=""
    done
    [ ${#REMOTE_RCS[@]} -gt 0 ] || { log "FAIL remote-record: the guest never said remote-ready"; ok=""; }
    [ -n "$ok" ]
}

# `irqlens-cli record --remote pi@... --check` (issue 19 item 4) saw the
# guest as it is: pi, root through sudo, the guest's word size for the kernel
# and its programs, our module loaded in mode=workqueue.
check_target_rows() {
    local f=$OUT/remote-check.txt bits=$((LONG_BYTES * 8))
    [ -f "$f" ] || return 1
    sed "s/^/run-lab[$ARCH]: --check /" "$f" >&2
    if [ "$CHECK_RC" = 0 ] && grep -q "^  logged in as: *$REMOTE_USER\$" "$f" &&
        grep -q "^  architecture: .*, $bits-bit kernel, $bits-bit programs\$" "$f" &&
        grep -q "^  irqlens module: *irqlens_gpio_irq loaded, mode=workqueue\$" "$f"; then
        log "PASS record --check: $REMOTE_USER, $bits-bit kernel and programs, module in mode=workqueue"
    else
        log "FAIL record --check (exit $CHECK_RC): expected $REMOTE_USER, $bits-bit kernel and programs, the module in mode=workqueue"
        return 1
    fi
}

# The traced machine as the capture stores it (summary --json): the guest's
# kernel release and machine, and the hostname guest-init.sh set.
check_target_in_capture() {
    local kernel machine host
    kernel=$(sed -n 's/^  "kernel": "\(.*\)",$/\1/p' "$1")
    machine=$(sed -n 's/^  "machine": "\(.*\)",$/\1/p' "$1")
    host=$(sed -n 's/^  "hostname": "\(.*\)",$/\1/p' "$1")
    TARGET_SAID="target $host, Linux $kernel $machine"
    if [ "$kernel" != "$KREL" ] || [ "$host" != raspberrypi ] || [ -z "$machine" ]; then
        TARGET_SAID+=" (expected raspberrypi, Linux $KREL)"
        return 1
    fi
}

# The guest's kernel statistics stored in the capture (trace-cmd report
# --stat, read after the stop): no entry left in the guest's buffers, and
# the events its readers took ("read events") are the events in the file
# (trace-cmd report's lines, REPORT).
# check_drained FILE REPORT
check_drained() {
    local stat=$WORK/remote.stat left taken events
    trace-cmd report --stat -i "$1" >"$stat" 2>/dev/null || { DRAINED_SAID="trace-cmd report --stat failed"; return 1; }
    left=$(awk '/^entries: [0-9]+$/ { n += $2; seen = 1 } END { if (seen) print n }' "$stat")
    taken=$(awk '/^read events: [0-9]+$/ { n += $3; seen = 1 } END { if (seen) print n }' "$stat")
    events=$(awk '{ for (i = 1; i < NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { n++; break } } END { print n + 0 }' "$2")
    DRAINED_SAID="${taken:-?} events read on the guest, ${left:-?} left in its buffers, $events in trace-cmd report"
    [ "$left" = 0 ] && [ "$taken" = "$events" ]
}

# check_remote_capture FILE IRQLENS_CLI_STATUS SECONDS
check_remote_capture() {
    local f=$1 tmp=$WORK/remote.report irqs bhs longs what ok=1 name
    name=$(basename "$f")
    if [ "$2" != 0 ] || [ ! -s "$f" ]; then
        sed "s/^/run-lab[$ARCH]: irqlens-cli: /" "${f%.dat}-record.log" >&2
        log "FAIL remote-record: irqlens-cli exited $2, no $name"
        return 1
    fi
    trace-cmd report -i "$f" >"$tmp" 2>/dev/null || { log "FAIL trace-cmd report $f"; return 1; }
    irqs=$(grep -c 'irq_handler_entry: *irq=[0-9]* name=irqlens-gpio' "$tmp")
    bhs=$(grep -c 'workqueue_execute_start: .*function irqlens_wq_bottom_half$' "$tmp")
    what="$name ($(stat -c %s "$f") bytes, $(grep -c . "$tmp") report lines, recorded in"
    what+=" ${3}s as $REMOTE_USER): $irqs GPIO IRQs, $bhs irqlens_wq_bottom_half work items"
    if [ "$irqs" = 0 ] || [ $((irqs - bhs)) -gt 1 ] || [ $((bhs - irqs)) -gt 1 ]; then ok=""; fi
    check_drained "$f" "$tmp" || ok=""
    what+=", $DRAINED_SAID"
    longs=$(trace-cmd dump -i "$f" 2>/dev/null | sed -n 's/^[[:space:]]*\([0-9]*\)[[:space:]]*\[Bytes in a long\]/\1/p')
    what+=", ${longs:-?}-byte longs"
    [ "$longs" = "$LONG_BYTES" ] || { ok=""; what+=" (the guest's are $LONG_BYTES)"; }
    if "$CLI" summary "$f" --json >"$WORK/remote.summary" 2>"$WORK/remote.summary.err"; then
        check_target_in_capture "$WORK/remote.summary" || ok=""
        what+=", $TARGET_SAID"
        report_counts "$tmp" >"$WORK/remote.counts.report"
        summary_counts "$WORK/remote.summary" >"$WORK/remote.counts.irqlens"
        if diff "$WORK/remote.counts.report" "$WORK/remote.counts.irqlens" >"$WORK/remote.counts.diff"; then
            what+=", irqlens-cli summary: $(wc -l <"$WORK/remote.counts.report") event types, counts = trace-cmd report"
        else
            ok=""
            what+=", irqlens-cli summary counts differ from trace-cmd report: $(tr '\n' ' ' <"$WORK/remote.counts.diff")"
        fi
    else
        ok=""
        what+=", irqlens-cli summary failed: $(head -1 "$WORK/remote.summary.err")"
    fi
    if [ -n "$ok" ]; then log "PASS remote-record $what"; else log "FAIL remote-record $what"; fi
    [ -n "$ok" ]
}
