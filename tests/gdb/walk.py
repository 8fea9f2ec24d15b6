# walk.py - the gdb layer walk (run by tests/system/run.py, t_gdb_layer_walk, after the gdb script
# make debug uses has loaded every layer's symbols and connected to QEMU running
# init=C:\Tests\walk.exe). It stops once in each layer a CreateFileW passes through, then in each
# layer a CreateProcessW passes through on its way to csrss, and prints "WALK <n> <symbol>" per
# stop and "WALK done" at the end; the test checks the order.
#
# User-mode code is reached with hardware breakpoints (its pages may not be there when gdb would
# plant an int3); kernel code with ordinary ones. Each stop deletes the breakpoints before setting
# the next, so the first hit of a layer after the previous one is the one recorded.
import gdb

STEPS = [
    ("hbreak", "CreateFileW@28"),           # kernel32: the Win32 call
    ("hbreak", "NtCreateFile@44"),          # ntdll: the system service stub
    ("break", "KiSystemService"),           # the int 0x2E trap gate
    ("break", "NtCreateFile"),              # the executive service
    ("break", "IopParseDevice"),            # the I/O manager's parse of \??\C:\...
    ("break", "FatpCreate"),                # the FAT file system driver's IRP_MJ_CREATE
    ("break", "AtaReadWrite"),              # the disk driver (reads or write-back of the file)
    ("hbreak", "CreateProcessW@40"),        # kernel32
    ("hbreak", "NtRequestWaitReplyPort@12"),  # ntdll: the CSR notification is an LPC request
    ("break", "NtRequestWaitReplyPort"),    # the kernel's LPC
    ("break", "LpcpReceive"),               # csrss's receive loop gets the message
]

gdb.execute("set pagination off")
for n, (kind, spec) in enumerate(STEPS):
    gdb.execute("delete")
    gdb.execute("%s %s" % (kind, spec))
    gdb.execute("continue")
    frame = gdb.newest_frame()                 # an inlined function has a frame of its own
    print("WALK %d %s" % (n, frame.name() or "?"))
print("WALK done")
gdb.execute("delete")
gdb.execute("kill")
