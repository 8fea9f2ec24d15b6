#!/usr/bin/env python3
"""run.py - the system tests: real boots of NanoNT in QEMU, judged by what the kernel prints on COM1.

Each test boots the ISO (through GRUB) or the kernel through QEMU's own Multiboot loader, with a
hard timeout. The kernel's self-tests ("test=selftest") each count as a test of their own. A hang,
or a bug check nobody asked for, fails the test and shows the end of the serial log.
The last line is "system: N passed, M failed"; the exit status is non-zero on any failure.
"""
import concurrent.futures
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

STOP_RE = re.compile(r"\*\*\* STOP: 0x([0-9A-F]{8}) \(0x([0-9A-F]{8}),0x([0-9A-F]{8}),0x([0-9A-F]{8}),0x([0-9A-F]{8})\)\n\*\*\* (\w+)")
SHUTDOWN_RE = re.compile(r"^NanoNT: shutdown, status 0x([0-9A-F]{8})$")
TMP = tempfile.mkdtemp(prefix="nanont-test-")


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def no_stop(b):
    m = STOP_RE.search(b.log)
    check(m is None, "unexpected bug check %s" % (m.group(6) if m else ""))
    check(not b.timed_out, "timed out after %.0f s (hang?)" % b.wall)


def expect_shutdown(b, status="00000000"):
    no_stop(b)
    m = SHUTDOWN_RE.match(b.last_line())
    check(m is not None, "last line is not the shutdown line: %r" % b.last_line())
    check(m.group(1) == status, "shut down with status 0x%s, expected 0x%s" % (m.group(1), status))


def selftest_results(b):
    """The kernel's own TEST lines, as (name, passed, why)."""
    out = []
    for line in b.lines():
        m = re.match(r"^TEST (\S+): (PASS|FAIL)(?: (.*))?$", line)
        if m:
            out.append((m.group(1), m.group(2) == "PASS", m.group(3) or ""))
    return out


def payload(name, size, seed):
    path = os.path.join(TMP, name)
    rnd = random.Random(seed)
    data = bytes(rnd.getrandbits(8) for _ in range(size))
    with open(path, "wb") as f:
        f.write(data)
    return path, data


def fat_image(name, kib=1024):
    """A small FAT volume image (a ".img" module becomes the RAM disk, \\Device\\Ramdisk0)."""
    path = os.path.join(TMP, name)
    if os.path.exists(path):
        os.unlink(path)
    subprocess.run(["mkfs.fat", "-C", "-n", "NANONT", path, str(kib)], check=True, stdout=subprocess.DEVNULL)
    with open(path, "rb") as f:
        return path, f.read()


def check_modules(b, mods):
    """Each module is listed in the banner with its size and its CRC-32 as computed by the kernel."""
    for i, (path, data) in enumerate(mods):
        rx = re.compile(r"^Module %d: (.*), (\d+) bytes at ([0-9a-f]{8}), crc32 ([0-9a-f]{8})$" % i, re.M)
        m = rx.search(b.log)
        check(m is not None, "module %d not reported" % i)
        check(os.path.basename(path) in m.group(1), "module %d has name %r" % (i, m.group(1)))
        check(int(m.group(2)) == len(data), "module %d size %s, expected %d" % (i, m.group(2), len(data)))
        check(int(m.group(4), 16) == zlib.crc32(data), "module %d crc differs: kernel read other bytes" % i)
        check(int(m.group(3), 16) % 4096 == 0, "module %d not page aligned" % i)


# ------------------------------------------------------------------------------------------------
# Tests. Each returns (extra_results, boot) or raises Failure; extra_results are (name, ok, why).

def t_iso_default_boot():
    b = qemu.boot(["-cdrom", qemu.ISO], until=r"NanoNT: ready", timeout=60)
    no_stop(b)
    check("NanoNT: ready" in b.log, "no ready line")
    check(re.search(r"^NanoNT \d+\.\d+\.\d+ \(x86", b.log, re.M), "no banner")
    check(re.search(r"^Boot loader: GRUB", b.log, re.M), "not booted by GRUB")
    m = re.search(r"^Memory: (\d+) KiB usable, (\d+) pages available", b.log, re.M)
    check(m and 200 * 1024 < int(m.group(1)) <= 256 * 1024, "memory report wrong for -m 256")
    check(re.search(r"^Pool: nonpaged \d+ pages", b.log, re.M), "no pool state in the banner")
    return [], b


