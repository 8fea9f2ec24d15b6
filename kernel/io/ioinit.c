/*
 * ioinit.c - starting the I/O system. Phase 0 creates the Driver, Device and File object
 * types; phase 1 starts the built-in drivers and names the system volume: the ATA disk if there
 * is one, else the RAM disk from a ".img" boot module. \??\C: points at that disk device (its
 * file system mounts on the first open of a path on it) and \SystemRoot at \??\C:\Windows.
 */
#include "iop.h"

BOOLEAN IopInitialized;
PDEVICE_OBJECT IoSystemDiskDevice;

BOOLEAN IoInitSystem(VOID)
{
    if (!IopCreateDeviceTypes() || !IopCreateFileType() || !IopCreateCompletionType()) return FALSE;
    IopInitializeIrpLookaside();
    IopInitializeRequestLookaside();
    IopInitialized = TRUE;
    return TRUE;
}

static VOID IopStartDriver(PCWSTR Name, PDRIVER_INITIALIZE Entry)
{
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, Name);
    NTSTATUS status = IoCreateDriver(&name, Entry);
    if (!NT_SUCCESS(status) && status != STATUS_NO_SUCH_DEVICE)
        DbgPrint("Io: a built-in driver did not start: %08lx\n", (unsigned long)status);
}

/* The device named Name, or NULL (referenced). */
static PDEVICE_OBJECT IopFindDevice(PCWSTR Name)
{
    UNICODE_STRING name;
    PVOID device;
    RtlInitUnicodeString(&name, Name);
    if (!NT_SUCCESS(ObReferenceObjectByName(&name, OBJ_CASE_INSENSITIVE, NULL, 0, IoDeviceObjectType, KernelMode,
                                            NULL, &device)))
        return NULL;
    return device;
}

static VOID IopLink(PCWSTR Link, PCWSTR Target)
{
    UNICODE_STRING link, target;
    RtlInitUnicodeString(&link, Link);
    RtlInitUnicodeString(&target, Target);
    NTSTATUS status = IoCreateSymbolicLink(&link, &target);
    if (!NT_SUCCESS(status)) DbgPrint("Io: link failed: %08lx\n", (unsigned long)status);
}

static VOID IopAssignSystemVolume(VOID)
{
    static const PCWSTR candidates[] = { u"\\Device\\Harddisk0\\Partition0", u"\\Device\\Ramdisk0" };
    for (ULONG i = 0; i < ARRAYSIZE(candidates); i++) {
        PDEVICE_OBJECT d = IopFindDevice(candidates[i]);
        if (d == NULL) continue;
        IoSystemDiskDevice = d;             /* keeps the reference */
        IopLink(u"\\??\\C:", candidates[i]);
        IopLink(u"\\SystemRoot", u"\\??\\C:\\Windows");
        DbgPrint("Io: system volume C: is %s\n", i == 0 ? "\\Device\\Harddisk0\\Partition0" : "\\Device\\Ramdisk0");
        return;
    }
    DbgPrint("Io: no system volume (no ATA disk, no .img module)\n");
}

VOID IoInitSystemPhase1(VOID)
{
    IopStartDriver(u"\\Driver\\Null", NullDriverEntry);
    IopStartDriver(u"\\Driver\\Serial", SerialDriverEntry);
    IopStartDriver(u"\\Driver\\Console", ConsoleDriverEntry);
    IopStartDriver(u"\\Driver\\Ramdisk", RamdiskDriverEntry);
    IopStartDriver(u"\\Driver\\Atapi", AtaDriverEntry);
    IopStartDriver(u"\\FileSystem\\Fat", FatDriverEntry);
    IopStartDriver(u"\\Driver\\Npfs", NpfsDriverEntry);
    IopLink(u"\\??\\NUL", u"\\Device\\Null");
    IopLink(u"\\??\\COM1", u"\\Device\\Serial0");
    IopLink(u"\\??\\PIPE", u"\\Device\\NamedPipe");
    IopAssignSystemVolume();
}
