#!/usr/bin/env bash
# The irqlens kernel-module lab: proves modules/irqlens_gpio_irq.c in a qemu
# guest (software emulation) and records one capture per bottom-half mode.
#
#   sudo modules/lab/run-lab.sh [--arch x86_64|arm64|armhf] [--toggles N] [--period-us P]
#                               [--modes "workqueue threaded tasklet" | none] [--out DIR]
#                               [--build-only] [--kernel linux-image-6.12-amd64]
#                               [--remote-record [--cli PATH/irqlens-cli]]
#
# --remote-record: after the modes, the guest also runs Debian's sshd and sudo
# behind qemu's port forwarding, with a user pi whose sudo needs no password
# (as on Raspberry Pi OS; no root login), and the host records it with
# `irqlens-cli record --remote pi@127.0.0.1:PORT` while the line toggles
# (mode=workqueue); remote.dat is checked with trace-cmd report and dump and
# opened with irqlens-cli summary (lab/remote.sh).  irqlens-cli: --cli,
# $IRQLENS_CLI, or build/*/bin/.
#
# Needs root to fill the cache (apt-get download/install, dpkg --add-architecture
# for arm64 and armhf); --build-only on a filled cache does not.
# Steps: fetch a Debian kernel image + headers + linux-source (apt-get download,
# dpkg-deb -x, cached in $IRQLENS_LAB_CACHE, default /var/cache/irqlens-lab);
# build gpio-sim and irq_sim out of tree (Debian's kernel has neither); build
# our module with warnings as errors; pack an initramfs (busybox-static,
# trace-cmd and its libraries from Debian packages, the modules, guest-init.sh);
# boot qemu with TCG; copy the captures out through 9p; check them.
# Exit status: 0 PASS, 1 FAIL, 77 cannot run here (no qemu / no packages).
set -euo pipefail

ARCH=${IRQLENS_LAB_ARCH:-x86_64}
TOGGLES=${IRQLENS_LAB_TOGGLES:-200}
PERIOD_US=${IRQLENS_LAB_PERIOD_US:-10000}
MODES=${IRQLENS_LAB_MODES:-"workqueue threaded tasklet"}
CACHE=${IRQLENS_LAB_CACHE:-/var/cache/irqlens-lab}
OUT=""
BUILD_ONLY=""
KERNEL=${IRQLENS_LAB_KERNEL:-}
BOOT_TIMEOUT=${IRQLENS_LAB_TIMEOUT:-900}
HERE=$(cd "$(dirname "$0")" && pwd)
MODSRC=$(dirname "$HERE")
REMOTE=""
OWN_MODPOST="" # set per architecture below
CLI=${IRQLENS_CLI:-}

while [ $# -gt 0 ]; do
    case $1 in
    --arch) ARCH=$2; shift 2 ;;
    --toggles) TOGGLES=$2; shift 2 ;;
    --period-us) PERIOD_US=$2; shift 2 ;;
    --modes) MODES=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --build-only) BUILD_ONLY=1; shift ;;
    --kernel) KERNEL=$2; shift 2 ;;
    --remote-record) REMOTE=1; shift ;;
    --cli) CLI=$2; shift 2 ;;
    -h | --help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "run-lab: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

# --modes none: no mode recorded (for --remote-record alone).
[ "$MODES" != none ] || MODES=""
log() { echo "run-lab[$ARCH]: $*" >&2; }
skip() { echo "run-lab[$ARCH]: SKIP: $*" >&2; exit 77; }
fail() { echo "run-lab[$ARCH]: FAIL: $*" >&2; exit 1; }

KERNEL_ARGS=""
case $ARCH in
x86_64)
    DEBARCH=amd64 KFLAVOUR=amd64 KARCH=x86 TRIPLET=x86_64-linux-gnu CROSS=""
    QEMU=qemu-system-x86_64 QEMU_PKG=qemu-system-x86
    QEMU_MACHINE=(-M q35 -cpu qemu64)
    CONSOLE=ttyS0 EXTRA_EVENTS="-e irq_vectors" LONG_BYTES=8
    # no_timer_check: under TCG on busy cores the kernel's check that the
    # timer IRQ works through the IO-APIC fails now and then and the boot
    # takes a slower, flaky path ("..MP-BIOS bug: 8254 timer not connected").
    KERNEL_ARGS=no_timer_check
    ;;
