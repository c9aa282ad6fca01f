#!/usr/bin/env bash
# Compiles the Raspberry Pi overlay with dtc and applies it with fdtoverlay to
# the Pi 4B device tree built from Debian's linux-source (cached by the lab),
# then checks that the merged tree binds GPIO17, rising edge, to our driver.
# Usage: check-overlay.sh OVERLAY.dts     (exit 77: tools or sources missing)
set -uo pipefail
dts=$1
cache=${IRQLENS_LAB_CACHE:-/var/cache/irqlens-lab}
for t in dtc fdtoverlay fdtget cpp; do
    command -v $t >/dev/null || { echo "SKIP: $t not installed (apt-get install device-tree-compiler cpp)"; exit 77; }
done
tarball=$(ls "$cache"/x86_64/root/usr/src/linux-source-*.tar.xz 2>/dev/null | head -1)
[ -n "$tarball" ] || { echo "SKIP: no linux-source in $cache (run modules/lab/run-lab.sh once)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
top=$(basename "$tarball" .tar.xz)

# The Pi sources are kept next to the tarball (when writable): xz is slow.
srcroot=$cache/x86_64/pi-dts
[ -w "$cache/x86_64" ] || srcroot=$tmp/pi-dts
src=$srcroot/$top
if [ ! -f "$src/arch/arm/boot/dts/bcm2711-rpi-4-b.dts" ]; then
    mkdir -p "$srcroot"
    tar -xJf "$tarball" -C "$srcroot" --wildcards "$top/arch/arm/boot/dts/bcm*" "$top/include/dt-bindings/*" ||
        { echo "FAIL: cannot extract the Pi device tree sources from $tarball"; exit 1; }
fi
cpp -nostdinc -I "$src/include" -I "$src/arch/arm/boot/dts" -undef -x assembler-with-cpp \
    "$src/arch/arm/boot/dts/bcm2711-rpi-4-b.dts" >"$tmp/base.dts" &&
    dtc -@ -q -I dts -O dtb -o "$tmp/base.dtb" "$tmp/base.dts" ||
    { echo "FAIL: cannot build bcm2711-rpi-4-b.dtb"; exit 1; }
dtc -@ -I dts -O dtb -o "$tmp/overlay.dtbo" "$dts" || { echo "FAIL: dtc $dts"; exit 1; }
fdtoverlay -i "$tmp/base.dtb" -o "$tmp/merged.dtb" "$tmp/overlay.dtbo" ||
    { echo "FAIL: overlay does not apply to bcm2711-rpi-4-b"; exit 1; }

prop() { fdtget -t x "$tmp/merged.dtb" "$1" "$2"; }
node=/irqlens-gpio-irq
gpio_ph=$(fdtget -t x "$tmp/merged.dtb" /soc/gpio@7e200000 phandle)
fail=0
expect() { if [ "$2" = "$3" ]; then echo "ok   $1: $3"; else echo "FAIL $1: expected '$2', got '$3'"; fail=1; fi; }
expect compatible "irqlens,gpio-irq" "$(fdtget "$tmp/merged.dtb" $node compatible)"
expect irq-gpios "$gpio_ph 11 0" "$(prop $node irq-gpios)"
expect interrupt-parent "$gpio_ph" "$(prop $node interrupt-parent)"
expect "interrupts (GPIO17, rising)" "11 1" "$(prop $node interrupts)"
pins=$(fdtget -t x "$tmp/merged.dtb" $node pinctrl-0)
pinpath=$(fdtget "$tmp/merged.dtb" /__symbols__ irqlens_pins)
expect "pinctrl node" "$pins" "$(prop "$pinpath" phandle)"
expect "pin 17 input, pull-down" "11 0 1" \
    "$(prop "$pinpath" brcm,pins) $(prop "$pinpath" brcm,function) $(prop "$pinpath" brcm,pull)"
[ $fail = 0 ] && echo "PASS overlay applies to bcm2711-rpi-4-b and binds GPIO17 rising edge"
exit $fail
