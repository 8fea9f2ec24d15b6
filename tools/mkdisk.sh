#!/usr/bin/env bash
# mkdisk.sh OUT.img SIZE_MB [HOST_DIR] - builds NanoNT's system volume image with mkfs.fat: FAT32
# from 33 MB up, FAT16 below (the small copy the ISO carries, which GRUB inflates at boot)
# and mtools: \Windows\System32, \Apps, \Tests and a README.TXT saying what the volume is; the
# tree under HOST_DIR (if given) is copied in on top, long names and all.
# mkdisk.sh --update IMG HOST_DIR - copies the tree into an existing image (what programs wrote
# there stays): how a rebuilt system file reaches the disk `make run` uses.
set -euo pipefail
export MTOOLS_SKIP_CHECK=1

copy_tree() {   # copy_tree IMG DIR: directories first (mmd fails on existing ones), then files
    (cd "$2" && find . -mindepth 1 -type d -printf '%P\n') | sort | while IFS= read -r d; do
        mmd -i "$1" "::/$d" 2>/dev/null || true
    done
    (cd "$2" && find . -type f -printf '%P\n') | while IFS= read -r f; do
        mcopy -o -i "$1" "$2/$f" "::/$f"
    done
}

if [ "${1:-}" = --update ]; then
    if [ $# -ne 3 ] || [ ! -f "$2" ] || [ ! -d "$3" ]; then
        echo "usage: $0 --update IMG HOST_DIR (an existing image and directory)" >&2
        exit 2
    fi
    copy_tree "$2" "$3"
    fsck.fat -n "$2" >/dev/null
    exit 0
fi
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 OUT.img SIZE_MB [HOST_DIR]" >&2
    exit 2
fi
out=$1 size=$2 src=${3:-}
case $size in ''|*[!0-9]*) echo "mkdisk: SIZE_MB must be a number" >&2; exit 2;; esac
# FAT32 needs at least 65525 clusters: 33 MiB with 512-byte clusters. Smaller volumes are FAT16
# (at least 4085 clusters: 4 MB will do).
if [ "$size" -lt 4 ]; then echo "mkdisk: a volume needs at least 4 MB" >&2; exit 2; fi
fat=32
if [ "$size" -lt 33 ]; then fat=16; fi
if [ -n "$src" ] && [ ! -d "$src" ]; then echo "mkdisk: $src is not a directory" >&2; exit 2; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
img="$tmp/disk.img"
# One sector per cluster on FAT16, so that a small volume still has the clusters FAT16 needs.
clusters=""
if [ "$fat" = 16 ]; then clusters="-s 1"; fi
mkfs.fat -F $fat $clusters -n NANONT -C "$img" $((size * 1024)) >/dev/null
mmd -i "$img" ::/Windows ::/Windows/System32 ::/Apps ::/Tests
printf 'NanoNT system volume (FAT32).\r\n\r\n\\Windows\\System32  system DLLs and programs (ntdll, kernel32, smss, csrss, ...)\r\n\\Apps              applications\r\n\\Tests             test programs run by the system tests\r\n\r\nBuilt by tools/mkdisk.sh; the kernel mounts it as C:.\r\n' > "$tmp/README.TXT"
mcopy -i "$img" "$tmp/README.TXT" ::/README.TXT
if [ -n "$src" ]; then copy_tree "$img" "$src"; fi
fsck.fat -n "$img" >/dev/null
mv "$img" "$out"
