/*
 * ioparse.c - where a path meets a device. The object manager hands the Device type's parse
 * procedure the rest of the path after the device ("\??\C:\dir\file" reaches the disk behind
 * \??\C: with "\dir\file"); the File type's parse does the same for a path relative to an open
 * file (OBJECT_ATTRIBUTES.RootDirectory). The parse mounts the volume if a path on a disk is
 * opened, builds the FILE_OBJECT and sends IRP_MJ_CREATE to the file system's volume device,
 * or to the device itself for a device open (\Device\Null, or a disk opened with no path).
 */
#include "iop.h"

/* The FO_* flags that follow from the create options. */
static ULONG IopFileFlags(ULONG Options)
{
    ULONG flags = 0;
    if (Options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT)) flags |= FO_SYNCHRONOUS_IO;
    if (Options & FILE_SYNCHRONOUS_IO_ALERT) flags |= FO_ALERTABLE_IO;
    if (Options & FILE_WRITE_THROUGH) flags |= FO_WRITE_THROUGH;
    if (Options & FILE_SEQUENTIAL_ONLY) flags |= FO_SEQUENTIAL_ONLY;
    if (Options & FILE_NO_INTERMEDIATE_BUFFERING) flags |= FO_NO_INTERMEDIATE_BUFFERING;
    if (Options & FILE_RANDOM_ACCESS) flags |= FO_RANDOM_ACCESS;
    if (Options & FILE_DELETE_ON_CLOSE) flags |= FO_DELETE_ON_CLOSE;
    return flags;
}

