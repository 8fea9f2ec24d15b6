/*
 * iotest.c - self-tests of the I/O manager and the drivers below the file system: the Null and
 * Serial devices through the Zw services; IRP mechanics on a test driver made here (completion
 * routines bottom-up with the right device, pending IRPs completed from another thread, the
 * IO_STATUS_BLOCK, IoBuild* requests); share access; a test file system that mounts a test
 * disk, so the whole create/read/query/directory/rename/cleanup/close path an FSD sees is
 * exercised; the RAM disk and ATA disk sector paths; and user-mode file calls (access checks,
 * bad pointers) through the native test program.
 */
#include "io.h"
#include "ps.h"
#include "arc.h"
#include "kd.h"
#include "rtl.h"
#include "ntstatus.h"
#include "boottest.h"
#include "utest.h"

NTSTATUS TstRunUserMode(ULONG Mode, ULONG Parameter);    /* pstest.c */
ULONG IopFileSystemCount(VOID);                          /* io/mount.c */

#define TST_IOCTL_ECHO     CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define TST_IOCTL_PENDING  CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define TST_FS_CONTEXT     ((PVOID)0xF5C0)
#define TST_MAGIC          "NANOTSTF"

typedef struct _TST_EXT { SHARE_ACCESS Share; } TST_EXT;

static PDEVICE_OBJECT TstUpper, TstLower, TstShare, TstDisk, TstFs, TstVolume;
static ULONG TstOrder[4], TstOrderCount, TstMounts, TstCleanups, TstCloses, TstFsShutdowns;
static PVOID TstCompletingThread;
static WCHAR TstLastName[64];
static USHORT TstLastNameLength;
static BOOLEAN TstLastRelated;

/* ---- The lower device: echo, and pending requests finished by a system thread ------------ */

static VOID TstCompleteLater(PVOID Context)
{
    PIRP irp = Context;
    LARGE_INTEGER delay = { .QuadPart = -200000 };          /* 20 ms */
    KeDelayExecutionThread(KernelMode, FALSE, &delay);
    TstCompletingThread = PsGetCurrentThread();
    *(PULONG)irp->AssociatedIrp.SystemBuffer = 0xFEEDF00D;
    IoCompleteRequestWithStatus(irp, STATUS_SUCCESS, sizeof(ULONG));
}

static NTSTATUS TstLowerDispatch(PIRP Irp, PIO_STACK_LOCATION Sp)
{
    if (Sp->MajorFunction != IRP_MJ_DEVICE_CONTROL) return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
    if (Sp->Parameters.DeviceIoControl.IoControlCode == TST_IOCTL_PENDING) {
        HANDLE thread;
        IoMarkIrpPending(Irp);
        if (!NT_SUCCESS(PsCreateSystemThread(&thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, TstCompleteLater, Irp)))
            KeBugCheckEx(KERNEL_SELF_TEST_FAILED, 0x10, 0, 0, 0);
        ZwClose(thread);
        return STATUS_PENDING;
    }
    TstOrder[TstOrderCount++ & 3] = 1;                       /* the lower driver ran */
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, Sp->Parameters.DeviceIoControl.InputBufferLength);
}

static NTSTATUS TstUpperDone(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    TstOrder[TstOrderCount++ & 3] = DeviceObject == TstUpper ? 2 : 99;
    if (Irp->PendingReturned) IoMarkIrpPending(Irp);
    return STATUS_SUCCESS;
}

/* ---- The share device and the test disk --------------------------------------------------- */

static NTSTATUS TstShareDispatch(PDEVICE_OBJECT Device, PIRP Irp, PIO_STACK_LOCATION Sp)
{
    TST_EXT *ext = Device->DeviceExtension;
    if (Sp->MajorFunction == IRP_MJ_CREATE)
        return IoCompleteRequestWithStatus(Irp, IoCheckShareAccess(Sp->Parameters.Create.SecurityContext->DesiredAccess,
                                                   Sp->Parameters.Create.ShareAccess, Sp->FileObject, &ext->Share,
                                                   TRUE), FILE_OPENED);
    if (Sp->MajorFunction == IRP_MJ_CLEANUP) IoRemoveShareAccess(Sp->FileObject, &ext->Share);
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
}

static NTSTATUS TstDiskDispatch(PIRP Irp, PIO_STACK_LOCATION Sp)
{
    if (Sp->MajorFunction == IRP_MJ_READ) {
        RtlZeroMemory(Irp->AssociatedIrp.SystemBuffer, Sp->Parameters.Read.Length);
        RtlCopyMemory((PCHAR)Irp->AssociatedIrp.SystemBuffer + 3, TST_MAGIC, 8);
        return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, Sp->Parameters.Read.Length);
    }
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
}

/* ---- The test file system ------------------------------------------------------------------ */

