/*
 * iosvc_info.c - NtQueryInformationFile and NtSetInformationFile. The I/O manager answers the
 * classes that live in the file object (position, access, mode, alignment) itself, and adds
 * them to the driver's FileAllInformation; the rest go to the driver as IRP_MJ_QUERY/SET_INFORMATION over a kernel copy of the buffer. Lengths and
 * rights per class are NT's. A rename's target name is resolved here to a path on the same
 * volume (see io.h for what the file system receives).
 */
#include "iop.h"

typedef struct { UCHAR QueryLength, SetLength; ACCESS_MASK QueryAccess, SetAccess; } IOP_INFO_RULE;

static const IOP_INFO_RULE IopInfoRules[FileMaximumInformation] = {
    [FileBasicInformation] = { 40, 40, FILE_READ_ATTRIBUTES, FILE_WRITE_ATTRIBUTES },
    [FileStandardInformation] = { 24, 0, 0, 0 },
    [FileInternalInformation] = { 8, 0, 0, 0 },
    [FileEaInformation] = { 4, 0, 0, 0 },
    [FileAccessInformation] = { 4, 0, 0, 0 },
    [FileNameInformation] = { 8, 0, 0, 0 },
    [FileRenameInformation] = { 0, 16, 0, DELETE },
    [FileLinkInformation] = { 0, 16, 0, 0 },
    [FileDispositionInformation] = { 0, 1, 0, DELETE },
    [FilePositionInformation] = { 8, 8, 0, 0 },
    [FileModeInformation] = { 4, 4, 0, 0 },
    [FileAlignmentInformation] = { 4, 0, 0, 0 },
    [FileAllocationInformation] = { 0, 8, 0, FILE_WRITE_DATA },
    [FileEndOfFileInformation] = { 0, 8, 0, FILE_WRITE_DATA },
    [FileAlternateNameInformation] = { 8, 0, 0, 0 },
    [FileNetworkOpenInformation] = { 56, 0, FILE_READ_ATTRIBUTES, 0 },
    [FileAttributeTagInformation] = { 8, 0, FILE_READ_ATTRIBUTES, 0 },
    [FileAllInformation] = { sizeof(FILE_ALL_INFORMATION), 0, FILE_READ_ATTRIBUTES, 0 },
    [FilePipeInformation] = { 8, 8, FILE_READ_ATTRIBUTES, FILE_WRITE_ATTRIBUTES },
    [FileCompletionInformation] = { 0, 8, 0, 0 },
};

static NTSTATUS IopCheckClass(FILE_INFORMATION_CLASS Class, ULONG Length, BOOLEAN Set)
{
    if ((ULONG)Class == 0 || (ULONG)Class >= FileMaximumInformation) return STATUS_INVALID_INFO_CLASS;
    ULONG need = Set ? IopInfoRules[Class].SetLength : IopInfoRules[Class].QueryLength;
    if (need == 0) return STATUS_INVALID_INFO_CLASS;
    return Length < need ? STATUS_INFO_LENGTH_MISMATCH : STATUS_SUCCESS;
}

static ULONG IopModeOf(PFILE_OBJECT File)
{
    ULONG mode = 0;
    if (File->Flags & FO_WRITE_THROUGH) mode |= FILE_WRITE_THROUGH;
    if (File->Flags & FO_SEQUENTIAL_ONLY) mode |= FILE_SEQUENTIAL_ONLY;
    if (File->Flags & FO_NO_INTERMEDIATE_BUFFERING) mode |= FILE_NO_INTERMEDIATE_BUFFERING;
    if (File->Flags & FO_SYNCHRONOUS_IO)
        mode |= (File->Flags & FO_ALERTABLE_IO) ? FILE_SYNCHRONOUS_IO_ALERT : FILE_SYNCHRONOUS_IO_NONALERT;
    if (File->Flags & FO_DELETE_ON_CLOSE) mode |= FILE_DELETE_ON_CLOSE;
    return mode;
}

/* The classes the file object answers by itself: TRUE if Class is one, with *Data filled. */
static BOOLEAN IopQueryLocal(PIOP_REQUEST R, FILE_INFORMATION_CLASS Class, PVOID Data, PULONG Size)
{
    PFILE_OBJECT f = R->FileObject;
    switch (Class) {
    case FilePositionInformation: *(PLARGE_INTEGER)Data = f->CurrentByteOffset; *Size = 8; return TRUE;
    case FileAccessInformation: *(PULONG)Data = R->GrantedAccess; *Size = 4; return TRUE;
    case FileModeInformation: *(PULONG)Data = IopModeOf(f); *Size = 4; return TRUE;
    case FileAlignmentInformation: *(PULONG)Data = f->DeviceObject->AlignmentRequirement; *Size = 4; return TRUE;
    default: return FALSE;
    }
}

/* FileAllInformation's parts that live in the file object, filled after the driver's answer. */
static VOID IopFillAllInformation(PIOP_REQUEST R, PFILE_ALL_INFORMATION All)
{
    ULONG size;
    IopQueryLocal(R, FileAccessInformation, &All->AccessInformation, &size);
    IopQueryLocal(R, FilePositionInformation, &All->PositionInformation, &size);
    IopQueryLocal(R, FileModeInformation, &All->ModeInformation, &size);
    IopQueryLocal(R, FileAlignmentInformation, &All->AlignmentInformation, &size);
}