static NTSTATUS IopCopyName(PUNICODE_STRING Dst, PCUNICODE_STRING Src)
{
    Dst->Length = 0;
    Dst->MaximumLength = (USHORT)(Src->Length + sizeof(WCHAR));
    Dst->Buffer = ExAllocatePoolWithTag(PagedPool, Dst->MaximumLength, IO_NAME_TAG);
    if (Dst->Buffer == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    RtlCopyUnicodeString(Dst, Src);
    return STATUS_SUCCESS;
}

/* A new FILE_OBJECT for this open (one reference, no handle). */
static NTSTATUS IopNewFileObject(PDEVICE_OBJECT Device, PVPB Vpb, PFILE_OBJECT Related,
                                 PCUNICODE_STRING Name, POPEN_PACKET Op, PFILE_OBJECT *Result)
{
    PFILE_OBJECT f;
    NTSTATUS status = ObCreateObject(KernelMode, IoFileObjectType, NULL, KernelMode, NULL, sizeof(FILE_OBJECT), 0, 0,
                                     (PVOID *)&f);
    if (!NT_SUCCESS(status)) return status;
    RtlZeroMemory(f, sizeof(*f));
    f->Type = IO_TYPE_FILE;
    f->Size = sizeof(*f);
    f->DeviceObject = Device;
    ObReferenceObject(Device);
    Device->ReferenceCount++;
    f->Vpb = Vpb;
    if (Vpb) Vpb->ReferenceCount++;
    else f->Flags |= FO_DIRECT_DEVICE_OPEN;
    f->Flags |= IopFileFlags(Op->CreateOptions);
    f->RelatedFileObject = Related;
    if (Related) ObReferenceObject(Related);
    f->DesiredAccess = Op->DesiredAccess;
    KeInitializeEvent(&f->Lock, SynchronizationEvent, TRUE);
    KeInitializeEvent(&f->Event, NotificationEvent, FALSE);
    status = IopCopyName(&f->FileName, Name);
    if (NT_SUCCESS(status)) status = ObInsertObject(f, NULL, 0, 0, (PVOID *)&f, NULL);
    else ObDereferenceObject(f);
    *Result = NT_SUCCESS(status) ? f : NULL;
    return status;
}

/* IRP_MJ_CREATE for a new file object; the result of the open. */
static NTSTATUS IopSendCreate(PFILE_OBJECT File, POPEN_PACKET Op)
{
    PDEVICE_OBJECT target = IoGetRelatedDeviceObject(File);
    IO_SECURITY_CONTEXT security = { NULL, NULL, Op->DesiredAccess, Op->CreateOptions };
    PIRP irp = IoAllocateIrp(target->StackSize, FALSE);
    if (irp == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->MajorFunction = Op->PipeParameters ? IRP_MJ_CREATE_NAMED_PIPE : IRP_MJ_CREATE;
    sp->FileObject = File;
    sp->Parameters.Create.SecurityContext = &security;
    sp->Parameters.Create.Options = (Op->Disposition << 24) | (Op->CreateOptions & FILE_VALID_OPTION_FLAGS);
    sp->Parameters.Create.FileAttributes = (USHORT)Op->FileAttributes;
    sp->Parameters.Create.ShareAccess = (USHORT)Op->ShareAccess;
    if (Op->PipeParameters) sp->Parameters.CreatePipe.Parameters = Op->PipeParameters;
    irp->Overlay.Overlay.AllocationSize = Op->AllocationSize;
    irp->Tail.Overlay.OriginalFileObject = File;
    irp->Flags |= IRP_CREATE_OPERATION;
    irp->RequestorMode = KernelMode;
    return IopSynchronousCall(target, irp, &Op->Information);
}

/* The common part of both parse procedures. */
static NTSTATUS IopOpenOnDevice(PDEVICE_OBJECT Device, PFILE_OBJECT Related, PUNICODE_STRING Remaining,
                                POPEN_PACKET Op, PVOID *Object)
{
    if (Op == NULL || Op->Type != IO_TYPE_OPEN_PACKET) {
        /* Not an open (e.g. ObReferenceObjectByName of \Device\Null): the device itself. */
        if (Remaining->Length != 0 || Related) return STATUS_OBJECT_TYPE_MISMATCH;
        ObReferenceObject(Device);
        *Object = Device;
        return STATUS_SUCCESS;
    }
    Op->ParseCalled = TRUE;
    if ((Device->Flags & DO_DEVICE_INITIALIZING) || Device->DeletePending) return STATUS_NO_SUCH_DEVICE;
    PVPB vpb = NULL;
    BOOLEAN pathOnVolume = Remaining->Length != 0 || (Related && Related->Vpb);
    if (Device->Vpb && pathOnVolume) {          /* a path on a disk: its file system serves it */
        NTSTATUS status = IoMountVolume(Device);
        if (!NT_SUCCESS(status)) return status;
        vpb = Device->Vpb;
    }
    if (Op->ResolveOnly) {
        NTSTATUS status = IopCopyName(&Op->ResolvedName, Remaining);
        if (!NT_SUCCESS(status)) return status;
        ObReferenceObject(Device);
        Op->ResolvedDevice = Device;
        ObReferenceObject(Device);
        *Object = Device;
        return STATUS_SUCCESS;
    }
    if (vpb == NULL && (Device->Flags & DO_EXCLUSIVE) && Device->ReferenceCount) return STATUS_ACCESS_DENIED;

    PFILE_OBJECT file;
    NTSTATUS status = IopNewFileObject(Device, vpb, Related, Remaining, Op, &file);
    if (!NT_SUCCESS(status)) return status;
    status = IopSendCreate(file, Op);
    Op->FinalStatus = status;
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(file);          /* not FO_FILE_OPEN: no cleanup or close is sent */
        return status;
    }
    file->Flags |= FO_FILE_OPEN;
    *Object = file;
    return status;
}

NTSTATUS IopParseDevice(PVOID ParseObject, POBJECT_TYPE ObjectType, PACCESS_STATE AccessState,
                        KPROCESSOR_MODE AccessMode, ULONG Attributes, PUNICODE_STRING CompleteName,
                        PUNICODE_STRING RemainingName, PVOID Context, PVOID SecurityQos, PVOID *Object)
{
    return IopOpenOnDevice(ParseObject, NULL, RemainingName, Context, Object);
}

NTSTATUS IopParseFile(PVOID ParseObject, POBJECT_TYPE ObjectType, PACCESS_STATE AccessState,
                      KPROCESSOR_MODE AccessMode, ULONG Attributes, PUNICODE_STRING CompleteName,
                      PUNICODE_STRING RemainingName, PVOID Context, PVOID SecurityQos, PVOID *Object)
{
    PFILE_OBJECT related = ParseObject;
    POPEN_PACKET op = Context;
    if (op == NULL || op->Type != IO_TYPE_OPEN_PACKET) return STATUS_OBJECT_TYPE_MISMATCH;
    return IopOpenOnDevice(related->DeviceObject, related, RemainingName, op, Object);
}