static NTSTATUS TstMount(PIO_STACK_LOCATION Sp)
{
    PDEVICE_OBJECT disk = Sp->Parameters.MountVolume.DeviceObject;
    UCHAR sector[512];
    KEVENT done;
    IO_STATUS_BLOCK iosb;
    LARGE_INTEGER zero = { .QuadPart = 0 };
    KeInitializeEvent(&done, NotificationEvent, FALSE);
    PIRP irp = IoBuildSynchronousFsdRequest(IRP_MJ_READ, disk, sector, sizeof(sector), &zero, &done, &iosb);
    if (irp == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS status = IoCallDriverAndWait(disk, irp, &done, &iosb);
    if (!NT_SUCCESS(status) || RtlCompareMemory(sector + 3, TST_MAGIC, 8) != 8) return STATUS_UNRECOGNIZED_VOLUME;
    status = IoCreateDevice(TstFs->DriverObject, 0, NULL, FILE_DEVICE_DISK_FILE_SYSTEM, 0, FALSE, &TstVolume);
    if (!NT_SUCCESS(status)) return status;
    TstVolume->StackSize = (CHAR)(disk->StackSize + 1);
    TstVolume->Flags &= ~DO_DEVICE_INITIALIZING;
    PVPB vpb = Sp->Parameters.MountVolume.Vpb;
    vpb->SerialNumber = 0x1234ABCD;
    vpb->VolumeLabelLength = 8;
    RtlCopyMemory(vpb->VolumeLabel, u"TEST", 8);
    vpb->DeviceObject = TstVolume;
    TstMounts++;
    return STATUS_SUCCESS;
}

static NTSTATUS TstVolumeCreate(PIRP Irp, PIO_STACK_LOCATION Sp)
{
    PFILE_OBJECT f = Sp->FileObject;
    UNICODE_STRING missing = RTL_CONSTANT_STRING(u"\\missing");
    TstLastNameLength = f->FileName.Length < sizeof(TstLastName) ? f->FileName.Length : sizeof(TstLastName);
    RtlCopyMemory(TstLastName, f->FileName.Buffer, TstLastNameLength);
    TstLastRelated = f->RelatedFileObject != NULL;
    if (RtlEqualUnicodeString(&f->FileName, &missing, TRUE)) return IoCompleteRequestWithStatus(Irp, STATUS_OBJECT_NAME_NOT_FOUND, 0);
    f->FsContext = TST_FS_CONTEXT;
    f->FsContext2 = (PVOID)(ULONG_PTR)(Sp->Parameters.Create.Options >> 24);   /* the disposition */
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, FILE_OPENED);
}

static NTSTATUS TstVolumeDirectory(PIRP Irp, PIO_STACK_LOCATION Sp)
{
    PFILE_NAMES_INFORMATION e = Irp->AssociatedIrp.SystemBuffer;
    PUNICODE_STRING pattern = Sp->Parameters.QueryDirectory.FileName;
    if (!(Sp->Flags & SL_RESTART_SCAN)) return IoCompleteRequestWithStatus(Irp, STATUS_NO_MORE_FILES, 0);
    if (pattern == NULL || Sp->Parameters.QueryDirectory.FileInformationClass != FileNamesInformation)
        return IoCompleteRequestWithStatus(Irp, STATUS_NO_SUCH_FILE, 0);
    e->NextEntryOffset = 0;
    e->FileIndex = 0;
    e->FileNameLength = pattern->Length;
    RtlCopyMemory(e->FileName, pattern->Buffer, pattern->Length);
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, FIELD_OFFSET(FILE_NAMES_INFORMATION, FileName) + pattern->Length);
}

static NTSTATUS TstVolumeDispatch(PIRP Irp, PIO_STACK_LOCATION Sp)
{
    PFILE_OBJECT f = Sp->FileObject;
    switch (Sp->MajorFunction) {
    case IRP_MJ_CREATE: return TstVolumeCreate(Irp, Sp);
    case IRP_MJ_CLEANUP: TstCleanups++; return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
    case IRP_MJ_CLOSE: TstCloses++; return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
    case IRP_MJ_READ:
        if (f->FsContext != TST_FS_CONTEXT) return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_PARAMETER, 0);
        RtlFillMemory(Irp->AssociatedIrp.SystemBuffer, Sp->Parameters.Read.Length, 'f');
        return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, Sp->Parameters.Read.Length);
    case IRP_MJ_DIRECTORY_CONTROL: return TstVolumeDirectory(Irp, Sp);
    case IRP_MJ_QUERY_VOLUME_INFORMATION: {
        PFILE_FS_VOLUME_INFORMATION v = Irp->AssociatedIrp.SystemBuffer;
        PVPB vpb = f->Vpb;
        v->VolumeSerialNumber = vpb->SerialNumber;
        v->VolumeLabelLength = vpb->VolumeLabelLength;
        RtlCopyMemory(v->VolumeLabel, vpb->VolumeLabel, vpb->VolumeLabelLength);
        return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, FIELD_OFFSET(FILE_FS_VOLUME_INFORMATION, VolumeLabel) + 8);
    }
    case IRP_MJ_SET_INFORMATION: {
        PFILE_RENAME_INFORMATION r = Irp->AssociatedIrp.SystemBuffer;
        if (Sp->Parameters.SetFile.FileInformationClass != FileRenameInformation)
            return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_PARAMETER, 0);
        TstLastNameLength = (USHORT)(r->FileNameLength < sizeof(TstLastName) ? r->FileNameLength : sizeof(TstLastName));
        RtlCopyMemory(TstLastName, r->FileName, TstLastNameLength);
        return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
    }
    default: return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static NTSTATUS TstDispatch(PDEVICE_OBJECT Device, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    if (Device == TstUpper) {                                /* a filter: pass it down */
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, TstUpperDone, NULL, TRUE, TRUE, TRUE);
        return IoCallDriver(TstLower, Irp);
    }
    if (Device == TstLower) return TstLowerDispatch(Irp, sp);
    if (Device == TstShare) return TstShareDispatch(Device, Irp, sp);
    if (Device == TstDisk) return TstDiskDispatch(Irp, sp);
    if (Device == TstFs) {
        if (sp->MajorFunction == IRP_MJ_FILE_SYSTEM_CONTROL && sp->MinorFunction == IRP_MN_MOUNT_VOLUME)
            return IoCompleteRequestWithStatus(Irp, TstMount(sp), 0);
        if (sp->MajorFunction == IRP_MJ_SHUTDOWN) TstFsShutdowns++;
        return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
    }
    return TstVolumeDispatch(Irp, sp);
}