NTSTATUS NTAPI NtQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation,
                                      ULONG Length, FILE_INFORMATION_CLASS FileInformationClass)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PIOP_REQUEST r;
    LARGE_INTEGER local;
    ULONG size;
    NTSTATUS status = IopCheckClass(FileInformationClass, Length, FALSE);
    if (NT_SUCCESS(status)) status = IopProbeIosb(IoStatusBlock, mode);
    if (NT_SUCCESS(status)) status = IopProbeUserWrite(FileInformation, Length, mode);
    if (!NT_SUCCESS(status)) return status;
    status = IopBeginRequest(&r, FileHandle, IopInfoRules[FileInformationClass].QueryAccess, NULL, mode);
    if (!NT_SUCCESS(status)) return status;
    if (IopQueryLocal(r, FileInformationClass, &local, &size)) {
        r->Iosb.Information = size;
        status = ExCopyOut(mode, FileInformation, &local, size);
        return IopEndRequest(r, status, IoStatusBlock, mode);
    }
    status = IopBuildRequest(r, IRP_MJ_QUERY_INFORMATION, 0, Length);
    if (!NT_SUCCESS(status)) return IopEndRequest(r, status, NULL, mode);
    r->Stack->Parameters.QueryFile.Length = Length;
    r->Stack->Parameters.QueryFile.FileInformationClass = FileInformationClass;
    status = IopCallRequest(r);
    if (FileInformationClass == FileAllInformation && !NT_ERROR(status)) IopFillAllInformation(r, r->Buffer);
    if (r->Iosb.Information > Length) r->Iosb.Information = Length;
    if (!NT_ERROR(status) && r->Iosb.Information) {
        NTSTATUS copy = ExCopyOut(mode, FileInformation, r->Buffer, r->Iosb.Information);
        if (!NT_SUCCESS(copy)) status = copy;
    }
    return IopEndRequest(r, status, IoStatusBlock, mode);
}

/* An absolute target name ("\??\C:\dir\new"): the path on its device, which must be the
 * file's volume. Returns a new FILE_RENAME_INFORMATION in pool (IO_BUF_TAG) in *Result. */
static NTSTATUS IopResolveRenameTarget(PFILE_OBJECT File, PFILE_RENAME_INFORMATION Info, PULONG Length,
                                       PFILE_RENAME_INFORMATION *Result)
{
    UNICODE_STRING name = { (USHORT)Info->FileNameLength, (USHORT)Info->FileNameLength, Info->FileName };
    OPEN_PACKET op;
    PVOID object;
    RtlZeroMemory(&op, sizeof(op));
    op.Type = IO_TYPE_OPEN_PACKET;
    op.Size = sizeof(op);
    op.ResolveOnly = TRUE;
    NTSTATUS status = ObReferenceObjectByName(&name, OBJ_CASE_INSENSITIVE, NULL, 0, NULL, KernelMode, &op, &object);
    if (!NT_SUCCESS(status)) return status == STATUS_OBJECT_NAME_NOT_FOUND ? STATUS_OBJECT_PATH_NOT_FOUND : status;
    ObDereferenceObject(object);
    if (op.ResolvedDevice == NULL) return STATUS_OBJECT_TYPE_MISMATCH;
    status = op.ResolvedDevice->Vpb != File->Vpb || File->Vpb == NULL ? STATUS_NOT_SAME_DEVICE : STATUS_SUCCESS;
    ObDereferenceObject(op.ResolvedDevice);
    ULONG size = FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) + op.ResolvedName.Length;
    PFILE_RENAME_INFORMATION out = NT_SUCCESS(status) ? ExAllocatePoolWithTag(NonPagedPool, size, IO_BUF_TAG) : NULL;
    if (NT_SUCCESS(status) && out == NULL) status = STATUS_INSUFFICIENT_RESOURCES;
    if (NT_SUCCESS(status)) {
        out->ReplaceIfExists = Info->ReplaceIfExists;
        out->RootDirectory = NULL;
        out->FileNameLength = op.ResolvedName.Length;
        RtlCopyMemory(out->FileName, op.ResolvedName.Buffer, op.ResolvedName.Length);
        *Result = out;
        *Length = size;
    }
    ExFreePoolWithTag(op.ResolvedName.Buffer, IO_NAME_TAG);
    return status;
}

