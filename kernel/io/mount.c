/*
 * mount.c - file systems and volumes. A file system registers its control device; the first
 * open of a path on a disk that has no mounted volume asks each registered file system, newest
 * first, to mount it (IRP_MJ_FILE_SYSTEM_CONTROL / IRP_MN_MOUNT_VOLUME with the disk's VPB).
 * The one that accepts creates a volume device and links it from the VPB; every later request
 * for a file on that disk goes to that volume device. Also the shutdown list: at shutdown the
 * file systems flush first, then the disks (IRP_MJ_SHUTDOWN to each).
 */
#include "iop.h"

typedef struct _IOP_FS_ENTRY {
    LIST_ENTRY Link;
    PDEVICE_OBJECT DeviceObject;
} IOP_FS_ENTRY;

static LIST_ENTRY IopFileSystemList = { &IopFileSystemList, &IopFileSystemList };
static LIST_ENTRY IopShutdownList = { &IopShutdownList, &IopShutdownList };
static KEVENT IopMountLock;                 /* file system list, mounts, shutdown list */
static BOOLEAN IopMountLockReady;

static VOID IopAcquireMountLock(VOID)
{
    if (!IopMountLockReady) {
        KeInitializeEvent(&IopMountLock, SynchronizationEvent, TRUE);
        IopMountLockReady = TRUE;
    }
    KeWaitForSingleObject(&IopMountLock, Executive, KernelMode, FALSE, NULL);
}

static VOID IopReleaseMountLock(VOID) { KeSetEvent(&IopMountLock, 0, FALSE); }

PVPB IopCreateVpb(PDEVICE_OBJECT DeviceObject)
{
    PVPB vpb = ExAllocatePoolWithTag(NonPagedPool, sizeof(VPB), IO_VPB_TAG);
    if (vpb == NULL) return NULL;
    RtlZeroMemory(vpb, sizeof(*vpb));
    vpb->Type = IO_TYPE_VPB;
    vpb->Size = sizeof(*vpb);
    vpb->RealDevice = DeviceObject;
    return vpb;
}

VOID IoRegisterFileSystem(PDEVICE_OBJECT DeviceObject)
{
    IOP_FS_ENTRY *e = ExAllocatePoolWithTag(NonPagedPool, sizeof(*e), IO_OBJ_TAG);
    if (e == NULL) return;
    ObReferenceObject(DeviceObject);
    e->DeviceObject = DeviceObject;
    IopAcquireMountLock();
    InsertHeadList(&IopFileSystemList, &e->Link);
    IopReleaseMountLock();
}

VOID IoUnregisterFileSystem(PDEVICE_OBJECT DeviceObject)
{
    IOP_FS_ENTRY *found = NULL;
    IopAcquireMountLock();
    for (PLIST_ENTRY l = IopFileSystemList.Flink; l != &IopFileSystemList; l = l->Flink) {
        IOP_FS_ENTRY *e = CONTAINING_RECORD(l, IOP_FS_ENTRY, Link);
        if (e->DeviceObject == DeviceObject) { found = e; RemoveEntryList(l); break; }
    }
    IopReleaseMountLock();
    if (found) {
        ObDereferenceObject(found->DeviceObject);
        ExFreePoolWithTag(found, IO_OBJ_TAG);
    }
}

ULONG IopFileSystemCount(VOID)
{
    ULONG n = 0;
    for (PLIST_ENTRY l = IopFileSystemList.Flink; l != &IopFileSystemList; l = l->Flink) n++;
    return n;
}

