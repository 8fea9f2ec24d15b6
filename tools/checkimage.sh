#!/usr/bin/env bash
# checkimage.sh KERNEL.ELF - checks what the Multiboot address fields promise the loader: every
# loadable section's file offset is its address minus the image start plus .text's offset, so
# copying the file from .text on reproduces the image.
set -euo pipefail
readelf=${READELF:-i686-linux-gnu-readelf}
base=""
while read -r name type addr off _size _es flags _rest; do
    [[ $flags == *A* && $type != NOBITS ]] || continue
    delta=$(( 0x$addr - 0x$off ))
    [ -n "$base" ] || base=$delta
    if [ "$delta" != "$base" ]; then
        echo "checkimage: section $name is not where the Multiboot load fields say" >&2; exit 1
    fi
done < <("$readelf" -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] //p' | grep '^\.')
