#!/usr/bin/env bash
# mkiso.sh OUT.ISO GRUB.CFG KERNEL.ELF [MODULE...] - a GRUB (BIOS) bootable ISO with the kernel
# at /boot/kernel.elf and any modules under /boot/modules. Used by the build and by the tests.
set -euo pipefail
out=$1 cfg=$2 kernel=$3; shift 3
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub" "$stage/boot/modules"
cp "$cfg" "$stage/boot/grub/grub.cfg"
cp "$kernel" "$stage/boot/kernel.elf"
for m in "$@"; do cp "$m" "$stage/boot/modules/"; done
if ! grub-mkrescue -o "$out" "$stage" >"$stage.log" 2>&1; then
    cat "$stage.log" >&2; rm -f "$stage.log"; exit 1
fi
rm -f "$stage.log"