/* One file system's answer to "is this volume yours?". */
static NTSTATUS IopAskFileSystem(PDEVICE_OBJECT FileSystem, PDEVICE_OBJECT Disk)
{
    PIRP irp = IoAllocateIrp(FileSystem->StackSize, FALSE);
    if (irp == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->MajorFunction = IRP_MJ_FILE_SYSTEM_CONTROL;
    sp->MinorFunction = IRP_MN_MOUNT_VOLUME;
    sp->Parameters.MountVolume.Vpb = Disk->Vpb;
    sp->Parameters.MountVolume.DeviceObject = Disk;
    irp->RequestorMode = KernelMode;
    return IopSynchronousCall(FileSystem, irp, NULL);
}

NTSTATUS IoMountVolume(PDEVICE_OBJECT DeviceObject)
{
    PVPB vpb = DeviceObject->Vpb;
    if (vpb == NULL) return STATUS_INVALID_DEVICE_REQUEST;
    if (vpb->Flags & VPB_MOUNTED) return STATUS_SUCCESS;
    NTSTATUS status = STATUS_UNRECOGNIZED_VOLUME;
    IopAcquireMountLock();
    for (PLIST_ENTRY l = IopFileSystemList.Flink; l != &IopFileSystemList && !(vpb->Flags & VPB_MOUNTED); l = l->Flink) {
        IOP_FS_ENTRY *e = CONTAINING_RECORD(l, IOP_FS_ENTRY, Link);
        NTSTATUS s = IopAskFileSystem(e->DeviceObject, DeviceObject);
        if (NT_SUCCESS(s) && vpb->DeviceObject != NULL) {
            vpb->Flags |= VPB_MOUNTED;
            DeviceObject->Characteristics |= FILE_DEVICE_IS_MOUNTED;
            status = STATUS_SUCCESS;
        } else if (s != STATUS_UNRECOGNIZED_VOLUME && NT_ERROR(s)) {
            status = s;                     /* remembered, but the next one may still take it */
        }
    }
    if (vpb->Flags & VPB_MOUNTED) status = STATUS_SUCCESS;
    IopReleaseMountLock();
    return status;
}

NTSTATUS IoRegisterShutdownNotification(PDEVICE_OBJECT DeviceObject)
{
    IopAcquireMountLock();
    if (!DeviceObject->ShutdownRegistered) {
        ObReferenceObject(DeviceObject);
        InsertTailList(&IopShutdownList, &DeviceObject->ShutdownLink);
        DeviceObject->ShutdownRegistered = TRUE;
    }
    IopReleaseMountLock();
    return STATUS_SUCCESS;
}

VOID IoUnregisterShutdownNotification(PDEVICE_OBJECT DeviceObject)
{
    BOOLEAN was = FALSE;
    IopAcquireMountLock();
    if (DeviceObject->ShutdownRegistered) {
        RemoveEntryList(&DeviceObject->ShutdownLink);
        DeviceObject->ShutdownRegistered = FALSE;
        was = TRUE;
    }
    IopReleaseMountLock();
    if (was) ObDereferenceObject(DeviceObject);
}

static VOID IopSendShutdown(PDEVICE_OBJECT DeviceObject)
{
    PIRP irp = IoAllocateIrp(DeviceObject->StackSize, FALSE);
    if (irp == NULL) return;
    IoGetNextIrpStackLocation(irp)->MajorFunction = IRP_MJ_SHUTDOWN;
    irp->RequestorMode = KernelMode;
    NTSTATUS status = IopSynchronousCall(DeviceObject, irp, NULL);
    if (!NT_SUCCESS(status) && status != STATUS_INVALID_DEVICE_REQUEST)
        DbgPrint("Io: shutdown of %p failed: %08lx\n", DeviceObject, (unsigned long)status);
}

VOID IoShutdownSystem(VOID)
{
    static BOOLEAN done;
    /* Needs waits: only from a thread at PASSIVE_LEVEL, once, with Io running. */
    if (done || !IopInitialized || KeGetCurrentIrql() != PASSIVE_LEVEL) return;
    done = TRUE;
    IopAcquireMountLock();
    for (PLIST_ENTRY l = IopFileSystemList.Flink; l != &IopFileSystemList; l = l->Flink)
        IopSendShutdown(CONTAINING_RECORD(l, IOP_FS_ENTRY, Link)->DeviceObject);
    for (PLIST_ENTRY l = IopShutdownList.Flink; l != &IopShutdownList; l = l->Flink)
        IopSendShutdown(CONTAINING_RECORD(l, DEVICE_OBJECT, ShutdownLink));
    IopReleaseMountLock();
}