/* Rename and link: checks the name, resolves an absolute one, references a root directory. */
static NTSTATUS IopPrepareRename(PIOP_REQUEST R, PFILE_RENAME_INFORMATION *Info, PULONG Length,
                                 PFILE_OBJECT *Target)
{
    PFILE_RENAME_INFORMATION info = *Info;
    ULONG n = info->FileNameLength;
    if (n == 0 || (n & 1) || n > *Length - FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName))
        return STATUS_INVALID_PARAMETER;
    if (info->RootDirectory) {
        NTSTATUS status = ObReferenceObjectByHandle(info->RootDirectory, 0, IoFileObjectType, R->Mode,
                                                    (PVOID *)Target, NULL);
        if (!NT_SUCCESS(status)) return status;
        if (IoGetRelatedDeviceObject(*Target) != R->DeviceObject) return STATUS_NOT_SAME_DEVICE;
        info->RootDirectory = NULL;
        return STATUS_SUCCESS;
    }
    if (info->FileName[0] != OBJ_NAME_PATH_SEPARATOR) return STATUS_SUCCESS;     /* same directory */
    PFILE_RENAME_INFORMATION resolved;
    NTSTATUS status = IopResolveRenameTarget(R->FileObject, info, Length, &resolved);
    if (!NT_SUCCESS(status)) return status;
    ExFreePoolWithTag(info, IO_BUF_TAG);
    *Info = resolved;
    return STATUS_SUCCESS;
}

/* Position and mode are the file object's. */
static NTSTATUS IopSetLocal(PIOP_REQUEST R, FILE_INFORMATION_CLASS Class, PVOID Data, PBOOLEAN Handled)
{
    PFILE_OBJECT f = R->FileObject;
    *Handled = TRUE;
    if (Class == FilePositionInformation) {
        LARGE_INTEGER offset = *(PLARGE_INTEGER)Data;
        if (offset.QuadPart < 0) return STATUS_INVALID_PARAMETER;
        f->CurrentByteOffset = offset;
        return STATUS_SUCCESS;
    }
    if (Class == FileModeInformation) {
        ULONG mode = *(PULONG)Data;
        ULONG sync = FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT;
        if ((mode & ~(FILE_WRITE_THROUGH | FILE_SEQUENTIAL_ONLY | sync)) || (mode & sync) != (IopModeOf(f) & sync))
            return STATUS_INVALID_PARAMETER;          /* the synchronous mode is fixed at open */
        f->Flags &= ~(FO_WRITE_THROUGH | FO_SEQUENTIAL_ONLY);
        if (mode & FILE_WRITE_THROUGH) f->Flags |= FO_WRITE_THROUGH;
        if (mode & FILE_SEQUENTIAL_ONLY) f->Flags |= FO_SEQUENTIAL_ONLY;
        return STATUS_SUCCESS;
    }
    if (Class == FileCompletionInformation) {
        /* A file gets one port for its lifetime, as on NT. */
        PFILE_COMPLETION_INFORMATION info = Data;
        PVOID port;
        if (f->CompletionPort) return STATUS_INVALID_PARAMETER;
        NTSTATUS status = ObReferenceObjectByHandle(info->Port, IO_COMPLETION_MODIFY_STATE, IoCompletionObjectType,
                                                    R->Mode, &port, NULL);
        if (!NT_SUCCESS(status)) return status;
        f->CompletionKey = info->Key;
        f->CompletionPort = port;
        return STATUS_SUCCESS;
    }
    *Handled = FALSE;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtSetInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation,
                                    ULONG Length, FILE_INFORMATION_CLASS FileInformationClass)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PIOP_REQUEST r;
    PFILE_OBJECT target = NULL;
    BOOLEAN handled;
    NTSTATUS status = IopCheckClass(FileInformationClass, Length, TRUE);
    if (NT_SUCCESS(status)) status = IopProbeIosb(IoStatusBlock, mode);
    if (!NT_SUCCESS(status)) return status;
    if (Length > 0x10000) return STATUS_INVALID_PARAMETER;
    PVOID data = ExAllocatePoolWithTag(NonPagedPool, Length, IO_BUF_TAG);
    if (data == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    status = ExCopyIn(mode, data, FileInformation, Length);
    if (NT_SUCCESS(status))
        status = IopBeginRequest(&r, FileHandle, IopInfoRules[FileInformationClass].SetAccess, NULL, mode);
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(data, IO_BUF_TAG);
        return status;
    }
    status = IopSetLocal(r, FileInformationClass, data, &handled);
    if (!handled && (FileInformationClass == FileRenameInformation || FileInformationClass == FileLinkInformation))
        status = IopPrepareRename(r, (PFILE_RENAME_INFORMATION *)&data, &Length, &target);
    if (!handled && NT_SUCCESS(status)) status = IopBuildRequest(r, IRP_MJ_SET_INFORMATION, 0, Length);
    if (!handled && NT_SUCCESS(status)) {
        RtlCopyMemory(r->Buffer, data, Length);
        r->Stack->Parameters.SetFile.Length = Length;
        r->Stack->Parameters.SetFile.FileInformationClass = FileInformationClass;
        r->Stack->Parameters.SetFile.FileObject = target;
        if (FileInformationClass == FileRenameInformation || FileInformationClass == FileLinkInformation)
            r->Stack->Parameters.SetFile.ReplaceIfExists = ((PFILE_RENAME_INFORMATION)data)->ReplaceIfExists;
        status = IopCallRequest(r);
    }
    r->Iosb.Information = 0;
    if (target) ObDereferenceObject(target);
    ExFreePoolWithTag(data, IO_BUF_TAG);
    return IopEndRequest(r, status, IoStatusBlock, mode);
}
