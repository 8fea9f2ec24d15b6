#!/usr/bin/env python3
"""bench.py - `make bench`: NanoNT's boot-time benchmarks, printed as a table.

Instruction counts come from a boot under `-icount shift=0,sleep=off`, where the guest's TSC
advances by one per instruction, so they repeat exactly from run to run. Wall times come from plain
TCG boots (the way `make run` boots) and are the median of several runs on this host.
"""
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "system"))
import qemu  # noqa: E402

ICOUNT = ["-icount", "shift=0,sleep=off"]


def icount_bench():
    # A 1 MiB ".img" module: the RAM disk the I/O benchmarks read.
    image = os.path.join(qemu.BUILD, "bench-ramdisk.img")
    with open(image, "wb") as f:
        f.write(bytes(1024 * 1024))
    b = qemu.boot(qemu.kernel_args("bench", [image]), extra=ICOUNT, timeout=300)
    if "*** STOP" in b.log or b.timed_out:
        sys.exit("bench boot failed:\n" + b.tail())
    rows = re.findall(r"^BENCH (\S+) (\d+) (\S+)$", b.log, re.M)
    if not rows:
        sys.exit("no BENCH lines:\n" + b.tail())
    return rows


def fresh_volume(name):
    path = os.path.join(qemu.BUILD, name)
    subprocess.run(["bash", os.path.join(qemu.ROOT, "tools", "mkdisk.sh"), path, "40"], check=True,
                   stdout=subprocess.DEVNULL)
    return path


def fs_bench():
    """File operations on C:, RAM disk and IDE, under -icount (instructions) and plain (MiB/s)."""
    rows = []
    for medium, attach in (("ramdisk", lambda p: ([], [p])), ("ide", lambda p: (["-drive", "file=%s,format=raw,if=ide,index=0" % p], []))):
        for icount in (True, False):
            image = fresh_volume("bench-%s.img" % medium)
            extra, modules = attach(image)
            b = qemu.boot(qemu.kernel_args("fsbench=" + medium, modules), extra=extra + (ICOUNT if icount else []),
                          timeout=600)
            found = re.findall(r"^BENCH (\S+) (\d+) (\S+)$", b.log, re.M)
            if not found:
                sys.exit("fs bench boot failed:\n" + b.tail())
            rows += [r for r in found if (r[2] == "MiB/s") != icount]
    return rows


def program_bench(program):
    """A benchmark program (tests/ntdll/bench.c, tests/win32/bench32.c) as the initial program, on
    a fresh system volume, under -icount."""
    root = os.path.join(qemu.BUILD, "root")
    image = os.path.join(qemu.BUILD, "bench-system.img")
    subprocess.run(["bash", os.path.join(qemu.ROOT, "tools", "mkdisk.sh"), image, "40", root], check=True,
                   stdout=subprocess.DEVNULL)
    b = qemu.boot(qemu.kernel_args("init=C:\\Tests\\%s" % program), timeout=600,
                  extra=ICOUNT + ["-drive", "file=%s,format=raw,if=ide,index=0" % image])
    rows = re.findall(r"^BENCH (\S+) (\d+) (\S+)$", b.log.replace("\r", ""), re.M)
    if not rows or "*** STOP" in b.log:
        sys.exit("%s bench boot failed:\n%s" % (program, b.tail()))
    return rows


def wall_to_ready(args, runs=5):
    times = []
    for _ in range(runs):
        b = qemu.boot(args, until=r"NanoNT: ready", timeout=60, marks=[r"NanoNT: ready"])
        if "NanoNT: ready" not in b.marks:
            sys.exit("boot did not reach the banner:\n" + b.tail())
        times.append(b.marks["NanoNT: ready"])
    return statistics.median(times), min(times), max(times)


def main():
    rows = icount_bench() + fs_bench() + program_bench("bench.exe") + program_bench("bench32.exe")
    loop = next((int(v) for n, v, u in rows if n == "loop.overhead"), 0)
    print("NanoNT benchmarks (instructions under -icount shift=0,sleep=off; one TSC tick = one instruction)")
    print()
    print("%-32s %14s  %s" % ("benchmark", "value", "unit"))
    print("%-32s %14s  %s" % ("-" * 32, "-" * 14, "-" * 20))
    for name, value, unit in rows:
        print("%-32s %14s  %s" % (name, value, unit))
    print()
    print("(the pool figures include the benchmark loop's own %d instructions per iteration;" % loop)
    print(" MiB/s rows come from boots without -icount and vary with the host)")
    print()
    print("%-32s %8s %8s %8s" % ("wall time to the banner (TCG)", "median", "min", "max"))
    for label, args in (("ISO via GRUB", ["-cdrom", qemu.ISO]), ("-kernel (QEMU Multiboot)", qemu.kernel_args(""))):
        med, lo, hi = wall_to_ready(args)
        print("%-32s %7.3fs %7.3fs %7.3fs" % (label, med, lo, hi))


if __name__ == "__main__":
    main()