arm64)
    DEBARCH=arm64 KFLAVOUR=arm64 KARCH=arm64 TRIPLET=aarch64-linux-gnu CROSS=aarch64-linux-gnu-
    QEMU=qemu-system-aarch64 QEMU_PKG=qemu-system-arm
    QEMU_MACHINE=(-M virt -cpu cortex-a72)
    CONSOLE=ttyAMA0 EXTRA_EVENTS="-e ipi" LONG_BYTES=8
    ;;
armhf) # 32-bit ARM like a Pi 2/3/Zero 2 on 32-bit Raspberry Pi OS: Debian's armmp kernel
    DEBARCH=armhf KFLAVOUR=armmp KARCH=arm TRIPLET=arm-linux-gnueabihf CROSS=arm-linux-gnueabihf-
    OWN_MODPOST=1 # see build_modpost
    QEMU=qemu-system-arm QEMU_PKG=qemu-system-arm
    # highmem=off: the PCIe ECAM above 4 GB conflicts in a kernel without LPAE
    # ("pci-host-generic: can't claim ECAM area"), leaving no virtio devices.
    # shellcheck disable=SC2054 # one qemu option value
    QEMU_MACHINE=(-M virt,highmem=off -cpu cortex-a15)
    CONSOLE=ttyAMA0 EXTRA_EVENTS="-e ipi" LONG_BYTES=4
    ;;
*) echo "run-lab: --arch must be x86_64, arm64 or armhf, not '$ARCH'" >&2; exit 2 ;;
esac

# shellcheck source=modules/lab/remote.sh
. "$HERE/remote.sh"

need_root() { [ "$(id -u)" = 0 ] || skip "needs root to $*; run with sudo"; }
command -v apt-get >/dev/null || skip "no apt-get: the lab needs Debian's archive"

ACACHE=$CACHE/$ARCH
OUT=${OUT:-$ACACHE/out}
mkdir -p "$ACACHE/debs" "$ACACHE/root" "$ACACHE/guest" "$OUT" 2>/dev/null ||
    skip "cannot write the cache $ACACHE or $OUT (run as root, or set IRQLENS_LAB_CACHE)"
# A work folder per run (ctest may run two at once); kept only on failure.
WORK=$(mktemp -d "$ACACHE/work.XXXXXX")
trap 'rc=$?; if [ $rc = 0 ] || [ $rc = 77 ]; then rm -rf "$WORK"; else echo "run-lab[$ARCH]: logs kept in $WORK" >&2; fi' EXIT
T_START=$(date +%s)

# ---- host tools --------------------------------------------------------------
host_tools() {
    local need=()
    [ -n "$BUILD_ONLY" ] || command -v "$QEMU" >/dev/null || need+=("$QEMU_PKG")
    command -v cpio >/dev/null || need+=(cpio)
    command -v gcc-12 >/dev/null || need+=(gcc-12)
    command -v make >/dev/null || need+=(make)
    [ -z "$CROSS" ] || command -v "${CROSS}gcc-12" >/dev/null || need+=("gcc-12-${CROSS%-}")
    [ ${#need[@]} = 0 ] && return 0
    [ -n "${IRQLENS_LAB_NO_INSTALL:-}" ] && skip "missing host packages: ${need[*]}"
    need_root "install ${need[*]}"
    log "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" \
        >"$WORK/apt-install.log" 2>&1 || skip "cannot install ${need[*]} (see $WORK/apt-install.log)"
}

# ---- Debian packages -----------------------------------------------------------
ensure_foreign_arch() {
    [ "$DEBARCH" = "$(dpkg --print-architecture)" ] && return 0
    # grep without -q reads to the end: an early exit would make the writer die
    # of SIGPIPE, and pipefail turn a match into a failure.
    dpkg --print-foreign-architectures | grep -x "$DEBARCH" >/dev/null && return 0
    need_root "add the $DEBARCH architecture to dpkg"
    log "dpkg --add-architecture $DEBARCH"
    dpkg --add-architecture "$DEBARCH"
    apt-get update -q >"$WORK/apt-update.log" 2>&1 || skip "apt-get update failed for $DEBARCH"
}

# fetch_debs DIR PKG... : apt-get download into the cache, once per file.
fetch_debs() {
    local dir=$1; shift
    mkdir -p "$dir"
    local missing=()
    for p in "$@"; do
        local base=${p%%:*}
        ls "$dir/${base}_"*.deb >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} = 0 ] && return 0
    need_root "download ${missing[*]} into $dir"
    log "apt-get download ${missing[*]}"
    (cd "$dir" && apt-get download "${missing[@]}") >"$WORK/apt-download.log" 2>&1 ||
        skip "apt-get download ${missing[*]} failed (see $WORK/apt-download.log)"
}

