/*
 * fatfsd.c - the FAT file system driver: IRPs in, calls of the FAT core (fat.h) out. It registers
 * a control device with the I/O manager, mounts FAT volumes it is asked about (the core reads the
 * disk through IRP_MJ_READ/WRITE/FLUSH_BUFFERS sent to the disk device), and serves every request
 * on a mounted volume under the volume's mutex. Information and directory queries are in
 * fatfsdinfo.c. What the core guarantees about write order on disk holds here unchanged: closes,
 * flushes and shutdown all go through FatClose / FatFlushVolume.
 */
#include "fatfsd.h"

#define FATFSD_MAX_TRANSFER (64 * 1024)          /* per IRP to the disk */

static PDRIVER_OBJECT FatpDriver;
static LIST_ENTRY FatpVolumes = { &FatpVolumes, &FatpVolumes };

/* ---- The core's block device: IRPs to the disk ------------------------------------------- */

static NTSTATUS FatpDiskIrp(PDEVICE_OBJECT Disk, ULONG Major, ULONGLONG Offset, PVOID Buffer, ULONG Length)
{
    KEVENT event;
    IO_STATUS_BLOCK iosb;
    LARGE_INTEGER offset = { .QuadPart = (LONGLONG)Offset };
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    PIRP irp = IoBuildSynchronousFsdRequest(Major, Disk, Buffer, Length, &offset, &event, &iosb);
    if (irp == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    return IoCallDriverAndWait(Disk, irp, &event, &iosb);
}

static NTSTATUS FatpDiskTransfer(PVOID Context, ULONG Major, ULONGLONG Sector, ULONG Count, PVOID Buffer)
{
    PDEVICE_OBJECT disk = Context;
    ULONGLONG offset = Sector * 512;
    ULONG bytes = Count * 512;
    PUCHAR p = Buffer;
    while (bytes) {
        ULONG n = bytes < FATFSD_MAX_TRANSFER ? bytes : FATFSD_MAX_TRANSFER;
        NTSTATUS status = FatpDiskIrp(disk, Major, offset, p, n);
        if (!NT_SUCCESS(status)) return status;
        offset += n;
        p += n;
        bytes -= n;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS FatpDiskRead(PVOID Context, ULONGLONG Sector, ULONG Count, PVOID Buffer)
{
    return FatpDiskTransfer(Context, IRP_MJ_READ, Sector, Count, Buffer);
}

static NTSTATUS FatpDiskWrite(PVOID Context, ULONGLONG Sector, ULONG Count, const VOID *Buffer)
{
    return FatpDiskTransfer(Context, IRP_MJ_WRITE, Sector, Count, (PVOID)Buffer);
}

static NTSTATUS FatpDiskFlush(PVOID Context)
{
    return FatpDiskIrp(Context, IRP_MJ_FLUSH_BUFFERS, 0, NULL, 0);
}

static NTSTATUS FatpDiskLength(PDEVICE_OBJECT Disk, PULONGLONG Bytes)
{
    KEVENT event;
    IO_STATUS_BLOCK iosb;
    GET_LENGTH_INFORMATION length;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    PIRP irp = IoBuildDeviceIoControlRequest(IOCTL_DISK_GET_LENGTH_INFO, Disk, NULL, 0, &length, sizeof(length),
                                             FALSE, &event, &iosb);
    if (irp == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS status = IoCallDriverAndWait(Disk, irp, &event, &iosb);
    *Bytes = NT_SUCCESS(status) ? (ULONGLONG)length.Length.QuadPart : 0;
    return status;
}

/* ---- Paths and small helpers ------------------------------------------------------------- */

VOID FatpFreeString(PUNICODE_STRING String)
{
    if (String->Buffer) ExFreePoolWithTag(String->Buffer, FATFSD_TAG);
    String->Buffer = NULL;
    String->Length = String->MaximumLength = 0;
}

NTSTATUS FatpCopyString(PCWSTR Source, ULONG Bytes, PUNICODE_STRING Out)
{
    if (Bytes == 0 || Bytes > 0xFFF0) return STATUS_OBJECT_NAME_INVALID;
    PWCHAR b = ExAllocatePoolWithTag(PagedPool, Bytes, FATFSD_TAG);
    if (b == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    RtlCopyMemory(b, Source, Bytes);
    Out->Buffer = b;
    Out->Length = Out->MaximumLength = (USHORT)Bytes;
    return STATUS_SUCCESS;
}

/* Directory + '\' + Name (Directory "\" gives "\Name"; an empty Name gives Directory). */
NTSTATUS FatpJoinPath(PCUNICODE_STRING Directory, PCWSTR Name, ULONG NameBytes, PUNICODE_STRING Out)
{
    ULONG dir = Directory ? Directory->Length : 0;
    if (dir == sizeof(WCHAR) && Directory->Buffer[0] == L'\\') dir = 0;      /* the root */
    BOOLEAN sep = NameBytes && Name[0] != L'\\';
    ULONG total = dir + (sep ? sizeof(WCHAR) : 0) + NameBytes;
    if (total == 0) total = sizeof(WCHAR);                                  /* "\" itself */
    if (total > 0xFFF0) return STATUS_OBJECT_NAME_INVALID;
    PWCHAR b = ExAllocatePoolWithTag(PagedPool, total, FATFSD_TAG);
    if (b == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    ULONG at = 0;
    if (dir) { RtlCopyMemory(b, Directory->Buffer, dir); at = dir; }
    if (sep) { b[at / sizeof(WCHAR)] = L'\\'; at += sizeof(WCHAR); }
    if (NameBytes) { RtlCopyMemory((PUCHAR)b + at, Name, NameBytes); at += NameBytes; }
    if (at == 0) { b[0] = L'\\'; at = sizeof(WCHAR); }
    Out->Buffer = b;
    Out->Length = Out->MaximumLength = (USHORT)at;
    return STATUS_SUCCESS;
}

BOOLEAN FatpDirectoryIsEmpty(PFAT_FILE Directory)
{
    FAT_FILE_INFO entry;
    ULONG cursor = 0;
    return FatQueryDirectory(Directory, &cursor, NULL, &entry) == STATUS_NO_MORE_FILES;
}

static PFAT_FCB FatpFindFcb(PFAT_VOLUME_EXTENSION Vx, ULONGLONG FileId)
{
    for (PLIST_ENTRY e = Vx->FcbList.Flink; e != &Vx->FcbList; e = e->Flink) {
        PFAT_FCB f = CONTAINING_RECORD(e, FAT_FCB, Link);
        if (f->FileId == FileId) return f;
    }
    return NULL;
}

/* The FCB of an open (or image-cached) file, for the other files of the driver. */
PFAT_FCB FatpFindOpenFcb(PFAT_VOLUME_EXTENSION Vx, ULONGLONG FileId)
{
    return FatpFindFcb(Vx, FileId);
}

/* ---- Mount -------------------------------------------------------------------------------- */

static VOID FatpQueryTime(PLARGE_INTEGER Now)
{
    KeQuerySystemTime(Now);
}

static NTSTATUS FatpMount(PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PVPB vpb = sp->Parameters.MountVolume.Vpb;
    PDEVICE_OBJECT disk = sp->Parameters.MountVolume.DeviceObject, volume;
    ULONGLONG bytes;
    NTSTATUS status = FatpDiskLength(disk, &bytes);
    if (!NT_SUCCESS(status) || bytes < 512) return STATUS_UNRECOGNIZED_VOLUME;
    status = IoCreateDevice(FatpDriver, sizeof(FAT_VOLUME_EXTENSION), NULL, FILE_DEVICE_DISK_FILE_SYSTEM, 0,
                            FALSE, &volume);
    if (!NT_SUCCESS(status)) return status;
    PFAT_VOLUME_EXTENSION vx = FatpVolumeOf(volume);
    RtlZeroMemory(vx, sizeof(*vx));
    vx->Disk = disk;
    vx->Vpb = vpb;
    vx->Block = (FAT_BLOCK_DEVICE){ disk, 512, bytes / 512, FatpDiskRead, FatpDiskWrite, FatpDiskFlush, FatpQueryTime };
    KeInitializeMutant(&vx->Lock, FALSE);
    InitializeListHead(&vx->FcbList);
    status = FatMount(&vx->Block, &vx->Volume);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(volume);
        return status == STATUS_DISK_CORRUPT_ERROR ? status : STATUS_UNRECOGNIZED_VOLUME;
    }
    FAT_VOLUME_INFO info;
    if (NT_SUCCESS(FatQueryVolume(vx->Volume, &info))) {
        vpb->SerialNumber = info.SerialNumber;
        vpb->VolumeLabelLength = info.LabelLength;
        RtlCopyMemory(vpb->VolumeLabel, info.Label, info.LabelLength);
    }
    volume->StackSize = (CHAR)(disk->StackSize + 1);
    volume->Flags &= ~DO_DEVICE_INITIALIZING;
    vpb->DeviceObject = volume;
    InsertTailList(&FatpVolumes, &vx->VolumeLink);
    return STATUS_SUCCESS;
}

/* ---- Create, cleanup, close -------------------------------------------------------------- */

static NTSTATUS FatpOpenPath(PFILE_OBJECT FileObject, PUNICODE_STRING Path)
{
    PFILE_OBJECT related = FileObject->RelatedFileObject;
    PFAT_CCB rccb = related ? related->FsContext2 : NULL;
    if (related && rccb == NULL) return STATUS_INVALID_PARAMETER;         /* not one of ours */
    return FatpJoinPath(rccb ? &rccb->Path : NULL, FileObject->FileName.Buffer, FileObject->FileName.Length, Path);
}

/* The dispositions that create a missing file, and that the core can run as FILE_OPEN_IF when
 * the file is missing (a directory is only created by CREATE and OPEN_IF). */
static BOOLEAN FatpProbeCreates(ULONG Disposition, ULONG Options)
{
    if (Disposition == FILE_CREATE || Disposition == FILE_OPEN_IF) return TRUE;
    return (Disposition == FILE_OVERWRITE_IF || Disposition == FILE_SUPERSEDE) && !(Options & FILE_DIRECTORY_FILE);
}

/*
 * Before a disposition that replaces an existing file runs, the file's current opens must allow
 * it (sharing) and it must not be on its way out; returns the open instance if the disposition
 * only opens. A disposition that creates probes with FILE_OPEN_IF: a missing file is then created
 * by the probe itself, which is the whole open (a new file has nothing to be checked against),
 * and *Information says FILE_CREATED.
 */
static NTSTATUS FatpCheckExisting(PFAT_VOLUME_EXTENSION Vx, PCUNICODE_STRING Path, ULONG Disposition, ULONG Options,
                                  ULONG FileAttributes, ACCESS_MASK Access, ULONG Share, PFILE_OBJECT FileObject,
                                  PFAT_FILE *Opened, PULONG_PTR Information)
{
    ULONGLONG fileId;
    ULONG attributes;
    BOOLEAN directory;
    PFAT_FILE probe;
    ULONG_PTR info;
    *Opened = NULL;
    BOOLEAN creates = FatpProbeCreates(Disposition, Options);
    NTSTATUS status = FatOpen(Vx->Volume, Path, creates ? FILE_OPEN_IF : FILE_OPEN,
                              Options & (FILE_DIRECTORY_FILE | FILE_NON_DIRECTORY_FILE), creates ? FileAttributes : 0,
                              &probe, &info);
    if (status == STATUS_OBJECT_NAME_NOT_FOUND && Disposition != FILE_OPEN && Disposition != FILE_OVERWRITE)
        return STATUS_SUCCESS;                    /* the real open reports what is wrong */
    if (!NT_SUCCESS(status)) return status;
    if (info == FILE_CREATED) {
        *Opened = probe;
        *Information = FILE_CREATED;
        return STATUS_SUCCESS;
    }
    if (Disposition == FILE_CREATE) {
        FatClose(probe);
        return STATUS_OBJECT_NAME_COLLISION;
    }
    status = FatQueryIdentity(probe, &fileId, &attributes, &directory);
    PFAT_FCB fcb = NT_SUCCESS(status) ? FatpFindFcb(Vx, fileId) : NULL;
    if (NT_SUCCESS(status) && fcb && fcb->DeletePending) status = STATUS_DELETE_PENDING;
    if (NT_SUCCESS(status) && fcb) status = IoCheckShareAccess(Access, Share, FileObject, &fcb->ShareAccess, FALSE);
    if (NT_SUCCESS(status) && (attributes & FILE_ATTRIBUTE_READONLY) && !directory &&
        (Access & (FILE_WRITE_DATA | FILE_APPEND_DATA)))
        status = STATUS_ACCESS_DENIED;
    /* A file mapped as an image (a running program or a loaded DLL) is not written, replaced or
     * deleted; Mm drops an unused cached image of it. Only an open that would change the file asks,
     * and fcb is not touched after: dropping the image closes its file object, which may free it. */
    BOOLEAN write = (Access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) ||
                    (Disposition != FILE_OPEN && Disposition != FILE_OPEN_IF);
    BOOLEAN delete = (Options & FILE_DELETE_ON_CLOSE) != 0;
    if (NT_SUCCESS(status) && fcb && (write || delete) &&
        !MmFlushImageSection(&fcb->SectionObjectPointers, write ? MmFlushForWrite : MmFlushForDelete))
        status = write ? STATUS_SHARING_VIOLATION : STATUS_CANNOT_DELETE;
    if (NT_SUCCESS(status) && (Disposition == FILE_OPEN || Disposition == FILE_OPEN_IF)) {
        *Opened = probe;
        return STATUS_SUCCESS;
    }
    FatClose(probe);
    return status;
}

static NTSTATUS FatpCreate(PFAT_VOLUME_EXTENSION Vx, PIRP Irp)
{
    ULONGLONG fileId = 0;
    ULONG attributes = 0;
    BOOLEAN directory = FALSE;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT fo = sp->FileObject;
    ULONG disposition = sp->Parameters.Create.Options >> 24, options = sp->Parameters.Create.Options & 0xFFFFFF;
    ACCESS_MASK access = sp->Parameters.Create.SecurityContext->DesiredAccess;
    ULONG share = sp->Parameters.Create.ShareAccess;
    UNICODE_STRING path;
    PFAT_FILE file = NULL;
    ULONG_PTR info = FILE_OPENED;

    NTSTATUS status = FatpOpenPath(fo, &path);
    if (!NT_SUCCESS(status)) return status;
    status = FatpCheckExisting(Vx, &path, disposition, options, sp->Parameters.Create.FileAttributes, access, share,
                               fo, &file, &info);
    if (NT_SUCCESS(status) && file == NULL) {
        status = FatOpen(Vx->Volume, &path, disposition, options & (FILE_DIRECTORY_FILE | FILE_NON_DIRECTORY_FILE),
                         sp->Parameters.Create.FileAttributes, &file, &info);
        if (!NT_SUCCESS(status)) file = NULL;
    }
    if (NT_SUCCESS(status)) status = FatQueryIdentity(file, &fileId, &attributes, &directory);
    if (NT_SUCCESS(status) && (options & FILE_DELETE_ON_CLOSE) && (attributes & FILE_ATTRIBUTE_READONLY))
        status = STATUS_CANNOT_DELETE;
    if (NT_SUCCESS(status) && (options & FILE_DELETE_ON_CLOSE) && directory && !FatpDirectoryIsEmpty(file))
        status = STATUS_DIRECTORY_NOT_EMPTY;           /* NtDeleteFile of a directory with entries */
    PFAT_FCB fcb = NULL;
    PFAT_CCB ccb = NULL;
    if (NT_SUCCESS(status)) {
        fcb = FatpFindFcb(Vx, fileId);
        if (fcb == NULL && (fcb = ExAllocatePoolWithTag(NonPagedPool, sizeof(*fcb), FATFSD_TAG)) != NULL) {
            RtlZeroMemory(fcb, sizeof(*fcb));
            fcb->FileId = fileId;
            fcb->Directory = directory;
            InsertTailList(&Vx->FcbList, &fcb->Link);
        }
        ccb = ExAllocatePoolWithTag(NonPagedPool, sizeof(*ccb), FATFSD_TAG);
        if (fcb == NULL || ccb == NULL) status = STATUS_INSUFFICIENT_RESOURCES;
    }
    if (!NT_SUCCESS(status)) {
        if (ccb) ExFreePoolWithTag(ccb, FATFSD_TAG);
        if (fcb && fcb->References == 0) { RemoveEntryList(&fcb->Link); ExFreePoolWithTag(fcb, FATFSD_TAG); }
        if (file) FatClose(file);
        FatpFreeString(&path);
        return status;
    }
    if (fcb->OpenHandles == 0) IoSetShareAccess(access, share, fo, &fcb->ShareAccess);
    else IoUpdateShareAccess(fo, &fcb->ShareAccess);
    RtlZeroMemory(ccb, sizeof(*ccb));
    ccb->File = file;
    ccb->Path = path;
    ccb->DeleteOnClose = (options & FILE_DELETE_ON_CLOSE) != 0;
    fcb->OpenHandles++;
    fcb->References++;
    fo->FsContext = fcb;
    fo->FsContext2 = ccb;
    fo->SectionObjectPointer = &fcb->SectionObjectPointers;
    Irp->IoStatus.Information = info;
    return STATUS_SUCCESS;
}

/* The last handle of this file object: sharing ends, and a pending delete happens when the
 * file's last handle anywhere goes. */
static NTSTATUS FatpCleanup(PFILE_OBJECT FileObject)
{
    PFAT_FCB fcb = FileObject->FsContext;
    PFAT_CCB ccb = FileObject->FsContext2;
    if (fcb == NULL) return STATUS_SUCCESS;
    IoRemoveShareAccess(FileObject, &fcb->ShareAccess);
    if (ccb->DeleteOnClose) fcb->DeletePending = TRUE;
    if (--fcb->OpenHandles == 0 && fcb->DeletePending) {
        NTSTATUS status = FatDelete(ccb->File);
        if (!NT_SUCCESS(status)) fcb->DeletePending = FALSE;   /* e.g. a directory filled meanwhile */
        /* An image made of it since the delete was asked for must not outlive the file in Mm's
         * cache (fcb stays: this file object still references it). */
        else MmFlushImageSection(&fcb->SectionObjectPointers, MmFlushForDelete);
    }
    return STATUS_SUCCESS;
}

static NTSTATUS FatpClose(PFAT_VOLUME_EXTENSION Vx, PFILE_OBJECT FileObject)
{
    PFAT_FCB fcb = FileObject->FsContext;
    PFAT_CCB ccb = FileObject->FsContext2;
    UNREFERENCED_PARAMETER(Vx);
    if (ccb == NULL) return STATUS_SUCCESS;
    FatClose(ccb->File);                          /* writes what the file left dirty */
    FatpFreeString(&ccb->Path);
    FatpFreeString(&ccb->SearchPattern);
    ExFreePoolWithTag(ccb, FATFSD_TAG);
    if (--fcb->References == 0) {
        RemoveEntryList(&fcb->Link);
        ExFreePoolWithTag(fcb, FATFSD_TAG);
    }
    FileObject->FsContext = FileObject->FsContext2 = NULL;
    return STATUS_SUCCESS;
}

/* ---- Read and write ---------------------------------------------------------------------- */

static NTSTATUS FatpRead(PFILE_OBJECT FileObject, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PFAT_FCB fcb = FileObject->FsContext;
    PFAT_CCB ccb = FileObject->FsContext2;
    ULONG done = 0;
    if (fcb->Directory) return STATUS_INVALID_DEVICE_REQUEST;
    NTSTATUS status = FatRead(ccb->File, (ULONGLONG)sp->Parameters.Read.ByteOffset.QuadPart,
                              Irp->AssociatedIrp.SystemBuffer, sp->Parameters.Read.Length, &done);
    Irp->IoStatus.Information = done;
    return status;
}

static NTSTATUS FatpWrite(PFILE_OBJECT FileObject, PIRP Irp)
{
    FAT_FILE_INFO fi;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PFAT_FCB fcb = FileObject->FsContext;
    PFAT_CCB ccb = FileObject->FsContext2;
    LARGE_INTEGER offset = sp->Parameters.Write.ByteOffset;
    ULONG done = 0;
    if (fcb->Directory) return STATUS_INVALID_DEVICE_REQUEST;
    /* Through a handle opened before the file was mapped: Mm keeps no image of the old bytes. */
    MmFlushImageSection(&fcb->SectionObjectPointers, MmFlushForWrite);
    BOOLEAN append = offset.u.LowPart == FILE_WRITE_TO_END_OF_FILE && offset.u.HighPart == -1;
    if (append) {
        NTSTATUS status = FatQueryInformation(ccb->File, &fi);
        if (!NT_SUCCESS(status)) return status;
        offset.QuadPart = (LONGLONG)fi.EndOfFile;
    }
    NTSTATUS status = FatWrite(ccb->File, (ULONGLONG)offset.QuadPart, Irp->AssociatedIrp.SystemBuffer,
                               sp->Parameters.Write.Length, &done);
    Irp->IoStatus.Information = done;
    if (append && (FileObject->Flags & FO_SYNCHRONOUS_IO)) FileObject->CurrentByteOffset.QuadPart = offset.QuadPart + done;
    return status;
}

/* ---- Dispatch ------------------------------------------------------------------------------ */

static NTSTATUS FatpComplete(PIRP Irp, NTSTATUS Status)
{
    Irp->IoStatus.Status = Status;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* Requests on the control device: mounting and shutdown. */
static NTSTATUS FatpControlRequest(PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    if (sp->MajorFunction == IRP_MJ_FILE_SYSTEM_CONTROL && sp->MinorFunction == IRP_MN_MOUNT_VOLUME)
        return FatpComplete(Irp, FatpMount(Irp));
    if (sp->MajorFunction == IRP_MJ_SHUTDOWN) {
        for (PLIST_ENTRY e = FatpVolumes.Flink; e != &FatpVolumes; e = e->Flink) {
            PFAT_VOLUME_EXTENSION vx = CONTAINING_RECORD(e, FAT_VOLUME_EXTENSION, VolumeLink);
            KeWaitForSingleObject(&vx->Lock, Executive, KernelMode, FALSE, NULL);
            FatFlushVolume(vx->Volume);
            KeReleaseMutant(&vx->Lock, 0, FALSE, FALSE, NULL);
        }
        return FatpComplete(Irp, STATUS_SUCCESS);
    }
    if (sp->MajorFunction == IRP_MJ_CREATE || sp->MajorFunction == IRP_MJ_CLEANUP || sp->MajorFunction == IRP_MJ_CLOSE)
        return FatpComplete(Irp, STATUS_SUCCESS);        /* opening the file system itself */
    return FatpComplete(Irp, STATUS_INVALID_DEVICE_REQUEST);
}

static NTSTATUS FatpVolumeRequest(PFAT_VOLUME_EXTENSION Vx, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT fo = sp->FileObject;
    if (sp->MajorFunction != IRP_MJ_CREATE && (fo == NULL || fo->FsContext == NULL) &&
        sp->MajorFunction != IRP_MJ_QUERY_VOLUME_INFORMATION && sp->MajorFunction != IRP_MJ_FLUSH_BUFFERS)
        return sp->MajorFunction == IRP_MJ_CLEANUP || sp->MajorFunction == IRP_MJ_CLOSE ? STATUS_SUCCESS
                                                                                         : STATUS_INVALID_PARAMETER;
    switch (sp->MajorFunction) {
    case IRP_MJ_CREATE: return FatpCreate(Vx, Irp);
    case IRP_MJ_CLEANUP: return FatpCleanup(fo);
    case IRP_MJ_CLOSE: return FatpClose(Vx, fo);
    case IRP_MJ_READ: return FatpRead(fo, Irp);
    case IRP_MJ_WRITE: return FatpWrite(fo, Irp);
    case IRP_MJ_QUERY_INFORMATION: return FatpQueryInformation(Vx, fo, Irp);
    case IRP_MJ_SET_INFORMATION: return FatpSetInformation(Vx, fo, Irp);
    case IRP_MJ_QUERY_VOLUME_INFORMATION: return FatpQueryVolumeInformation(Vx, Irp);
    case IRP_MJ_DIRECTORY_CONTROL:
        return sp->MinorFunction == IRP_MN_QUERY_DIRECTORY ? FatpQueryDirectory(Vx, fo, Irp)
                                                            : STATUS_INVALID_DEVICE_REQUEST;
    case IRP_MJ_FLUSH_BUFFERS: return FatFlushVolume(Vx->Volume);
    default: return STATUS_INVALID_DEVICE_REQUEST;
    }
}

static NTSTATUS FatpDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    if (DeviceObject->DeviceExtension == NULL) return FatpControlRequest(Irp);
    PFAT_VOLUME_EXTENSION vx = FatpVolumeOf(DeviceObject);
    KeWaitForSingleObject(&vx->Lock, Executive, KernelMode, FALSE, NULL);
    NTSTATUS status = FatpVolumeRequest(vx, Irp);
    KeReleaseMutant(&vx->Lock, 0, FALSE, FALSE, NULL);
    return FatpComplete(Irp, status);
}

NTSTATUS FatDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING name;
    PDEVICE_OBJECT control;
    UNREFERENCED_PARAMETER(RegistryPath);
    FatpDriver = DriverObject;
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) DriverObject->MajorFunction[i] = FatpDispatch;
    RtlInitUnicodeString(&name, u"\\Fat");                  /* the control device, as FastFat names it */
    NTSTATUS status = IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_DISK_FILE_SYSTEM, 0, FALSE, &control);
    if (!NT_SUCCESS(status)) return status;
    IoRegisterFileSystem(control);
    return STATUS_SUCCESS;
}