static NTSTATUS TstDriverEntry(PDRIVER_OBJECT Driver, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING upper = RTL_CONSTANT_STRING(u"\\Device\\IoTestUpper"), lower = RTL_CONSTANT_STRING(u"\\Device\\IoTestLower"),
                   share = RTL_CONSTANT_STRING(u"\\Device\\IoTestShare"), disk = RTL_CONSTANT_STRING(u"\\Device\\IoTestDisk");
    NTSTATUS status = IoCreateDevice(Driver, 0, &lower, FILE_DEVICE_UNKNOWN, 0, FALSE, &TstLower);
    if (NT_SUCCESS(status)) status = IoCreateDevice(Driver, 0, &upper, FILE_DEVICE_UNKNOWN, 0, FALSE, &TstUpper);
    if (NT_SUCCESS(status)) status = IoCreateDevice(Driver, sizeof(TST_EXT), &share, FILE_DEVICE_UNKNOWN, 0, FALSE, &TstShare);
    if (NT_SUCCESS(status)) status = IoCreateDevice(Driver, 0, &disk, FILE_DEVICE_DISK, 0, FALSE, &TstDisk);
    if (NT_SUCCESS(status)) status = IoCreateDevice(Driver, 0, NULL, FILE_DEVICE_DISK_FILE_SYSTEM, 0, FALSE, &TstFs);
    if (!NT_SUCCESS(status)) return status;
    TstUpper->StackSize = (CHAR)(TstLower->StackSize + 1);
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) Driver->MajorFunction[i] = TstDispatch;
    return STATUS_SUCCESS;
}

/* The test driver is made once and stays (as built-in drivers do). */
static BOOLEAN TstEnsureDriver(void)
{
    static BOOLEAN made;
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"\\Driver\\IoTest");
    if (!made) made = NT_SUCCESS(IoCreateDriver(&name, TstDriverEntry));
    return made;
}

/* ---- Helpers ------------------------------------------------------------------------------- */

static NTSTATUS TstOpen(PCWSTR Name, HANDLE Root, ACCESS_MASK Access, ULONG Share, ULONG Options, HANDLE *File)
{
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    RtlInitUnicodeString(&us, Name);
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, Root, NULL);
    return ZwCreateFile(File, Access, &oa, &iosb, NULL, 0, Share, FILE_OPEN, Options, NULL, 0);
}

static BOOLEAN TstLastNameIs(PCWSTR Expected)
{
    UNICODE_STRING a, b = { TstLastNameLength, TstLastNameLength, TstLastName };
    RtlInitUnicodeString(&a, Expected);
    return RtlEqualUnicodeString(&a, &b, FALSE);
}

/* ---- Tests --------------------------------------------------------------------------------- */

static PCSTR TestNull(void)
{
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    UCHAR data[100];
    FILE_POSITION_INFORMATION pos;
    FILE_FS_DEVICE_INFORMATION dev;
    CHECK(TstOpen(u"\\Device\\Null", NULL, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, 0, FILE_SYNCHRONOUS_IO_NONALERT,
                  &h) == STATUS_SUCCESS, "open \\Device\\Null");
    CHECK(ZwWriteFile(h, NULL, NULL, NULL, &iosb, data, sizeof(data), NULL, NULL) == STATUS_SUCCESS &&
          iosb.Status == STATUS_SUCCESS && iosb.Information == sizeof(data), "write to null");
    CHECK(ZwQueryInformationFile(h, &iosb, &pos, sizeof(pos), FilePositionInformation) == STATUS_SUCCESS &&
          pos.CurrentByteOffset.QuadPart == sizeof(data), "position not advanced by the write");
    iosb.Status = 0x5555;
    CHECK(ZwReadFile(h, NULL, NULL, NULL, &iosb, data, sizeof(data), NULL, NULL) == STATUS_END_OF_FILE &&
          iosb.Status == 0x5555, "read from null is not end-of-file (or wrote the status block)");
    CHECK(ZwQueryVolumeInformationFile(h, &iosb, &dev, sizeof(dev), FileFsDeviceInformation) == STATUS_SUCCESS &&
          dev.DeviceType == FILE_DEVICE_NULL, "device information");
    CHECK(ZwQueryVolumeInformationFile(h, &iosb, &dev, 4, FileFsDeviceInformation) == STATUS_INFO_LENGTH_MISMATCH,
          "short volume buffer accepted");
    CHECK(ZwDeviceIoControlFile(h, NULL, NULL, NULL, &iosb, TST_IOCTL_ECHO, NULL, 0, NULL, 0) ==
          STATUS_INVALID_DEVICE_REQUEST, "missing dispatch routine");
    CHECK(ZwQueryInformationFile(h, &iosb, &pos, sizeof(pos), (FILE_INFORMATION_CLASS)77) == STATUS_INVALID_INFO_CLASS,
          "bad class");
    CHECK(ZwClose(h) == STATUS_SUCCESS, "close");
    CHECK(TstOpen(u"\\??\\NUL", NULL, FILE_READ_DATA, 0, 0, &h) == STATUS_SUCCESS, "\\??\\NUL");
    CHECK(ZwReadFile(h, NULL, NULL, NULL, &iosb, data, 1, NULL, NULL) == STATUS_INVALID_PARAMETER,
          "no offset on an asynchronous handle");
    ZwClose(h);
    CHECK(TstOpen(u"\\Device", NULL, FILE_READ_DATA, 0, 0, &h) == STATUS_OBJECT_TYPE_MISMATCH, "a directory opened as a file");
    CHECK(TstOpen(u"\\Device\\NoSuch", NULL, FILE_READ_DATA, 0, 0, &h) == STATUS_OBJECT_NAME_NOT_FOUND, "missing device");
    CHECK(TstOpen(u"\\Device\\Null", NULL, FILE_READ_DATA, 0, FILE_SYNCHRONOUS_IO_NONALERT, &h) ==
          STATUS_INVALID_PARAMETER, "synchronous I/O without SYNCHRONIZE");
    return NULL;
}