# unpack DIR DEST : dpkg-deb -x every .deb of DIR into DEST once.
unpack() {
    local d
    for d in "$1"/*.deb; do
        [ -e "$2/.unpacked-$(basename "$d")" ] && continue
        dpkg-deb -x "$d" "$2"
        touch "$2/.unpacked-$(basename "$d")"
    done
}

# `apt-cache depends PKG`, kept in the cache until apt's package lists change:
# where apt's own pkgcache is turned off (Docker images) every call parses
# every list, 3-8 s a call here with three architectures.
apt_depends() {
    local stamp kept
    stamp=$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -printf '%T@\n' 2>/dev/null |
        sort -n | tail -1)
    kept=$ACACHE/apt-depends/$1.${stamp:-none}
    if [ -n "$stamp" ] && [ -s "$kept" ]; then
        cat "$kept"
        return 0
    fi
    apt-cache depends "$1" >"$WORK/apt-depends" 2>/dev/null || return 1
    if [ -n "$stamp" ]; then
        mkdir -p "$ACACHE/apt-depends"
        cp "$WORK/apt-depends" "$kept"
    fi
    cat "$WORK/apt-depends"
}

# The kernel: a meta package (default linux-image-<arch>; e.g. linux-image-6.12-amd64)
# or an exact linux-image-<release> package, from --kernel or IRQLENS_LAB_KERNEL.
kernel_packages() {
    local want=${KERNEL:-linux-image-$KFLAVOUR} dep deps
    dep=$(apt_depends "$want:$DEBARCH") || skip "apt-cache knows no $want for $DEBARCH"
    dep=$(awk '/Depends: linux-image-[0-9]/{print $2; exit}' <<<"$dep")
    KPKG=${dep:-$want}
    KPKG=${KPKG%%:*}
    KREL=${KPKG#linux-image-}                                  # 6.1.0-NN-amd64
    KSERIES=$(grep -oE '^[0-9]+\.[0-9]+' <<<"$KREL")            # 6.1
    # The headers' own dependencies name the common headers and kbuild package;
    # kbuild (fixdep, modpost) must run on this host, so it is taken native.
    deps=$(apt_depends "linux-headers-$KREL:$DEBARCH" || true)
    deps=$(tr -d '<>' <<<"$deps" | awk '/Depends: linux-(headers|kbuild)-/{print $2}' | sed 's/:.*//')
    [ -n "$deps" ] || skip "apt-cache knows no linux-headers-$KREL for $DEBARCH"
    # shellcheck disable=SC2206
    local pkgs=("linux-headers-$KREL:$DEBARCH" $deps)
    [ -n "$BUILD_ONLY" ] || pkgs+=("$KPKG:$DEBARCH")
    [ -n "$BUILD_ONLY" ] && [ -z "$OWN_MODPOST" ] || pkgs+=("linux-source-$KSERIES")
    fetch_debs "$ACACHE/debs" "${pkgs[@]}"
    unpack "$ACACHE/debs" "$ACACHE/root"
    KDIR=$ACACHE/root/usr/src/linux-headers-$KREL
    SRC_TAR=$ACACHE/root/usr/src/linux-source-$KSERIES.tar.xz
    MODDIR=$ACACHE/root/lib/modules/$KREL
    VMLINUZ=$ACACHE/root/boot/vmlinuz-$KREL
    [ -f "$KDIR/Makefile" ] || fail "kernel headers unpacked without $KDIR/Makefile"
    # The headers' Makefile includes the common part by absolute path.
    sed -i "s#^include /usr/src/#include $ACACHE/root/usr/src/#" "$KDIR/Makefile"
    [ -n "$BUILD_ONLY" ] || [ -f "$VMLINUZ" ] || fail "kernel package unpacked without $VMLINUZ"
}

