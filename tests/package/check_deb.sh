#!/usr/bin/env bash
# check_deb.sh CPACK BUILD_DIR VERSION TRACE_CMD
# Builds irqlens_*.deb from BUILD_DIR into a temporary folder, then checks,
# with Debian's own tools: the file list, the computed Depends, that the MIME
# entry is accepted by update-mime-database, and that the programs extracted
# from the package run from there and agree with `trace-cmd report`.
set -euo pipefail
cpack=$1 build=$2 version=$3 trace_cmd=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb=$(ls "$tmp"/out/irqlens_"$version"_*.deb 2>/dev/null | head -n1)
[ -f "$deb" ] || fail "no irqlens_${version}_*.deb in $tmp/out"
echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes"

# 1. the files a user expects
dpkg-deb -c "$deb" | awk '{print $NF}' >"$tmp/files"
for f in ./usr/bin/irqlens ./usr/bin/irqlens-cli \
    ./usr/share/applications/irqlens.desktop \
    ./usr/share/icons/hicolor/scalable/apps/irqlens.svg \
    ./usr/share/mime/packages/irqlens.xml \
    ./usr/share/man/man1/irqlens.1.gz ./usr/share/man/man1/irqlens-cli.1.gz \
    ./usr/share/bash-completion/completions/irqlens-cli \
    ./usr/share/irqlens/samples/irq_wq.dat \
    ./usr/share/doc/irqlens/USER_GUIDE.md; do
    grep -qxF "$f" "$tmp/files" || fail "$f missing from dpkg-deb -c"
done

# 2. Depends computed by dpkg-shlibdeps names the runtime libraries
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for p in libtracecmd1 libtraceevent1 libtracefs1 libqt6widgets6 libqt6core6 libc6 libstdc++6; do
    [[ ", $depends," == *", $p "* || ", $depends," == *", $p,"* ]] || fail "Depends lacks $p"
done
dpkg -I "$deb" >"$tmp/info"
grep -q "^ Section: devel$" "$tmp/info" || fail "no Section in dpkg -I"
grep -q "^ Maintainer: .*@" "$tmp/info" || fail "no Maintainer in dpkg -I"
grep -q "^ Depends: .*libtracecmd1" "$tmp/info" || fail "dpkg -I shows no Depends on libtracecmd1"

# 3. unpack into a fresh root and run the programs from there
root=$tmp/root
dpkg-deb -x "$deb" "$root"
out=$("$root/usr/bin/irqlens-cli" --version)
[ "$out" = "irqlens-cli $version" ] || fail "irqlens-cli --version printed '$out'"
out=$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/irqlens" --version)
[[ $out == *"$version"* ]] || fail "irqlens --version printed '$out'"

sample=$root/usr/share/irqlens/samples/irq_wq.dat
"$root/usr/bin/irqlens-cli" summary "$sample" --json >"$tmp/summary.json"
report=$("$trace_cmd" report -i "$sample" 2>/dev/null)
for ev in irq_handler_entry softirq_raise workqueue_execute_start sched_switch; do
    expected=$(grep -cE "^ *\S.* $ev: " <<<"$report" || true)
    got=$(jq -r --arg e "$ev" '.event_counts | to_entries[] | select(.key | endswith(":" + $e)) | .value' \
        "$tmp/summary.json")
    [ "$expected" -gt 0 ] || fail "trace-cmd report shows no $ev"
    [ "$got" = "$expected" ] || fail "summary: $ev = '$got', trace-cmd report: $expected"
done
total_expected=$(grep -cE '^ *\S.*\[[0-9]+\] +[0-9.]+: ' <<<"$report" || true)
total=$(jq -r .events "$tmp/summary.json")
[ "$total" = "$total_expected" ] || fail "summary: $total events, trace-cmd report: $total_expected"

# 4. the man page carries every subcommand, the MIME entry is valid
for c in summary latency spans compare record; do
    zcat "$root/usr/share/man/man1/irqlens-cli.1.gz" | grep -q "^\.SS $c\$" ||
        fail "man page has no section for $c"
done
if command -v update-mime-database >/dev/null; then
    mkdir -p "$tmp/mime/packages"
    cp "$root/usr/share/mime/packages/irqlens.xml" "$tmp/mime/packages/"
    XDG_DATA_DIRS=$tmp update-mime-database "$tmp/mime" 2>"$tmp/mime.log" || fail "update-mime-database: $(cat "$tmp/mime.log")"
    [ ! -s "$tmp/mime.log" ] || fail "update-mime-database: $(cat "$tmp/mime.log")"
    grep -q 'application/x-trace-cmd' "$tmp/mime/types" || fail "MIME type not registered"
    grep -qa 'Dtracing' "$tmp/mime/magic" || fail "MIME magic not registered"
fi
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$root/usr/share/applications/irqlens.desktop" ||
        fail "desktop-file-validate rejects irqlens.desktop"
fi
echo "OK: $total events, files, Depends, man page and MIME entry checked"
