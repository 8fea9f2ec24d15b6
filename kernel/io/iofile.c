/*
 * iofile.c - the File object type. A FILE_OBJECT is one open of a device or of a file on a
 * volume; its life ends through the object manager: closing the last handle sends
 * IRP_MJ_CLEANUP (the FSD drops share access and honours delete-on-close), and the last
 * reference sends IRP_MJ_CLOSE (the FSD frees its per-open context). Also the lock that keeps
 * a synchronous file's requests, and so its current byte offset, in order.
 */
#include "iop.h"

POBJECT_TYPE IoFileObjectType;

/* A data-less IRP for FileObject (cleanup, close, flush). */
NTSTATUS IopSendFileIrp(PFILE_OBJECT FileObject, UCHAR Major)
{
    PDEVICE_OBJECT device = IoGetRelatedDeviceObject(FileObject);
    PIRP irp = IoAllocateIrp(device->StackSize, FALSE);
    if (irp == NULL) {
        DbgPrint("Io: no memory for IRP 0x%x of file %p\n", Major, FileObject);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->MajorFunction = Major;
    sp->FileObject = FileObject;
    irp->Tail.Overlay.OriginalFileObject = FileObject;
    irp->RequestorMode = KernelMode;
    if (Major == IRP_MJ_CLOSE) irp->Flags |= IRP_CLOSE_OPERATION;
    return IopSynchronousCall(device, irp, NULL);
}

static VOID IopCloseFile(PVOID Process, PVOID Object, ACCESS_MASK GrantedAccess, ULONG ProcessHandleCount,
                         ULONG SystemHandleCount)
{
    PFILE_OBJECT file = Object;
    if (SystemHandleCount != 1 || !(file->Flags & FO_FILE_OPEN) || (file->Flags & FO_CLEANUP_COMPLETE)) return;
    IopLockFile(file);                   /* no request of another thread still in flight */
    IopSendFileIrp(file, IRP_MJ_CLEANUP);
    file->Flags |= FO_CLEANUP_COMPLETE;
    IopUnlockFile(file);
}

static VOID IopDeleteFile(PVOID Object)
{
    PFILE_OBJECT file = Object;
    if (file->Flags & FO_FILE_OPEN) {
        if (!(file->Flags & FO_CLEANUP_COMPLETE)) {     /* opened but never got a handle */
            IopSendFileIrp(file, IRP_MJ_CLEANUP);
            file->Flags |= FO_CLEANUP_COMPLETE;
        }
        IopSendFileIrp(file, IRP_MJ_CLOSE);
    }
    if (file->Vpb) file->Vpb->ReferenceCount--;
    if (file->DeviceObject) {
        file->DeviceObject->ReferenceCount--;
        ObDereferenceObject(file->DeviceObject);
    }
    if (file->RelatedFileObject) ObDereferenceObject(file->RelatedFileObject);
    if (file->CompletionPort) ObDereferenceObject(file->CompletionPort);
    if (file->FileName.Buffer) ExFreePoolWithTag(file->FileName.Buffer, IO_NAME_TAG);
}

VOID IopLockFile(PFILE_OBJECT FileObject)
{
    if (FileObject->Flags & FO_SYNCHRONOUS_IO)
        KeWaitForSingleObject(&FileObject->Lock, Executive, KernelMode, FALSE, NULL);
}

VOID IopUnlockFile(PFILE_OBJECT FileObject)
{
    if (FileObject->Flags & FO_SYNCHRONOUS_IO) KeSetEvent(&FileObject->Lock, 0, FALSE);
}

BOOLEAN IopCreateFileType(VOID)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"File");
    OBJECT_TYPE_INITIALIZER init;
    RtlZeroMemory(&init, sizeof(init));
    init.Length = sizeof(init);
    init.CaseInsensitive = TRUE;
    init.MaintainHandleCount = TRUE;
    init.GenericMapping = (GENERIC_MAPPING){ FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS };
    init.ValidAccessMask = FILE_ALL_ACCESS;
    init.PoolType = NonPagedPool;
    init.CloseProcedure = IopCloseFile;
    init.DeleteProcedure = IopDeleteFile;
    init.ParseProcedure = IopParseFile;
    if (!NT_SUCCESS(ObCreateObjectType(&name, &init, NULL, &IoFileObjectType))) return FALSE;
    ExRegisterWaitableType(IoFileObjectType, FIELD_OFFSET(FILE_OBJECT, Event));   /* waits see requests end */
    return TRUE;
}