guest_packages() {
    fetch_debs "$ACACHE/guest-debs" "busybox-static:$DEBARCH" "trace-cmd:$DEBARCH" \
        "libtraceevent1:$DEBARCH" "libtracefs1:$DEBARCH" "libzstd1:$DEBARCH" "libc6:$DEBARCH"
    [ -z "$REMOTE" ] || remote_guest_packages
    unpack "$ACACHE/guest-debs" "$ACACHE/guest"
}

# ---- builds ------------------------------------------------------------------
# No BTF for our modules: it needs pahole and a vmlinux, and nothing here uses it.
kmake() {
    make -C "$KDIR" ARCH="$KARCH" CROSS_COMPILE="$CROSS" M="$1" CONFIG_DEBUG_INFO_BTF_MODULES= \
        ${MODPOST_BIN:+MODPOST="$MODPOST_BIN"} "${@:2}" modules
}

# Debian's linux-kbuild-6.1 (amd64) runs its modpost.real-lsb-32 for 32-bit
# modules, but that binary knows the 64-bit device-table layout (it expects
# sizeof(struct of_device_id) = 200, an armhf module has 196) and rejects any
# module with an of_device_id table, ours included.  For armhf, modpost is
# built from linux-source by kbuild itself, scripts/mod taken as an external
# folder: the program with the host's compiler, its devicetable-offsets.h and
# elfconfig.h from the target compiler's output.  Once per kernel, in the cache.
build_modpost() {
    local dir=$ACACHE/modpost-$KREL src=linux-source-$KSERIES
    if [ ! -x "$dir/scripts/mod/modpost" ]; then
        log "building modpost for 32-bit modules from $(basename "$SRC_TAR")"
        rm -rf "$dir"
        mkdir -p "$dir"
        # scripts/include (its hashtable.h, list.h) since 6.12, module_symbol.h
        # since 6.3: tar says which of the names a release lacks, and goes on.
        tar -xJf "$SRC_TAR" -C "$dir" --strip-components=1 "$src/scripts/mod" "$src/scripts/include" \
            "$src/include/linux/"{license.h,mod_devicetable.h,module_symbol.h} 2>"$WORK/tar-modpost.log" || true
        [ -f "$dir/scripts/mod/modpost.c" ] || { cat "$WORK/tar-modpost.log"; fail "no scripts/mod in $SRC_TAR"; }
        # shellcheck disable=SC2016 # a make variable, for make
        echo 'HOST_EXTRACFLAGS += -I$(src)/../include' >>"$dir/scripts/mod/Makefile"
        kmake "$dir/scripts/mod" >"$WORK/build-modpost.log" 2>&1 ||
            { tail -20 "$WORK/build-modpost.log"; rm -rf "$dir"; fail "modpost build for $ARCH"; }
    fi
    MODPOST_BIN=$dir/scripts/mod/modpost
}