def t_make_run():
    """The README's `make run`, as a user types it (no display): the ISO boots through GRUB with the
    IDE volume attached, and C: is that disk. A fresh volume stands in for build/disk.img."""
    disk = fresh_volume("make-run.img")
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    p = subprocess.Popen(["make", "-s", "-C", qemu.ROOT, "run", "DISK=" + disk], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    out = []
    timer = threading.Timer(90, lambda: os.killpg(p.pid, signal.SIGKILL))
    timer.start()
    try:
        for raw in p.stdout:
            out.append(raw.decode("latin-1"))
            if "Io: system volume" in out[-1]:     # printed after the banner, by phase 1
                break
    finally:
        timer.cancel()
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    log = "".join(out)
    check("NanoNT: ready" in log, "make run did not reach the banner:\n" + log[-1500:])
    check("Boot loader: GRUB" in log, "make run did not boot the ISO through GRUB")
    check("Io: system volume C: is \\Device\\Harddisk0\\Partition0" in log, "C: is not the attached IDE disk")
    check("*** STOP" not in log, "bug check during make run")
    return [], None


def t_iso_selftest_with_modules():
    mods = [payload("ramdisk.bin", 300000, 1), payload("second.bin", 4097, 2), fat_image("isovol.img")]
    iso = qemu.make_iso(os.path.join(TMP, "selftest.iso"), "test=selftest", [m[0] for m in mods])
    b = qemu.boot(["-cdrom", iso], timeout=120)
    expect_shutdown(b)
    check(b.returncode == 1, "QEMU exit status %r, expected 1 (debug-exit with 0)" % b.returncode)
    check_modules(b, mods)
    check(re.search(r"^SELFTEST: \d+ passed, 0 failed$", b.log, re.M), "self-tests failed")
    return [("iso." + n, ok, why) for n, ok, why in selftest_results(b)], b


def t_kernel_selftest_with_modules():
    mods = [payload("alpha.bin", 123457, 3), payload("beta.bin", 1, 4), payload("gamma.bin", 65536, 5),
            fat_image("kernvol.img")]
    b = qemu.boot(qemu.kernel_args("test=selftest", [m[0] + " arg" for m in mods[:1]] + [m[0] for m in mods[1:]]),
                  timeout=120)
    expect_shutdown(b)
    check(re.search(r"^Boot loader: qemu", b.log, re.M), "not booted by QEMU's loader")
    check_modules(b, mods)
    results = selftest_results(b)
    check(len(results) >= 10, "only %d self-tests ran" % len(results))
    check(re.search(r"^SELFTEST: \d+ passed, 0 failed$", b.log, re.M), "self-tests failed")
    check("io.serial: hello from ZwWriteFile" in b.log, "ZwWriteFile to \\Device\\Serial0 did not reach COM1")
    check("io.console: hello from \\Device\\Console" in b.log, "a write to \\Device\\Console did not reach COM1")
    check("Io: system volume C: is \\Device\\Ramdisk0" in b.log, "the .img module did not become C:")
    return [("kernel." + n, ok, why) for n, ok, why in results], b


def t_ata_disk():
    """An IDE disk on the primary master: the kernel finds it, makes it C:, reads the host's
    pattern, writes and flushes sector 2; the host finds the kernel's bytes in the file after."""
    path = os.path.join(TMP, "ata.raw")
    disk = bytearray(4 * 1024 * 1024)
    disk[512:512 + 23] = b"NANONT-ATA-HOST-PATTERN"
    for i in range(8, len(disk) // 512):
        tag = b"SECTOR %04d" % i
        disk[i * 512:i * 512 + len(tag)] = tag
    with open(path, "wb") as f:
        f.write(disk)
    b = qemu.boot(qemu.kernel_args("test=selftest:io.ata"), timeout=120,
                  extra=["-drive", "file=%s,format=raw,if=ide,index=0" % path])
    expect_shutdown(b)
    check(re.search(r"^ata: primary master, 8192 sectors", b.log, re.M), "disk not identified with its size")
    check("Io: system volume C: is \\Device\\Harddisk0\\Partition0" in b.log, "the ATA disk did not become C:")
    check("io.ata: wrote and flushed sector 2" in b.log, "the sector test did not run")
    check(re.search(r"^SELFTEST: \d+ passed, 0 failed$", b.log, re.M), "self-tests failed")
    with open(path, "rb") as f:
        data = f.read()
    check(data[1024:1024 + 23] == b"NANONT-ATA-KERNEL-WRITE", "sector 2 on the host does not hold the kernel's write")
    check(data[1024 + 100] == 100 and data[1024 + 511] == 255, "sector 2's tail differs on the host")
    check(data[1536:1536 + 11] == bytes(11), "sector 3 changed")
    check(data[8 * 512:8 * 512 + 11] == b"SECTOR 0008", "the host's pattern was overwritten")
    return [("ata." + n, ok, why) for n, ok, why in selftest_results(b)], b


# ---- The file system on C:, end to end (kernel/test/fstest.c) ---------------------------------

def fs_pattern(length, seed):
    """The bytes fstest.c's TstPattern writes."""
    return bytes(((i * 131 + seed * 7 + (i >> 9)) & 0xFF) for i in range(length))


def fresh_volume(name, host_files=()):
    """A new FAT32 system volume (tools/mkdisk.sh) with host files put in \\Tests by mtools."""
    path = os.path.join(TMP, name)
    subprocess.run(["bash", os.path.join(qemu.ROOT, "tools", "mkdisk.sh"), path, "40"], check=True,
                   stdout=subprocess.DEVNULL)
    for src, dst in host_files:
        subprocess.run(["mcopy", "-o", "-i", path, src, "::/Tests/" + dst], check=True,
                       env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
    return path


def host_read(image, name):
    out = os.path.join(TMP, "readback.bin")
    subprocess.run(["mcopy", "-o", "-n", "-i", image, "::/Tests/" + name, out], check=True,
                   env=dict(os.environ, MTOOLS_SKIP_CHECK="1"), stdout=subprocess.DEVNULL)
    with open(out, "rb") as f:
        return f.read()


def fsck_clean(image):
    r = subprocess.run(["fsck.fat", "-n", image], capture_output=True, text=True)
    return r.returncode == 0, r.stdout + r.stderr


def t_fs_on_ide_disk():
    """fstest.c over IDE; then on the host: fsck clean, the kernel's file read back byte for byte,
    and the host's file read by the kernel with the right CRC."""
    host, data = payload("HOST.BIN", 200000, 7)
    image = fresh_volume("fs-ide.img", [(host, "HOST.BIN")])
    b = qemu.boot(qemu.kernel_args("test=selftest:fs fs=required"), timeout=400,
                  extra=["-drive", "file=%s,format=raw,if=ide,index=0" % image])
    expect_shutdown(b)
    results = selftest_results(b)
    check(len(results) >= 7 and all(ok for _, ok, _ in results), "file system self-tests failed")
    m = re.search(r"^FS host file HOST\.BIN (\d+) bytes crc32 ([0-9a-f]{8})$", b.log, re.M)
    check(m and int(m.group(1)) == len(data) and int(m.group(2), 16) == zlib.crc32(data),
          "the kernel read the host's file differently")
    clean, report = fsck_clean(image)
    check(clean, "fsck.fat -n after the run:\n" + report)
    expected = fs_pattern(12345, 42)
    check(host_read(image, "From NanoNT.txt") == expected, "the kernel's file reads back differently on the host")
    return [("fs.ide." + n, ok, why) for n, ok, why in results], b


def t_image_sections():
    """imagetest.c over IDE: the MinGW-built test images (build/images) and malformed files made
    here (truncated, not MZ, text, empty, MS-DOS only) in \\Tests of a fresh volume."""
    images = os.path.join(qemu.ROOT, "build", "images")
    with open(os.path.join(images, "shared.dll"), "rb") as f:
        dll = f.read()
    bad = {"trunc.dll": dll[:0x500], "notmz.dll": b"ZM" + dll[2:], "empty.dll": b"",
           "text.txt": b"This is a text file, not an image.\r\n" * 40,
           "dosonly.exe": b"MZ" + b"\0" * 58 + b"\x40\0\0\0" + b"\xcd\x20" * 32}
    files = [(os.path.join(images, n), n) for n in ("shared.dll", "hello.exe")]
    for name, data in bad.items():
        path = os.path.join(TMP, "img-" + name)
        with open(path, "wb") as f:
            f.write(data)
        files.append((path, name))
    image = fresh_volume("images.img", files)
    b = qemu.boot(qemu.kernel_args("test=selftest:mm.image fs=required"), timeout=300,
                  extra=["-drive", "file=%s,format=raw,if=ide,index=0" % image])
    expect_shutdown(b)
    results = selftest_results(b)
    check(len(results) >= 3 and all(ok for _, ok, _ in results), "image section self-tests failed")
    return [("image." + n, ok, why) for n, ok, why in results], b


def t_fs_on_ram_disk():
    image = fresh_volume("fs-ram.img")
    b = qemu.boot(qemu.kernel_args("test=selftest:fs fs=required", [image]), timeout=400)
    expect_shutdown(b)
    check("Io: system volume C: is \\Device\\Ramdisk0" in b.log, "the volume module did not become C:")
    results = selftest_results(b)
    check(len(results) >= 7 and all(ok for _, ok, _ in results), "file system self-tests failed on the RAM disk")
    return [("fs.ramdisk." + n, ok, why) for n, ok, why in results], b


def corrupt_volume(image, how):
    """Damages a FAT32 image: "bpb" zeroes BytesPerSector; "loops" makes every multi-cluster chain
    point back at itself (single-cluster directories stay readable)."""
    with open(image, "r+b") as f:
        boot = bytearray(f.read(512))
        if how == "bpb":
            boot[11:13] = b"\0\0"
            f.seek(0)
            f.write(boot)
            return
        reserved = int.from_bytes(boot[14:16], "little")
        fat_sectors = int.from_bytes(boot[36:40], "little")
        fats = boot[16]
        for copy in range(fats):
            f.seek((reserved + copy * fat_sectors) * 512)
            fat = bytearray(f.read(fat_sectors * 512))
            for i in range(3, len(fat) // 4):
                v = int.from_bytes(fat[4 * i:4 * i + 4], "little") & 0x0FFFFFFF
                if 2 <= v < 0x0FFFFFF7:
                    fat[4 * i:4 * i + 4] = i.to_bytes(4, "little")
            f.seek((reserved + copy * fat_sectors) * 512)
            f.write(fat)


def t_fs_corrupt_volumes():
    """A volume with a bad boot sector is not mounted; one whose chains loop gives read errors;
    neither may stop the kernel."""
    host, data = payload("HOST.BIN", 200000, 8)
    bad_bpb = fresh_volume("fs-badbpb.img")
    corrupt_volume(bad_bpb, "bpb")
    b = qemu.boot(qemu.kernel_args("test=selftest:fs.create fs=required"), timeout=120,
                  extra=["-drive", "file=%s,format=raw,if=ide,index=0" % bad_bpb])
    expect_shutdown(b, "C0000001")
    check(re.search(r"^TEST fs.create_write_read: FAIL no FAT system volume on C:$", b.log, re.M),
          "a volume with a broken boot sector was used")
    loops = fresh_volume("fs-loops.img", [(host, "HOST.BIN")])
    corrupt_volume(loops, "loops")
    b = qemu.boot(qemu.kernel_args("test=selftest:fs.volume fs=required"), timeout=120,
                  extra=["-drive", "file=%s,format=raw,if=ide,index=0" % loops])
    expect_shutdown(b)
    m = re.search(r"^FS host file HOST.BIN error ([0-9a-f]{8}) after (\d+) bytes$", b.log, re.M)
    check(m is not None, "reading a file whose cluster chain loops did not fail")
    check(m.group(1) in ("c0000102", "c0000032"), "looping chain gave %s, not a corruption status" % m.group(1))
    return [], b


def t_fs_power_loss():
    """QEMU killed in the middle of a write loop: the volume must still pass fsck (or need only
    what fsck repairs), and every file the kernel reported closed and flushed must be intact."""
    image = fresh_volume("fs-cut.img")
    b = qemu.boot(qemu.kernel_args("fsstress"), timeout=300, until=r"FSSTRESS closed stress00060\.bin",
                  extra=["-drive", "file=%s,format=raw,if=ide,index=0" % image])
    closed = re.findall(r"^FSSTRESS closed (stress\d{5}\.bin) (\d+) bytes crc32 ([0-9a-f]{8})$", b.log, re.M)
    check(len(closed) >= 60, "the write loop stopped early (%d files)" % len(closed))
    check(b.returncode is None, "QEMU was not cut off mid-run")
    clean, report = fsck_clean(image)
    if not clean:   # only repairable damage is allowed: repair a copy and check it is then clean
        fixed = image + ".fixed"
        subprocess.run(["cp", image, fixed], check=True)
        subprocess.run(["fsck.fat", "-a", fixed], capture_output=True)
        clean2, report2 = fsck_clean(fixed)
        check(clean2, "fsck could not repair the cut volume:\n" + report + report2)
        image = fixed
    for name, size, crc in closed:
        data = host_read(image, name)
        check(len(data) == int(size) and zlib.crc32(data) == int(crc, 16), "%s lost or damaged by the cut" % name)
    return [], b


def t_memory_32m():
    b = qemu.boot(qemu.kernel_args("test=selftest:mm"), memory=32, timeout=60)
    expect_shutdown(b)
    m = re.search(r"^Memory: (\d+) KiB usable", b.log, re.M)
    check(m and int(m.group(1)) < 32 * 1024, "memory report wrong for -m 32")
    return [], b


def t_memory_1g():
    b = qemu.boot(qemu.kernel_args("test=selftest:mm"), memory=1024, timeout=60)
    expect_shutdown(b)
    m = re.search(r"^Memory: (\d+) KiB usable", b.log, re.M)
    check(m and 700 * 1024 < int(m.group(1)) <= 768 * 1024, "RAM above 768 MiB not capped")
    return [], b


def t_shutdown_bad_test_option():
    b = qemu.boot(qemu.kernel_args("test=bogus"), timeout=60)
    expect_shutdown(b, "C000000D")
    check(b.returncode == 3, "QEMU exit status %r, expected 3 (debug-exit with 1)" % b.returncode)
    return [], b


def t_shutdown_service():
    b = qemu.boot(qemu.kernel_args("shutdown"), timeout=60)
    expect_shutdown(b)
    check(b.returncode == 1, "QEMU exit status %r, expected 1" % b.returncode)
    return [], b


def t_shutdown_without_debug_exit():
    """Without isa-debug-exit the kernel powers off through ACPI: QEMU ends by itself."""
    b = qemu.boot(qemu.kernel_args("shutdown"), timeout=60, debug_exit=False)
    expect_shutdown(b)
    check(b.returncode == 0, "QEMU did not power off (status %r)" % b.returncode)
    return [], b


CRASHES = [
    # name, stop code, parameter 1 (None: any), name, a function the stack trace must show
    ("pool-double-free", 0xC2, 0x07, "BAD_POOL_CALLER", "CrashPoolDoubleFree"),
    ("pool-overrun", 0x19, 0x05, "BAD_POOL_HEADER", "CrashPoolOverrun"),
    ("pool-bad-pointer", 0xC2, 0x46, "BAD_POOL_CALLER", "CrashPoolBadPointer"),
    ("pool-wrong-tag", 0xC2, 0x0A, "BAD_POOL_CALLER", "CrashPoolWrongTag"),
    ("page-fault", 0x50, 0xCAFE0000, "PAGE_FAULT_IN_NONPAGED_AREA", "CrashPageFault"),
    ("unmapped-pool", 0x50, 0xD3FFF000, "PAGE_FAULT_IN_NONPAGED_AREA", "CrashKernelPageFault"),
    ("write-readonly", 0xBE, 0x80100010, "ATTEMPTED_WRITE_TO_READONLY_MEMORY", "CrashReadOnly"),
    ("divide", 0x1E, 0xC0000094, "KMODE_EXCEPTION_NOT_HANDLED", "CrashDivide"),
    ("invalid-opcode", 0x1E, 0xC000001D, "KMODE_EXCEPTION_NOT_HANDLED", "CrashInvalidOpcode"),
    ("stack-overflow", 0x7F, 0x08, "UNEXPECTED_KERNEL_MODE_TRAP", "TstRecurse"),
    ("manual", 0xE2, 0x00, "MANUALLY_INITIATED_CRASH", "CrashManual"),
]


def make_crash_test(name, code, p1, stopname, func):
    def t():
        b = qemu.boot(qemu.kernel_args("crash=" + name), timeout=60)
        check(not b.timed_out, "no bug check within the timeout")
        m = STOP_RE.search(b.log)
        check(m is not None, "no STOP line")
        check(int(m.group(1), 16) == code, "stop code 0x%s, expected 0x%X" % (m.group(1), code))
        check(p1 is None or int(m.group(2), 16) == p1, "parameter 1 is 0x%s, expected 0x%X" % (m.group(2), p1))
        check(m.group(6) == stopname, "stop name %s, expected %s" % (m.group(6), stopname))
        trace = b.log[m.end():]
        check(re.search(r"^  #\d+\s+[0-9a-f]{8} %s\+0x[0-9a-f]+$" % func, trace, re.M),
              "stack trace does not name %s" % func)
        check("*** System halted." in trace, "did not halt")
        return [], b
    t.__name__ = "crash." + name
    return t


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def t_gdb_stops_at_entry():
    """What `make debug` does, in batch: gdb stops at KiSystemStartup with symbols, and can step."""
    port = free_port()
    q = subprocess.Popen([qemu.QEMU, "-m", "256", "-display", "none", "-monitor", "none", "-serial", "null",
                          "-no-reboot", "-S", "-gdb", "tcp:127.0.0.1:%d" % port] + qemu.DEBUG_EXIT +
                         qemu.kernel_args("shutdown"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        script = os.path.join(TMP, "gdb.cmd")
        with open(os.path.join(qemu.ROOT, "tools", "gdbinit.in")) as f:
            text = f.read().replace("@KERNEL@", qemu.KERNEL).replace("@ROOT@", ROOT_DIR).replace("@PORT@", str(port)).replace("@APP@", "")
        text += "info symbol $pc\nnext\nnext\nbt\nkill\n"
        with open(script, "w") as f:
            f.write(text)
        g = subprocess.run(["gdb-multiarch", "-q", "-batch", "-x", script], capture_output=True, text=True,
                           timeout=90)
        out = g.stdout + g.stderr
        check(re.search(r"Breakpoint 1, KiSystemStartup \(", out), "gdb did not stop in KiSystemStartup:\n" + out[-1500:])
        check(re.search(r"KiSystemStartup( \+ \d+)? in section \.text", out), "no symbol at the stop:\n" + out[-1500:])
        check(re.search(r"#0\s+.*KiSystemStartup", out), "no backtrace after stepping:\n" + out[-1500:])
    finally:
        q.kill()
        q.wait()
    return [], None


def t_gdb_user_mode():
    """`make debug`'s script with ntdll's and smss's symbols: hardware breakpoints in user mode stop
    in ntdll!LdrInitializeThunk (the first user instruction of every thread) and then in
    smss!NtProcessStartup, with arguments shown."""
    port = free_port()
    image = system_volume("gdb-user.img")
    q = subprocess.Popen([qemu.QEMU, "-m", "256", "-display", "none", "-monitor", "none", "-serial", "null",
                          "-no-reboot", "-S", "-gdb", "tcp:127.0.0.1:%d" % port] + qemu.DEBUG_EXIT +
                         qemu.kernel_args("init=C:\\Tests\\nop.exe") +
                         ["-drive", "file=%s,format=raw,if=ide,index=0" % image],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        script = os.path.join(TMP, "gdb-user.cmd")
        with open(os.path.join(qemu.ROOT, "tools", "gdbinit.in")) as f:
            text = f.read().replace("@KERNEL@", qemu.KERNEL).replace("@ROOT@", ROOT_DIR).replace("@PORT@", str(port)).replace("@APP@", "")
        text = text.replace("break KiSystemStartup\ncontinue\n", "")
        text += ("hbreak LdrInitializeThunk@8\ncontinue\ninfo symbol $pc\ndelete\n"
                 "hbreak NtProcessStartup@4\ncontinue\ninfo symbol $pc\nkill\n")
        with open(script, "w") as f:
            f.write(text)
        g = subprocess.run(["gdb-multiarch", "-q", "-batch", "-x", script], capture_output=True, text=True,
                           timeout=120)
        out = g.stdout + g.stderr
        check(re.search(r"Breakpoint 1, LdrInitializeThunk@8 \(Context=0x[0-9a-f]+, NtdllBase=0x7c900000\)", out),
              "gdb did not stop in ntdll!LdrInitializeThunk:\n" + out[-1500:])
        check(re.search(r"Breakpoint 2(\.\d+)?, NtProcessStartup@4 \(Peb=0x[0-9a-f]+\)", out),
              "gdb did not stop in smss!NtProcessStartup:\n" + out[-1500:])
        check(re.search(r"NtProcessStartup@4 in section \.text of .*smss\.exe", out), "no smss symbol:\n" + out[-1500:])
    finally:
        q.kill()
        q.wait()
    return [], None


def t_gdb_layer_walk():
    """tests/gdb/walk.py: gdb with every layer's symbols stops, in order, in kernel32's CreateFileW,
    ntdll's NtCreateFile stub, KiSystemService, the kernel's NtCreateFile, the I/O manager's parse,
    the FAT driver and the disk driver; then from CreateProcessW through ntdll's and the kernel's
    NtRequestWaitReplyPort to csrss receiving the LPC message."""
    # ntdll's stubs have two names at one address (NtXxx and ZwXxx): gdb may give either.
    expected = ["CreateFileW@28", "(Nt|Zw)CreateFile@44", "KiSystemService", "NtCreateFile", "IopParseDevice",
                "FatpCreate", "AtaReadWrite", "CreateProcessW@40", "(Nt|Zw)RequestWaitReplyPort@12",
                "NtRequestWaitReplyPort", "LpcpReceive"]
    port = free_port()
    image = system_volume("gdb-walk.img")
    q = subprocess.Popen([qemu.QEMU, "-m", "256", "-display", "none", "-monitor", "none", "-serial", "null",
                          "-no-reboot", "-S", "-gdb", "tcp:127.0.0.1:%d" % port] + qemu.DEBUG_EXIT +
                         qemu.kernel_args("init=C:\\Tests\\walk.exe") +
                         ["-drive", "file=%s,format=raw,if=ide,index=0" % image],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        script = os.path.join(TMP, "gdb-walk.cmd")
        with open(os.path.join(qemu.ROOT, "tools", "gdbinit.in")) as f:
            text = f.read().replace("@KERNEL@", qemu.KERNEL).replace("@ROOT@", ROOT_DIR).replace(
                "@PORT@", str(port)).replace("@APP@", "Tests/walk.exe")
        text = text.replace("break KiSystemStartup\ncontinue\n", "")
        text += "source %s\n" % os.path.join(qemu.ROOT, "tests", "gdb", "walk.py")
        with open(script, "w") as f:
            f.write(text)
        g = subprocess.run(["gdb-multiarch", "-q", "-batch", "-x", script], capture_output=True, text=True,
                           timeout=300)
        out = g.stdout + g.stderr
        stops = re.findall(r"^WALK (\d+) (\S+)", out, re.M)
        got = [name for _, name in stops]
        check("WALK done" in out, "the walk did not finish:\n" + out[-2000:])
        check(len(got) == len(expected) and all(re.fullmatch(e, g) for e, g in zip(expected, got)),
              "layers in this order: %s\nexpected: %s" % (got, expected))
    finally:
        q.kill()
        q.wait()
    return [], None


# ---- Native programs on the system volume (tests/ntdll): smss runs each as the initial program --

ROOT_DIR = os.path.join(qemu.BUILD, "root")
_system_volume_lock = threading.Lock()


def system_volume(name):
    """A fresh system volume made from build/root (ntdll, smss, \\Tests), copied per test."""
    master = os.path.join(TMP, "system-master.img")
    with _system_volume_lock:
        if not os.path.exists(master):
            subprocess.run(["bash", os.path.join(qemu.ROOT, "tools", "mkdisk.sh"), master, "40", ROOT_DIR],
                           check=True, stdout=subprocess.DEVNULL)
    path = os.path.join(TMP, name)
    subprocess.run(["cp", master, path], check=True)
    return path


def run_program(cmdline, name, timeout=240):
    """Boots with `init=<cmdline>` on a fresh system volume; returns (boot, volume image)."""
    image = system_volume(name + ".img")
    b = qemu.boot(qemu.kernel_args("init=" + cmdline), timeout=timeout,
                  extra=["-drive", "file=%s,format=raw,if=ide,index=0" % image])
    return b, image


def make_program_test(program, kind):
    """<program>.exe from C:\\Tests as the initial program: a native test (tests/ntdll/t_*.c,
    TEST lines through DbgPrint) or a stock-MinGW Win32 test (tests/win32/w_*.c, TEST lines through
    the console, so kernel32, msvcrt and csrss take part). Every TEST line is a result; the run
    must end with status 0 and leave the volume clean for fsck."""
    def t():
        b, image = run_program("C:\\Tests\\%s.exe" % program, program)
        no_stop(b)
        results = selftest_results(b)
        check(results, "the program printed no TEST lines")
        expect_shutdown(b)
        clean, report = fsck_clean(image)
        check(clean, "fsck.fat -n after the run:\n" + report)
        return results, b
    t.__name__ = "t_%s_%s" % (kind, program[2:])
    return t


def native_programs():
    src = os.path.join(qemu.ROOT, "tests", "ntdll")
    return sorted(f[:-2] for f in os.listdir(src) if f.startswith("t_") and f.endswith(".c"))


def win32_programs():
    src = os.path.join(qemu.ROOT, "tests", "win32")
    return sorted(f[:-2] for f in os.listdir(src) if f.startswith("w_") and f.endswith(".c"))


def t_console_typed_input():
    """Characters typed on COM1 reach a program reading \\Device\\Console (conread.c), one by one,
    Enter ending the line."""
    image = system_volume("console-input.img")
    b = qemu.boot(qemu.kernel_args("init=C:\\Tests\\conread.exe"), timeout=120,
                  extra=["-drive", "file=%s,format=raw,if=ide,index=0" % image],
                  typing=[(r"CONREAD: ready", b"hello, console\r")])
    expect_shutdown(b)
    check("CONREAD: got 'hello, console'" in b.log, "the typed line did not arrive")
    return [], b


def shell_session(name, commands, timeout=180):
    """Boots to the default initial program, cmd.exe, and types each command after a prompt."""
    image = system_volume(name + ".img")
    typing = [(r"(?sm)(?:^C:\\[^>\n]*>.*?){%d}" % (i + 1), c.encode() + b"\r") for i, c in enumerate(commands)]
    b = qemu.boot(qemu.kernel_args(""), timeout=timeout, typing=typing,
                  extra=["-drive", "file=%s,format=raw,if=ide,index=0" % image])
    return b, image


def t_shell_session():
    """The shell as a user meets it: typed commands on COM1 (the console's input), built-ins,
    redirection, a program with arguments, errorlevel, variables, and exit with a status."""
    b, image = shell_session("shell", [
        "echo hello shell", "cd \\Tests", "md sub", "echo some data > sub\\f.txt", "echo more >> sub\\f.txt",
        "type sub\\f.txt", "ren sub\\f.txt g.txt", "dir sub", "copy sub\\g.txt h.txt", "type h.txt",
        "w_hello one two", "echo level %ERRORLEVEL%", "nosuch", "echo level %ERRORLEVEL%", "set FOO=bar",
        "echo [%FOO%]", "if errorlevel 9000 echo high", "del sub\\g.txt", "del h.txt", "rd sub", "type h.txt",
        "cd \\nowhere", "exit 5"])
    expect_shutdown(b, "00000005")
    log = b.log.replace("\r", "")            # the console's "\r\n" arrives as "\r\r\n" on COM1
    for want in ["hello shell", "C:\\Tests>", "some data\nmore", "g.txt", "1 file(s) copied.",
                 "hello, world from w_hello (2 arguments)", "level 0", "'nosuch' is not recognized",
                 "level 9009", "[bar]", "high", "h.txt: The system cannot find the file specified.",
                 "The system cannot find the path specified."]:
        check(want in log, "the session lacks %r" % want)
    clean, report = fsck_clean(image)
    check(clean, "fsck.fat -n after the session:\n" + report)
    return [], b


def t_shell_ctrl_c():
    """Ctrl+C typed on the console while the shell runs a program: consrv sends CTRL_C_EVENT to
    every process of the console; the program (no handler) ends with STATUS_CONTROL_C_EXIT, the
    shell (its handler returns TRUE) goes on; a Ctrl+C at the prompt drops the typed line."""
    image = system_volume("shell-ctrlc.img")
    prompt = r"(?sm)(?:^C:\\[^>\n]*>.*?){%d}"
    typing = [(prompt % 1, b"C:\\Tests\\ctrlchild.exe\r"), (r"CTRLCHILD: ready", b"\x03"),
              (prompt % 2, b"echo level %ERRORLEVEL%\r"), (prompt % 3, b"echo dropped\x03"),
              (r"dropped\^C", b"exit 6\r")]
    b = qemu.boot(qemu.kernel_args(""), timeout=180, typing=typing,
                  extra=["-drive", "file=%s,format=raw,if=ide,index=0" % image])
    expect_shutdown(b, "00000006")
    log = b.log.replace("\r", "")
    check("level -1073741510" in log, "the program did not end with STATUS_CONTROL_C_EXIT")
    check("\ndropped\n" not in log, "the line dropped by Ctrl+C ran")
    return [], b


def t_console_input_events():
    """The console input buffer as events (tests/win32/coninput.c): type-ahead counted, peeked,
    read, seen by _kbhit/_getch, flushed; then a cooked line. Typed on COM1 after each step."""
    image = system_volume("coninput.img")
    typing = [(r"CONINPUT: type", b"xyz"), (r"CONINPUT: flush", b"12"), (r"CONINPUT: line", b"hi there\r")]
    b = qemu.boot(qemu.kernel_args("init=C:\\Tests\\coninput.exe"), timeout=120, typing=typing,
                  extra=["-drive", "file=%s,format=raw,if=ide,index=0" % image])
    expect_shutdown(b)
    results = [(m.group(1), m.group(2) == "PASS") for m in re.finditer(r"^TEST coninput\.(\S+): (PASS|FAIL)", b.log, re.M)]
    check(len(results) >= 9 and all(ok for _, ok in results), "input event checks failed: %r" % results)
    return [("coninput." + n, ok, "") for n, ok in results], b


def t_console_keyboard_input():
    """Keys pressed on the PS/2 keyboard (QEMU's monitor sendkey: what typing in the QEMU window
    does) reach a reader of \\Device\\Console: letters, a shifted digit, Backspace left to
    consrv-style editing (raw here: it arrives as 0x08), Enter ending the line."""
    image = system_volume("console-keys.img")
    sock = os.path.join(TMP, "monitor-keys.sock")

    def press():
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sock)
        for key in ["h", "i", "shift-1", "spc", "shift-n", "t", "ret"]:
            s.sendall(("sendkey %s\n" % key).encode())
            time.sleep(0.15)
        s.close()

    b = qemu.boot(qemu.kernel_args("init=C:\\Tests\\conread.exe"), timeout=120,
                  extra=["-drive", "file=%s,format=raw,if=ide,index=0" % image,
                         "-monitor", "unix:%s,server,nowait" % sock],
                  typing=[(r"CONREAD: ready", press)])
    expect_shutdown(b)
    check("CONREAD: got 'hi! Nt'" in b.log, "the keys did not arrive as 'hi! Nt'")
    return [], b


def t_smss_missing_program():
    """init= naming a file that is not there: smss says so and the run ends with the NT status."""
    b, _ = run_program("C:\\Tests\\no-such.exe", "smss-missing", timeout=120)
    expect_shutdown(b, "C0000034")                       # STATUS_OBJECT_NAME_NOT_FOUND
    check("no-such.exe" in b.log, "smss did not name the missing program")
    return [], b


def t_smss_not_an_image():
    """init= naming a text file: the image section is refused with STATUS_INVALID_IMAGE_NOT_MZ."""
    image = system_volume("smss-text.img")
    txt = os.path.join(TMP, "readme-copy.txt")
    with open(txt, "wb") as f:
        f.write(b"not a program\r\n" * 10)
    subprocess.run(["mcopy", "-o", "-i", image, txt, "::/Tests/text.exe"], check=True,
                   env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
    b = qemu.boot(qemu.kernel_args("init=C:\\Tests\\text.exe"), timeout=120,
                  extra=["-drive", "file=%s,format=raw,if=ide,index=0" % image])
    expect_shutdown(b, "C000012F")                       # STATUS_INVALID_IMAGE_NOT_MZ
    return [], b


TESTS = [t_console_input_events, t_shell_ctrl_c, t_fs_on_ide_disk, t_image_sections, t_fs_on_ram_disk, t_fs_power_loss, t_fs_corrupt_volumes, t_iso_default_boot, t_make_run, t_iso_selftest_with_modules, t_kernel_selftest_with_modules, t_ata_disk, t_memory_32m,
         t_memory_1g, t_shutdown_bad_test_option, t_shutdown_service, t_shutdown_without_debug_exit,
         t_gdb_stops_at_entry, t_gdb_user_mode, t_gdb_layer_walk, t_console_typed_input, t_console_keyboard_input, t_shell_session, t_smss_missing_program, t_smss_not_an_image] + \
    [make_crash_test(*c) for c in CRASHES] + [make_program_test(p, "native") for p in native_programs()] + \
    [make_program_test(p, "win32") for p in win32_programs()]


def run_one(t):
    name = t.__name__[2:].replace("_", ".", 1) if t.__name__.startswith("t_") else t.__name__
    qemu.last.boot = None
    try:
        extra, _ = t()
        return name, True, "", extra
    except Exception as e:  # a harness error is a failure too, never a silent pass
        why = str(e) if isinstance(e, Failure) else "harness error: %r" % e
        b = qemu.last.boot
        if b is not None:
            why += "\n--- serial log (last lines) ---\n" + b.tail() + "\n---"
        return name, False, why, []


def main():
    only = sys.argv[1:]
    tests = [t for t in TESTS if not only or any(o in t.__name__ for o in only)]
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for name, ok, why, extra in pool.map(run_one, tests):
            for xname, xok, xwhy in extra:
                print("%s %s%s" % ("PASS" if xok else "FAIL", xname, "" if xok else ": " + xwhy))
                passed += xok
                failed += not xok
            print("%s %s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + why), flush=True)
            passed += ok
            failed += not ok
    print("system: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
