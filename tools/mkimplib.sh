#!/usr/bin/env bash
# mkimplib.sh OUTPUT.def DLLNAME LIB.a - the import library of a DLL linked with --kill-at.
# The DLL exports undecorated names (RtlCreateHeap, as NT's do), but a caller compiled against
# the stdcall prototype asks for _RtlCreateHeap@24: the library must carry the decorated symbol
# and import the undecorated name. ld's --output-def lists "Name = Name@N"; dlltool -k turns
# the decorated list into exactly that library.
set -euo pipefail
if [ $# -ne 3 ]; then echo "usage: $0 OUTPUT.def DLLNAME LIB.a" >&2; exit 2; fi
def=$1 dll=$2 lib=$3
dec=$(mktemp)
trap 'rm -f "$dec" "$dec.2"' EXIT
# Data exports keep their DATA keyword (no code thunk for them in the library). Each entry's
# ordinal in the list given to dlltool is its 0-based place in the DLL's sorted name table:
# dlltool writes it as the import's hint, and the loader then finds the name at once.
sed -E 's/^[[:space:]]+([A-Za-z0-9_]+) = ([A-Za-z0-9_]+@[0-9]+) @[0-9]+.*/    \2/;
        s/^[[:space:]]+([A-Za-z0-9_]+) @[0-9]+[[:space:]]+DATA.*/    \1 DATA/;
        t;
        s/^[[:space:]]+([A-Za-z0-9_]+) @[0-9]+.*/    \1/' "$def" > "$dec"
awk 'BEGIN{n=0} /^EXPORTS/{print;next} NF{if ($2=="DATA") print "    " $1 " @" n " DATA"; else print "    " $1 " @" n; n++}' "$dec" > "$dec.2"
i686-w64-mingw32-dlltool -k -d "$dec.2" -l "$lib" -D "$dll"