static PCSTR TestSerial(void)
{
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    static const char text[] = "io.serial: hello from ZwWriteFile\n";
    UCHAR in[8];
    LARGE_INTEGER zero = { .QuadPart = 0 };
    CHECK(TstOpen(u"\\??\\COM1", NULL, GENERIC_READ | GENERIC_WRITE, 0, 0, &h) == STATUS_SUCCESS, "open COM1");
    CHECK(ZwWriteFile(h, NULL, NULL, NULL, &iosb, (PVOID)text, sizeof(text) - 1, &zero, NULL) == STATUS_SUCCESS &&
          iosb.Information == sizeof(text) - 1, "write to the serial port");
    CHECK(ZwReadFile(h, NULL, NULL, NULL, &iosb, in, sizeof(in), &zero, NULL) == STATUS_SUCCESS &&
          iosb.Information <= sizeof(in), "read of the serial port");
    ZwClose(h);
    return NULL;
}

/* \Device\Console: a write reaches the screen and COM1 (the system test looks for the line); a
 * zero-length read returns at once. (Reads that wait for typing are tested with input fed to
 * COM1, tests/system/run.py.) */
static PCSTR TestConsoleDevice(void)
{
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    static const char text[] = "io.console: hello from \\Device\\Console\n";
    UCHAR in[4];
    LARGE_INTEGER zero = { .QuadPart = 0 };
    CHECK(TstOpen(u"\\Device\\Console", NULL, GENERIC_READ | GENERIC_WRITE, 0, 0, &h) == STATUS_SUCCESS,
          "open the console device");
    CHECK(ZwWriteFile(h, NULL, NULL, NULL, &iosb, (PVOID)text, sizeof(text) - 1, &zero, NULL) == STATUS_SUCCESS &&
          iosb.Information == sizeof(text) - 1, "write to the console");
    CHECK(ZwReadFile(h, NULL, NULL, NULL, &iosb, in, 0, &zero, NULL) == STATUS_SUCCESS && iosb.Information == 0,
          "an empty read");
    ZwClose(h);
    return NULL;
}

static NTSTATUS TstTopDone(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    TstOrder[TstOrderCount++ & 3] = DeviceObject == NULL ? 3 : 98;
    *(PULONG)Context = Irp->IoStatus.Information;
    return STATUS_MORE_PROCESSING_REQUIRED;                 /* keep the IRP: we free it */
}

static PCSTR TestIrpCompletion(void)
{
    ULONG seen = 0;
    UCHAR buffer[12];
    CHECK(TstEnsureDriver(), "test driver");
    PIRP irp = IoAllocateIrp(TstUpper->StackSize, FALSE);
    CHECK(irp != NULL && irp->StackCount == 2 && irp->CurrentLocation == 3, "IRP stack");
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->MajorFunction = IRP_MJ_DEVICE_CONTROL;
    sp->Parameters.DeviceIoControl.IoControlCode = TST_IOCTL_ECHO;
    sp->Parameters.DeviceIoControl.InputBufferLength = sizeof(buffer);
    irp->AssociatedIrp.SystemBuffer = buffer;
    IoSetCompletionRoutine(irp, TstTopDone, &seen, TRUE, TRUE, TRUE);
    TstOrderCount = 0;
    NTSTATUS status = IoCallDriver(TstUpper, irp);
    CHECK(status == STATUS_SUCCESS, "echo through the filter");
    CHECK(TstOrderCount == 3 && TstOrder[0] == 1 && TstOrder[1] == 2 && TstOrder[2] == 3,
          "completion routines not bottom-up, or with the wrong device");
    CHECK(seen == sizeof(buffer) && irp->CurrentLocation == 3, "IoStatus or stack position after completion");
    CHECK(IoGetCurrentIrpStackLocation(irp) == (PIO_STACK_LOCATION)(irp + 1) + 2, "current location");
    IoFreeIrp(irp);

    /* A pending request through IoBuildDeviceIoControlRequest, finished by another thread. */
    KEVENT done;
    IO_STATUS_BLOCK iosb = { .Status = -1 };
    ULONG out = 0;
    KeInitializeEvent(&done, NotificationEvent, FALSE);
    irp = IoBuildDeviceIoControlRequest(TST_IOCTL_PENDING, TstUpper, NULL, 0, &out, sizeof(out), FALSE, &done, &iosb);
    CHECK(irp != NULL, "build");
    TstCompletingThread = NULL;
    status = IoCallDriver(TstUpper, irp);
    CHECK(status == STATUS_PENDING, "the filter did not return the lower driver's STATUS_PENDING");
    KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, NULL);
    CHECK(iosb.Status == STATUS_SUCCESS && iosb.Information == sizeof(ULONG) && out == 0xFEEDF00D,
          "pending IRP's status block or output");
    CHECK(TstCompletingThread != NULL && TstCompletingThread != PsGetCurrentThread(), "completed by whom?");
    return NULL;
}