# gpio-sim and irq_sim from linux-source, with one shim: irq_sim calls
# handle_simple_irq(irq_to_desc()) but irq_to_desc is not exported to modules;
# generic_handle_irq() does the same lookup and is exported.  The .ko files
# are kept in the cache per kernel and per version of this recipe (a hash of
# this function), which saves 15-20 s a run.
build_sim() {
    local src=$ACACHE/linux-source-$KSERIES
    local files=(drivers/gpio/gpio-sim.c drivers/gpio/gpiolib.h kernel/irq/irq_sim.c)
    local kept
    kept=$ACACHE/sim-$KREL-$(declare -f build_sim | sha1sum | cut -c1-12)
    mkdir -p "$WORK/sim"
    if [ -f "$kept/gpio-sim.ko" ]; then
        cp "$kept"/*.ko "$WORK/sim/"
        return 0
    fi
    if [ ! -f "$src/kernel/irq/irq_sim.c" ]; then
        log "extracting gpio-sim and irq_sim from $(basename "$SRC_TAR")"
        flock 9
        tar -xJf "$SRC_TAR" -C "$ACACHE" "${files[@]/#/linux-source-$KSERIES/}"
        flock -u 9
    fi
    cp "$src/drivers/gpio/gpio-sim.c" "$src/drivers/gpio/gpiolib.h" "$src/kernel/irq/irq_sim.c" "$WORK/sim/"
    sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' "$WORK/sim/irq_sim.c"
    grep -q 'generic_handle_irq(irqnum)' "$WORK/sim/irq_sim.c" || fail "irq_sim.c shim did not apply"
    sed -i '1a #include <linux/module.h>' "$WORK/sim/irq_sim.c"
    echo 'MODULE_LICENSE("GPL");' >>"$WORK/sim/irq_sim.c"
    echo 'obj-m := irq_sim.o gpio-sim.o' >"$WORK/sim/Kbuild"
    kmake "$WORK/sim" >"$WORK/build-sim.log" 2>&1 || { tail -20 "$WORK/build-sim.log"; fail "gpio-sim build"; }
    mkdir -p "$WORK/sim-kept"
    cp "$WORK/sim"/*.ko "$WORK/sim-kept/"
    mv -T "$WORK/sim-kept" "$kept" 2>/dev/null || true # a parallel run may have kept its own
}

build_module() {
    mkdir -p "$WORK/irqlens"
    cp "$MODSRC/irqlens_gpio_irq.c" "$MODSRC/Kbuild" "$WORK/irqlens/"
    kmake "$WORK/irqlens" W=1 IRQLENS_WERROR=y >"$WORK/build-module.log" 2>&1 ||
        { tail -20 "$WORK/build-module.log"; fail "irqlens_gpio_irq build (warnings are errors)"; }
}

# ---- initramfs -----------------------------------------------------------------
ko_depends() { tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | tr ',' ' '; }

ko_path() {
    local n=$1 f
    for f in "$WORK/sim/$n.ko" "$WORK/sim/${n//_/-}.ko"; do [ -f "$f" ] && { echo "$f"; return; }; done
    f=$(find "$MODDIR/kernel" \( -name "$n.ko" -o -name "${n//_/-}.ko" \) -print -quit)
    [ -n "$f" ] || fail "module $n not found in $MODDIR"
    echo "$f"
}

# Adds module $1 after its dependencies to modules.order (depth first).
add_module() {
    local n=${1//-/_} d f
    grep -qx "$n" "$WORK/initramfs/modules.order" 2>/dev/null && return 0
    f=$(ko_path "$n")
    for d in $(ko_depends "$f"); do add_module "$d"; done
    cp "$f" "$WORK/initramfs/modules/$n.ko"
    echo "$n" >>"$WORK/initramfs/modules.order"
}

# Copies an ELF binary's shared libraries (DT_NEEDED, recursively); one
# that its RUNPATH finds in the initramfs already (sudo's libsudo_util) stays.
add_libs() {
    local lib path runpath
    runpath=$(readelf -d "$1" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')
    for lib in $(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        [ -e "$WORK/initramfs/lib/$TRIPLET/$lib" ] && continue
        [ -n "$runpath" ] && [ -e "$WORK/initramfs$runpath/$lib" ] && continue
        path=$(find "$ACACHE/guest/lib/$TRIPLET" "$ACACHE/guest/usr/lib/$TRIPLET" -name "$lib" -print -quit 2>/dev/null)
        [ -n "$path" ] || fail "guest library $lib (for $(basename "$1")) not in the packages"
        cp -L "$path" "$WORK/initramfs/lib/$TRIPLET/$lib"
        add_libs "$path"
    done
}

make_initramfs() {
    local r=$WORK/initramfs interp
    mkdir -p "$r"/{bin,usr/bin,modules,proc,sys,dev,tmp,mnt,lib/"$TRIPLET",lib64}
    cp "$ACACHE/guest/bin/busybox" "$r/bin/busybox"
    cp "$ACACHE/guest/usr/bin/trace-cmd" "$r/usr/bin/trace-cmd"
    add_libs "$r/usr/bin/trace-cmd"
    interp=$(readelf -l "$r/usr/bin/trace-cmd" | sed -n 's/.*interpreter: \(.*\)]/\1/p')
    mkdir -p "$r$(dirname "$interp")"
    cp -L "$ACACHE/guest/lib/$TRIPLET/$(basename "$interp")" "$r$interp"
    for m in virtio_pci 9pnet_virtio 9p configfs gpio-sim; do add_module "$m"; done
    [ -z "$REMOTE" ] || add_remote_login "$r"
    cp "$WORK/irqlens/irqlens_gpio_irq.ko" "$r/"
    install -m 755 "$HERE/guest-init.sh" "$r/init"
    printf 'TOGGLES=%s\nPERIOD_US=%s\nMODES="%s"\nEXTRA_EVENTS="%s"\nDEBUG="%s"\nREMOTE="%s"\n' \
        "$TOGGLES" "$PERIOD_US" "$MODES" "$EXTRA_EVENTS" "${IRQLENS_LAB_DEBUG:-}" "$REMOTE" >"$r/lab.conf"
    # Every file root's, whoever runs the lab (sudo must be setuid root).
    (cd "$r" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$WORK/initramfs.cpio.gz"
}

# The captures are named as in samples/: wq.dat, threaded.dat, tasklet.dat.
sample_name() { [ "$1" = workqueue ] && echo wq || echo "$1"; }

# ---- guest -------------------------------------------------------------------
# With IRQLENS_LAB_DEBUG=1 the guest is booted with a qemu monitor on two
# FIFOs, without KASLR and with every sysrq allowed, and copies its
# /proc/kallsyms to the share: when the guest stalls (no console output for
# IRQLENS_LAB_STALL seconds; its debug ticker prints every 20 s) or reports a
# lockup, dump_guest writes each vCPU's instruction pointer (by symbol) and
# the kernel's sysrq dumps into the console log before the guest is stopped.
DEBUG_APPEND=""
if [ -n "${IRQLENS_LAB_DEBUG:-}" ]; then
    DEBUG_APPEND="nokaslr sysrq_always_enabled softlockup_all_cpu_backtrace=1"
fi

# monitor CMD [SECONDS]: one HMP command, then wait (a FIFO write with no
# reader would block, hence the timeout).
monitor() { timeout 5 sh -c 'echo "$1" >"$2"' - "$1" "$WORK/mon.in"; sleep "${2:-1}"; }

# Symbol of each "RIP=..." in the monitor log, by /proc/kallsyms of the guest
# (16-digit lowercase hex compares as text).
symbolize_rips() {
    local syms=$1
    grep -o 'RIP=[0-9a-f]\{16\}' "$WORK/monitor.log" | cut -d= -f2 |
        while read -r rip; do
            awk -v rip="$rip" '$1 <= rip && ($2 == "t" || $2 == "T") { best = $3 " " $4 }
                               END { print "  RIP " rip " " best }' "$syms"
        done
}

dump_guest() {
    local why=$1 share=$2
    log "debug: guest $why; dumping vCPU state and sysrq l/w/t into $OUT/console.log"
    : >"$WORK/monitor.log"
    for _ in 1 2 3 4 5; do monitor "info registers -a" 1; done
    monitor "sendkey alt-sysrq-l" 15
    monitor "sendkey alt-sysrq-w" 15
    monitor "sendkey alt-sysrq-t" 30
    sort -u -o "$WORK/kallsyms.sorted" "$share/kallsyms" 2>/dev/null || true
    {
        echo "=== run-lab debug: vCPU instruction pointers ($why), 5 samples 1 s apart"
        if [ -s "$WORK/kallsyms.sorted" ]; then symbolize_rips "$WORK/kallsyms.sorted"
        else grep -o 'RIP=[0-9a-f]*' "$WORK/monitor.log"; fi
    } | tee -a "$OUT/console.log" >&2
    cp "$WORK/monitor.log" "$OUT/monitor.log"
}

# One boot of the guest.  Returns qemu's status, or 125 when the guest
# reported a soft lockup or RCU stall: such a boot rarely finishes, so it is
# stopped at once instead of after the timeout.  (The lockups seen before the
# trace-cmd -k fix in guest-init.sh came from ftrace patching every kernel
# function under TCG; see modules/README.md.)  With IRQLENS_LAB_DEBUG=1 a
# guest that prints nothing for IRQLENS_LAB_STALL s is dumped and stopped too.
run_qemu_once() {
    local share=$1 mon=(-monitor none) net=() remote_started=""
    # shellcheck disable=SC2054 # qemu's option values are comma lists
    [ -z "$REMOTE" ] || net=(-netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$SSH_PORT-:22"
        -device virtio-net-pci,netdev=n0)
    if [ -n "${IRQLENS_LAB_DEBUG:-}" ]; then
        rm -f "$WORK/mon.in" "$WORK/mon.out"
        mkfifo "$WORK/mon.in" "$WORK/mon.out"
        # shellcheck disable=SC2054
        mon=(-chardev "pipe,id=mon,path=$WORK/mon" -mon chardev=mon,mode=readline)
    fi
    timeout "$BOOT_TIMEOUT" "$QEMU" -accel "${IRQLENS_LAB_ACCEL:-tcg}" "${QEMU_MACHINE[@]}" -smp "${IRQLENS_LAB_SMP:-2}" -m 512 \
        -kernel "$VMLINUZ" -initrd "$WORK/initramfs.cpio.gz" \
        -append "console=$CONSOLE panic=-1 ${IRQLENS_LAB_KERNEL_LOG:-quiet loglevel=4} $KERNEL_ARGS $DEBUG_APPEND" \
        -fsdev "local,id=out,path=$share,security_model=none" \
        -device virtio-9p-pci,fsdev=out,mount_tag=out \
        "${net[@]}" -display none -serial "file:$OUT/console.log" "${mon[@]}" -no-reboot \
        >"$WORK/qemu.log" 2>&1 &
    local pid=$! reader="" size=0 last=$SECONDS now
    if [ -n "${IRQLENS_LAB_DEBUG:-}" ]; then
        cat "$WORK/mon.out" >>"$WORK/monitor.log" &
        reader=$!
    fi
    while kill -0 "$pid" 2>/dev/null; do
        if [ -n "$REMOTE" ] && [ -z "$remote_started" ] &&
            grep -q 'IRQLENS-LAB: remote-ready' "$OUT/console.log" 2>/dev/null; then
            remote_started=1
            remote_record "$share"
        fi
        if grep -q -e 'soft lockup' -e 'self-detected stall' "$OUT/console.log" 2>/dev/null; then
            [ -z "$reader" ] || dump_guest "reported a lockup" "$share"
            kill "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
            [ -z "$reader" ] || kill "$reader" 2>/dev/null
            return 125
        fi
        now=$(stat -c %s "$OUT/console.log" 2>/dev/null || echo 0)
        [ "$now" = "$size" ] || { size=$now; last=$SECONDS; }
        if [ -n "$reader" ] && [ $((SECONDS - last)) -ge "${IRQLENS_LAB_STALL:-120}" ]; then
            dump_guest "printed nothing for $((SECONDS - last)) s" "$share"
            kill "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
            kill "$reader" 2>/dev/null
            return 124
        fi
        sleep 2
    done
    [ -z "$reader" ] || kill "$reader" 2>/dev/null
    wait "$pid"
}

boot_guest() {
    local share=$WORK/share
    mkdir -p "$share"
    log "booting $QEMU (TCG), $TOGGLES toggles every $PERIOD_US us, modes: ${MODES:-none}"
    # One boot by default: a lockup is a bug to look at, not noise to retry.
    local t0=$SECONDS rc=0 try tries=${IRQLENS_LAB_TRIES:-1}
    for ((try = 1; ; try++)); do
        rm -f "$share"/*.dat "$share/results.txt" "$OUT/console.log"
        rc=0
        run_qemu_once "$share" || rc=$?
        [ $rc = 125 ] && [ "$try" -lt "$tries" ] || break
        mv "$OUT/console.log" "$OUT/console-lockup-$try.log"
        log "guest locked up (see $OUT/console-lockup-$try.log): boot $((try + 1)) of $tries"
        t0=$SECONDS
    done
    [ $rc = 125 ] && fail "guest reported a soft lockup / RCU stall (boots: $tries; see $OUT/console.log)"
    GUEST_SECONDS=$((SECONDS - t0))
    [ $rc = 124 ] && fail "guest did not finish within ${BOOT_TIMEOUT}s or stalled (see $OUT/console.log)"
    [ $rc = 0 ] || { cat "$WORK/qemu.log" >&2; fail "$QEMU exited with $rc"; }
    for m in $MODES; do
        [ -f "$share/$m.dat" ] && mv "$share/$m.dat" "$OUT/$(sample_name "$m").dat"
    done
    [ -f "$share/results.txt" ] && mv "$share/results.txt" "$OUT/results.txt"
    grep 'IRQLENS-LAB' "$OUT/console.log" >&2 || true
}

# Independent check on the host: trace-cmd report counts (check-captures.sh).
check_captures() {
    [ -n "$MODES" ] || return 0
    command -v trace-cmd >/dev/null || { log "no host trace-cmd: capture check skipped"; return 0; }
    local names=() m
    local bottoms
    # The guest's bottom-half counts (fewer than N when edges were coalesced).
    for m in $MODES; do
        bottoms=$(sed -n "s/.*counters mode=$m .*bottom_halves=\([0-9]*\).*/\1/p" "$OUT/results.txt" 2>/dev/null | head -1)
        names+=("$(sample_name "$m")${bottoms:+:$bottoms}")
    done
    local rc=0
    "$HERE/check-captures.sh" "$OUT" "$TOGGLES" "${names[@]}" >"$OUT/check-captures.log" 2>&1 || rc=$?
    grep -E '^(FAIL|PASS|==)' "$OUT/check-captures.log" | sed "s/^/run-lab[$ARCH]: /" >&2
    return $rc
}

