#!/usr/bin/env bash
# qemu-exit.sh QEMU ARGS... - runs QEMU and turns the isa-debug-exit convention (exit status
# (value << 1) | 1) back into the kernel's: 0 when NanoNT shut down with STATUS_SUCCESS.
"$@"
rc=$?
case $rc in
    0|1) exit 0 ;;                 # closed by the user, or shut down with success
    3) echo "NanoNT shut down with a failure status" >&2; exit 1 ;;
    *) exit $rc ;;
esac