static PCSTR TestPendingThroughServices(void)
{
    HANDLE h, sync, event;
    IO_STATUS_BLOCK iosb = { .Status = -1 };
    ULONG out = 0, in[3] = { 1, 2, 3 };
    LARGE_INTEGER zero = { .QuadPart = 0 };
    CHECK(TstEnsureDriver(), "test driver");
    CHECK(TstOpen(u"\\Device\\IoTestUpper", NULL, GENERIC_READ, 0, 0, &h) == STATUS_SUCCESS, "open");
    CHECK(ZwCreateEvent(&event, EVENT_ALL_ACCESS, NULL, NotificationEvent, TRUE) == STATUS_SUCCESS, "event");
    /* Asynchronous handle: STATUS_PENDING now, the status block, output and event later (the
     * completion is a kernel APC to this thread, run in its wait). */
    NTSTATUS status = ZwDeviceIoControlFile(h, event, NULL, NULL, &iosb, TST_IOCTL_PENDING, NULL, 0, &out, sizeof(out));
    CHECK(status == STATUS_PENDING, "a pending request on an asynchronous handle did not return STATUS_PENDING");
    CHECK(iosb.Status == -1 && out == 0, "status block or output written before completion");
    CHECK(ZwWaitForSingleObject(event, FALSE, NULL) == STATUS_WAIT_0, "wait for the event");
    CHECK(iosb.Status == STATUS_SUCCESS && iosb.Information == sizeof(out) && out == 0xFEEDF00D,
          "pending control request through the service");
    /* Synchronous handle: the service waits and returns the final status. */
    CHECK(TstOpen(u"\\Device\\IoTestUpper", NULL, GENERIC_READ | SYNCHRONIZE, 0, FILE_SYNCHRONOUS_IO_NONALERT,
                  &sync) == STATUS_SUCCESS, "open for synchronous I/O");
    out = 0;
    iosb.Status = -1;
    status = ZwDeviceIoControlFile(sync, event, NULL, NULL, &iosb, TST_IOCTL_PENDING, NULL, 0, &out, sizeof(out));
    CHECK(status == STATUS_SUCCESS && iosb.Status == STATUS_SUCCESS && iosb.Information == sizeof(out) &&
          out == 0xFEEDF00D, "pending control request on a synchronous handle");
    CHECK(ZwWaitForSingleObject(event, FALSE, &zero) == STATUS_WAIT_0, "caller's event not signalled");
    CHECK(ZwDeviceIoControlFile(h, NULL, NULL, NULL, &iosb, TST_IOCTL_ECHO, in, sizeof(in), in, 8) == STATUS_SUCCESS &&
          iosb.Information == 8, "output length not clipped to the caller's buffer");
    ZwClose(sync);
    ZwClose(event);
    ZwClose(h);
    return NULL;
}

static PCSTR TestShareAccess(void)
{
    HANDLE h1, h2, h3;
    const ACCESS_MASK rw = FILE_READ_DATA | FILE_WRITE_DATA;
    CHECK(TstEnsureDriver(), "test driver");
    CHECK(TstOpen(u"\\Device\\IoTestShare", NULL, rw, FILE_SHARE_READ, 0, &h1) == STATUS_SUCCESS, "first open");
    CHECK(TstOpen(u"\\Device\\IoTestShare", NULL, FILE_WRITE_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, 0, &h2) ==
          STATUS_SHARING_VIOLATION, "a writer admitted where writing is not shared");
    CHECK(TstOpen(u"\\Device\\IoTestShare", NULL, FILE_READ_DATA, FILE_SHARE_READ, 0, &h2) == STATUS_SHARING_VIOLATION,
          "an open refusing to share write admitted beside a writer");
    CHECK(TstOpen(u"\\Device\\IoTestShare", NULL, FILE_READ_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, 0, &h3) ==
          STATUS_SUCCESS, "a compatible reader refused");
    CHECK(TstOpen(u"\\Device\\IoTestShare", NULL, FILE_READ_ATTRIBUTES, 0, 0, &h2) == STATUS_SUCCESS,
          "attribute-only open refused");
    ZwClose(h2);
    ZwClose(h1);
    CHECK(TstOpen(u"\\Device\\IoTestShare", NULL, FILE_WRITE_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, 0, &h2) ==
          STATUS_SUCCESS, "share access not released on close");
    ZwClose(h2);
    ZwClose(h3);
    TST_EXT *ext = TstShare->DeviceExtension;
    CHECK(ext->Share.OpenCount == 0 && ext->Share.Readers == 0 && ext->Share.Writers == 0, "share record not empty");
    return NULL;
}