# One run at a time fills the cache.
exec 9>"$ACACHE/.lock"
flock 9
host_tools
# qemu present but unable to emulate (e.g. a build without TCG): say so, skip.
[ -n "$BUILD_ONLY" ] || "$QEMU" -accel help 2>/dev/null | grep -x tcg >/dev/null ||
    skip "$QEMU does not run here or has no TCG (software emulation): $("$QEMU" --version 2>&1 | head -1)"
ensure_foreign_arch
kernel_packages
[ -z "$OWN_MODPOST" ] || build_modpost
[ -n "$BUILD_ONLY" ] || guest_packages
flock -u 9
T_FETCH=$(($(date +%s) - T_START))
build_module
if [ -n "$BUILD_ONLY" ]; then
    echo "run-lab[$ARCH]: PASS built irqlens_gpio_irq.ko against $KREL with W=1 -Werror" \
        "($(stat -c %s "$WORK/irqlens/irqlens_gpio_irq.ko") bytes)"
    exit 0
fi
build_sim
if [ -n "$REMOTE" ]; then
    find_cli
    SSH_PORT=${IRQLENS_LAB_SSH_PORT:-$(free_port)}
fi
make_initramfs
T_BUILD=$(($(date +%s) - T_START - T_FETCH))
boot_guest
verdict=PASS
grep -q 'IRQLENS-LAB: PASS all' "$OUT/console.log" || verdict=FAIL
check_captures || verdict=FAIL
[ -z "$REMOTE" ] || check_remote || verdict=FAIL
echo "run-lab[$ARCH]: $verdict ($KREL, modes: ${MODES:-none}, $TOGGLES toggles; fetch ${T_FETCH}s, build ${T_BUILD}s," \
    "guest ${GUEST_SECONDS}s; captures in $OUT)"
[ $verdict = PASS ]
