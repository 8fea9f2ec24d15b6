"""qemu.py - boots NanoNT under QEMU for the system tests and benchmarks, reading COM1 as it comes.

boot() starts qemu-system-i386 (software emulation only) with COM1 on a pipe, stops it when the
kernel has said what we wait for (or a bug check finished printing), and always within a hard
timeout, so a hung kernel fails a test instead of hanging the suite.
"""
import os
import re
import select
import subprocess
import threading
import time

last = threading.local()    # the last boot of this thread, for showing its log when a test fails

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
KERNEL = os.path.join(BUILD, "kernel.elf")
ISO = os.path.join(BUILD, "nanont.iso")
QEMU = "qemu-system-i386"
DEBUG_EXIT = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
HALTED = re.compile(r"\*\*\* System halted\.")


class Boot:
    def __init__(self, log, returncode, timed_out, wall, first_line_wall):
        self.log = log
        self.returncode = returncode        # None when we stopped QEMU ourselves
        self.timed_out = timed_out
        self.wall = wall
        self.marks = first_line_wall        # pattern -> seconds from start until it was seen

    def lines(self):
        return [l.rstrip("\r") for l in self.log.splitlines()]

    def tail(self, n=25):
        return "\n".join(self.lines()[-n:])

    def last_line(self):
        lines = [l for l in self.lines() if l.strip()]
        return lines[-1] if lines else ""


def boot(args, timeout=60, until=None, memory=256, debug_exit=True, extra=(), marks=(), typing=()):
    """Boots with QEMU arguments `args`. Stops at the first line matching `until` (a regex), at a
    finished bug check, at QEMU's own exit, or at `timeout` seconds. `typing` is a list of
    (regex, bytes): once the log matches the regex, the bytes go to COM1's input, as if typed on
    the serial line (each pair once, in order); instead of bytes, a function is called (to type on
    the keyboard through QEMU's monitor, say)."""
    cmd = [QEMU, "-m", str(memory), "-no-reboot", "-display", "none", "-monitor", "none",
           "-serial", "stdio"] + (DEBUG_EXIT if debug_exit else []) + list(extra) + list(args)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.PIPE if any(not callable(d) for _, d in typing) else subprocess.DEVNULL)
    to_type = [(re.compile(rx), data) for rx, data in typing]
    out = b""
    seen = {}
    timed_out = False
    stop_re = re.compile(until) if until else None
    mark_res = [(m, re.compile(m)) for m in marks]
    os.set_blocking(proc.stdout.fileno(), False)
    while True:
        left = start + timeout - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([proc.stdout], [], [], min(left, 0.5))
        if ready:
            chunk = proc.stdout.read()
            if chunk is None:
                continue
            if not chunk:                               # QEMU closed COM1: it is exiting
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
                break
            out += chunk
            text = out.decode("latin-1")
            now = time.monotonic() - start
            for name, rx in mark_res:
                if name not in seen and rx.search(text):
                    seen[name] = now
            while to_type and to_type[0][0].search(text):
                data = to_type.pop(0)[1]
                try:
                    if callable(data):
                        data()
                    else:
                        proc.stdin.write(data)
                        proc.stdin.flush()
                except OSError:
                    to_type = []
            if HALTED.search(text) or (stop_re and stop_re.search(text)):
                break
        elif proc.poll() is not None:
            rest = proc.stdout.read() or b""
            out += rest
            break
    wall = time.monotonic() - start
    if proc.poll() is None:
        proc.kill()
        proc.wait()
        rc = None
    else:
        rc = proc.returncode
    last.boot = Boot(out.decode("latin-1").replace("\r\n", "\n"), rc, timed_out, wall, seen)
    return last.boot


def kernel_args(cmdline, modules=()):
    args = ["-kernel", KERNEL, "-append", cmdline]
    if modules:
        args += ["-initrd", ",".join(modules)]
    return args


def make_iso(path, cmdline, modules=()):
    """A GRUB ISO like build/nanont.iso but with our command line and boot modules."""
    cfg = path + ".cfg"
    with open(cfg, "w") as f:
        f.write("set timeout=0\nmenuentry NanoNT {\n    multiboot /boot/kernel.elf %s\n" % cmdline)
        for m in modules:
            f.write("    module /boot/modules/%s %s\n" % (os.path.basename(m), os.path.basename(m)))
        f.write("    boot\n}\n")
    subprocess.run(["bash", os.path.join(ROOT, "tools", "mkiso.sh"), path, cfg, KERNEL] + list(modules),
                   check=True)
    os.unlink(cfg)
    return path