static PCSTR TestFileSystem(void)
{
    HANDLE dir, file, h;
    IO_STATUS_BLOCK iosb;
    UCHAR data[8];
    LARGE_INTEGER zero = { .QuadPart = 0 };
    CHECK(TstEnsureDriver(), "test driver");
    IoRegisterFileSystem(TstFs);
    ULONG cleanups = TstCleanups, closes = TstCloses;
    CHECK(TstOpen(u"\\Device\\IoTestDisk\\Dir", NULL, FILE_LIST_DIRECTORY | SYNCHRONIZE, 0,
                  FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, &dir) == STATUS_SUCCESS, "open on the test volume");
    CHECK(TstMounts == 1 && TstLastNameIs(u"\\Dir") && !TstLastRelated, "mount, or the name the FSD saw");
    CHECK(TstOpen(u"File.TXT", dir, GENERIC_READ | DELETE, 0, 0, &file) == STATUS_SUCCESS, "relative open");
    CHECK(TstMounts == 1 && TstLastNameIs(u"File.TXT") && TstLastRelated, "relative name or second mount");
    CHECK(ZwReadFile(file, NULL, NULL, NULL, &iosb, data, sizeof(data), &zero, NULL) == STATUS_SUCCESS &&
          iosb.Information == sizeof(data) && data[7] == 'f', "read through the FSD");
    UCHAR vbuf[64] __attribute__((aligned(8)));
    PFILE_FS_VOLUME_INFORMATION v = (PVOID)vbuf;
    CHECK(ZwQueryVolumeInformationFile(file, &iosb, v, sizeof(vbuf), FileFsVolumeInformation) == STATUS_SUCCESS &&
          v->VolumeSerialNumber == 0x1234ABCD && v->VolumeLabelLength == 8, "volume information");
    UCHAR dbuf[128] __attribute__((aligned(8)));
    UNICODE_STRING pattern = RTL_CONSTANT_STRING(u"*.txt");
    CHECK(ZwQueryDirectoryFile(dir, NULL, NULL, NULL, &iosb, dbuf, sizeof(dbuf), FileNamesInformation, TRUE, &pattern,
                               TRUE) == STATUS_SUCCESS &&
          ((PFILE_NAMES_INFORMATION)dbuf)->FileNameLength == 10, "directory query with a pattern");
    CHECK(ZwQueryDirectoryFile(dir, NULL, NULL, NULL, &iosb, dbuf, sizeof(dbuf), FileNamesInformation, TRUE, NULL,
                               FALSE) == STATUS_NO_MORE_FILES && iosb.Status == STATUS_NO_MORE_FILES,
          "end of the directory (a warning: the status block is written)");
    /* Renames: an absolute target on the same volume arrives as a volume path. */
    UCHAR rbuf[96] __attribute__((aligned(8)));
    PFILE_RENAME_INFORMATION r = (PVOID)rbuf;
    static const WCHAR target[] = u"\\Device\\IoTestDisk\\New.txt", other[] = u"\\Device\\Null\\x";
    r->ReplaceIfExists = TRUE;
    r->RootDirectory = NULL;
    r->FileNameLength = sizeof(target) - 2;
    RtlCopyMemory(r->FileName, target, sizeof(target));
    CHECK(ZwSetInformationFile(file, &iosb, r, sizeof(rbuf), FileRenameInformation) == STATUS_SUCCESS &&
          TstLastNameIs(u"\\New.txt"), "rename target not resolved to the volume path");
    r->FileNameLength = sizeof(other) - 2;
    RtlCopyMemory(r->FileName, other, sizeof(other));
    CHECK(ZwSetInformationFile(file, &iosb, r, sizeof(rbuf), FileRenameInformation) == STATUS_NOT_SAME_DEVICE,
          "rename to another device");
    CHECK(TstOpen(u"\\Device\\IoTestDisk\\missing", NULL, GENERIC_READ, 0, 0, &h) == STATUS_OBJECT_NAME_NOT_FOUND,
          "the FSD's error not returned");
    ZwClose(file);
    ZwClose(dir);
    CHECK(TstCleanups - cleanups == 2 && TstCloses - closes == 2, "cleanup and close not sent once per file");
    IoUnregisterFileSystem(TstFs);
    return NULL;
}

static PCSTR TestUserMode(void)
{
    static const struct { ULONG Mode; PCSTR What; } modes[] = {
        { UT_FILE_NULL, "user-mode \\Device\\Null" }, { UT_FILE_ACCESS, "user-mode access checks" },
        { UT_FILE_BAD_POINTERS, "user-mode bad pointers" },
    };
    for (ULONG i = 0; i < ARRAYSIZE(modes); i++) {
        NTSTATUS s = TstRunUserMode(modes[i].Mode, 0);
        if (s != (NTSTATUS)UT_OK) {
            DbgPrint("  %s: %08lx\n", modes[i].What, (unsigned long)s);
            return modes[i].What;
        }
    }
    return NULL;
}

static PBOOT_MODULE TstFindImage(void)
{
    for (ULONG i = 0; i < KeLoaderBlock.ModuleCount; i++) {
        PBOOT_MODULE m = &KeLoaderBlock.Modules[i];
        ULONG end = 0;
        while (m->Name[end] && m->Name[end] != ' ') end++;
        if (end >= 4 && RtlCompareStringN(m->Name + end - 4, ".img", 4) == 0) return m;
    }
    return NULL;
}

/* Sector I/O on a block device by handle: geometry, length, read, write, errors. */
static PCSTR TstBlockDevice(PCWSTR Name, ULONGLONG *Bytes)
{
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    DISK_GEOMETRY g;
    GET_LENGTH_INFORMATION len;
    static UCHAR sector[512], back[512];
    CHECK(TstOpen(Name, NULL, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                  FILE_SYNCHRONOUS_IO_NONALERT, &h) == STATUS_SUCCESS, "open the disk");
    CHECK(ZwDeviceIoControlFile(h, NULL, NULL, NULL, &iosb, IOCTL_DISK_GET_DRIVE_GEOMETRY, NULL, 0, &g, sizeof(g)) ==
          STATUS_SUCCESS && g.BytesPerSector == 512 && iosb.Information == sizeof(g), "geometry");
    CHECK(ZwDeviceIoControlFile(h, NULL, NULL, NULL, &iosb, IOCTL_DISK_GET_LENGTH_INFO, NULL, 0, &len, sizeof(len)) ==
          STATUS_SUCCESS && len.Length.QuadPart > 0, "length");
    *Bytes = (ULONGLONG)len.Length.QuadPart;
    LARGE_INTEGER last = { .QuadPart = len.Length.QuadPart - 512 }, end = { .QuadPart = len.Length.QuadPart };
    LARGE_INTEGER odd = { .QuadPart = 100 };
    for (ULONG i = 0; i < 512; i++) sector[i] = (UCHAR)(i * 7 + 3);
    CHECK(ZwWriteFile(h, NULL, NULL, NULL, &iosb, sector, 512, &last, NULL) == STATUS_SUCCESS && iosb.Information == 512,
          "write the last sector");
    CHECK(ZwReadFile(h, NULL, NULL, NULL, &iosb, back, 512, &last, NULL) == STATUS_SUCCESS &&
          RtlCompareMemory(sector, back, 512) == 512, "read back the last sector");
    CHECK(ZwReadFile(h, NULL, NULL, NULL, &iosb, back, 512, &end, NULL) == STATUS_END_OF_FILE, "read past the end");
    CHECK(ZwReadFile(h, NULL, NULL, NULL, &iosb, back, 512, &odd, NULL) == STATUS_INVALID_PARAMETER, "unaligned read");
    CHECK(ZwReadFile(h, NULL, NULL, NULL, &iosb, back, 100, &last, NULL) == STATUS_INVALID_PARAMETER, "partial sector");
    CHECK(ZwFlushBuffersFile(h, &iosb) == STATUS_SUCCESS, "flush");
    ZwClose(h);
    return NULL;
}

static PCSTR TestRamdisk(void)
{
    PBOOT_MODULE m = TstFindImage();
    ULONGLONG bytes = 0;
    HANDLE h;
    if (m == NULL) {
        DbgPrint("  no .img module: nothing to test\n");
        return NULL;
    }
    PCSTR why = TstBlockDevice(u"\\Device\\Ramdisk0", &bytes);
    if (why) return why;
    CHECK(bytes == (m->Size & ~511u), "length is not the module's");
    PUCHAR last = (PUCHAR)m->VirtualStart + bytes - 512;
    CHECK(last[0] == 3 && last[1] == 10, "the write did not reach the module's memory");
    /* Until a file system is registered, a path on C: finds no file system. */
    if (IopFileSystemCount() == 0)
        CHECK(TstOpen(u"\\??\\C:\\Windows", NULL, GENERIC_READ, 0, 0, &h) == STATUS_UNRECOGNIZED_VOLUME,
              "a path on an unmounted volume");
    return NULL;
}

static PCSTR TestAta(void)
{
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    static UCHAR buf[64 * 512];
    static const char host[] = "NANONT-ATA-HOST-PATTERN", kernel[] = "NANONT-ATA-KERNEL-WRITE";
    ULONGLONG bytes;
    if (!NT_SUCCESS(TstOpen(u"\\Device\\Harddisk0\\Partition0", NULL, FILE_READ_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE,
                            0, &h))) {
        DbgPrint("  no ATA disk: nothing to test\n");
        return NULL;
    }
    ZwClose(h);
    PCSTR why = TstBlockDevice(u"\\Device\\Harddisk0\\Partition0", &bytes);
    if (why) return why;
    DbgPrint("io.ata: disk %lu sectors\n", (unsigned long)(bytes / 512));
    CHECK(TstOpen(u"\\Device\\Harddisk0\\Partition0", NULL, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE,
                  FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_SYNCHRONOUS_IO_NONALERT, &h) == STATUS_SUCCESS, "open");
    LARGE_INTEGER at = { .QuadPart = 512 };
    CHECK(ZwReadFile(h, NULL, NULL, NULL, &iosb, buf, 512, &at, NULL) == STATUS_SUCCESS, "read sector 1");
    if (RtlCompareMemory(buf, host, sizeof(host) - 1) == sizeof(host) - 1) {   /* the system test's disk */
        at.QuadPart = 8 * 512;
        CHECK(ZwReadFile(h, NULL, NULL, NULL, &iosb, buf, sizeof(buf), &at, NULL) == STATUS_SUCCESS &&
              iosb.Information == sizeof(buf), "read 64 sectors");
        for (ULONG i = 0; i < 64; i++) {
            char expect[16];
            RtlFormat(expect, sizeof(expect), "SECTOR %04lu", (unsigned long)(8 + i));
            CHECK(RtlCompareMemory(buf + i * 512, expect, 11) == 11, "multi-sector read: wrong data");
        }
        RtlZeroMemory(buf, 512);
        RtlCopyMemory(buf, kernel, sizeof(kernel));
        for (ULONG i = 64; i < 512; i++) buf[i] = (UCHAR)i;
        at.QuadPart = 2 * 512;
        CHECK(ZwWriteFile(h, NULL, NULL, NULL, &iosb, buf, 512, &at, NULL) == STATUS_SUCCESS, "write sector 2");
        CHECK(ZwFlushBuffersFile(h, &iosb) == STATUS_SUCCESS, "cache flush");
        RtlZeroMemory(buf, 512);
        CHECK(ZwReadFile(h, NULL, NULL, NULL, &iosb, buf, 512, &at, NULL) == STATUS_SUCCESS &&
              RtlCompareMemory(buf, kernel, sizeof(kernel)) == sizeof(kernel) && buf[100] == 100, "sector 2 read back");
        DbgPrint("io.ata: wrote and flushed sector 2\n");
    }
    ZwClose(h);
    return NULL;
}

/* Opens, requests and closes give back every byte of pool (IRPs, buffers, names, objects). */
static PCSTR TestNoLeak(void)
{
    POOL_USAGE np0, pp0, np1, pp1;
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    UCHAR data[300];
    CHECK(TstEnsureDriver(), "test driver");
    for (ULONG round = 0; round < 2; round++) {
        if (round == 1) { ExQueryPoolUsage(NonPagedPool, &np0); ExQueryPoolUsage(PagedPool, &pp0); }
        for (ULONG i = 0; i < 50; i++) {
            CHECK(TstOpen(u"\\??\\NUL", NULL, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, 0,
                          FILE_SYNCHRONOUS_IO_NONALERT, &h) == STATUS_SUCCESS, "open");
            ZwWriteFile(h, NULL, NULL, NULL, &iosb, data, sizeof(data), NULL, NULL);
            ZwReadFile(h, NULL, NULL, NULL, &iosb, data, sizeof(data), NULL, NULL);
            ZwClose(h);
            /* The test volume: mounted if io.fs.test_volume ran, else no file system takes it. */
            NTSTATUS s = TstOpen(u"\\Device\\IoTestDisk\\x", NULL, GENERIC_READ, 0, 0, &h);
            CHECK(s == STATUS_SUCCESS || s == STATUS_UNRECOGNIZED_VOLUME, "open on the test disk");
            if (NT_SUCCESS(s)) ZwClose(h);
        }
    }
    ExQueryPoolUsage(NonPagedPool, &np1);
    ExQueryPoolUsage(PagedPool, &pp1);
    if (np1.BytesInUse != np0.BytesInUse || pp1.BytesInUse != pp0.BytesInUse) {
        DbgPrint("  nonpaged %lu -> %lu, paged %lu -> %lu\n", (unsigned long)np0.BytesInUse,
                 (unsigned long)np1.BytesInUse, (unsigned long)pp0.BytesInUse, (unsigned long)pp1.BytesInUse);
        ExDumpPoolTags();
        return "pool not back to its baseline after 100 opens";
    }
    return NULL;
}

SELFTEST("io.null", TestNull);
SELFTEST("io.no_leak", TestNoLeak);
SELFTEST("io.serial", TestSerial);
SELFTEST("io.console", TestConsoleDevice);
SELFTEST("io.irp.completion", TestIrpCompletion);
SELFTEST("io.irp.pending_service", TestPendingThroughServices);
SELFTEST("io.share_access", TestShareAccess);
SELFTEST("io.fs.test_volume", TestFileSystem);
SELFTEST("io.user.files", TestUserMode);
SELFTEST("io.ramdisk", TestRamdisk);
SELFTEST("io.ata", TestAta);

/* Benchmarks, from "bench" (bench.c). */
VOID TstRunIoBenchmarks(VOID)
{
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    UCHAR data[64];
    const ULONG rounds = 200;
    ULONGLONG t0 = __builtin_ia32_rdtsc();
    for (ULONG i = 0; i < rounds; i++) {
        if (!NT_SUCCESS(TstOpen(u"\\Device\\Null", NULL, GENERIC_WRITE | SYNCHRONIZE, 0, FILE_SYNCHRONOUS_IO_NONALERT, &h)))
            return;
        ZwWriteFile(h, NULL, NULL, NULL, &iosb, data, sizeof(data), NULL, NULL);
        ZwClose(h);
    }
    ULONGLONG t1 = __builtin_ia32_rdtsc();
    DbgPrint("BENCH io.null.create_write_close %lu tsc/round\n", (unsigned long)((t1 - t0) / rounds));
    PBOOT_MODULE m = TstFindImage();
    if (m == NULL || m->Size < 65536 ||
        !NT_SUCCESS(TstOpen(u"\\Device\\Ramdisk0", NULL, GENERIC_READ | SYNCHRONIZE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                            FILE_SYNCHRONOUS_IO_NONALERT, &h)))
        return;
    PVOID buffer = ExAllocatePoolWithTag(NonPagedPool, 65536, POOL_TAG('B', 'n', 'c', 'h'));
    LARGE_INTEGER zero = { .QuadPart = 0 };
    t0 = __builtin_ia32_rdtsc();
    for (ULONG i = 0; i < 20; i++) ZwReadFile(h, NULL, NULL, NULL, &iosb, buffer, 65536, &zero, NULL);
    t1 = __builtin_ia32_rdtsc();
    DbgPrint("BENCH io.ramdisk.read_64k %lu tsc/request\n", (unsigned long)((t1 - t0) / 20));
    DbgPrint("BENCH io.ramdisk.read_sector %lu tsc/sector\n", (unsigned long)((t1 - t0) / 20 / 128));
    ExFreePoolWithTag(buffer, POOL_TAG('B', 'n', 'c', 'h'));
    ZwClose(h);
}
