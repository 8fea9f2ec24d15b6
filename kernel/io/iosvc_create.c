/*
 * iosvc_create.c - opening files: NtCreateFile and NtOpenFile (the parameters are checked here,
 * carried to the device parse procedure in an OPEN_PACKET, and the handle and IO_STATUS_BLOCK
 * returned), NtCreateNamedPipeFile (the same open with a named pipe's parameters for the NPFS),
 * and the services built on an open: NtDeleteFile (open with delete-on-close, then
 * close) and NtQueryAttributesFile / NtQueryFullAttributesFile (open, query, close).
 */
#include "iop.h"

/* NT's rules for the parameters of a create, before anything is opened. */
static NTSTATUS IopCheckCreateParameters(ACCESS_MASK DesiredAccess, ULONG FileAttributes, ULONG ShareAccess,
                                         ULONG Disposition, ULONG Options)
{
    if (Disposition > FILE_MAXIMUM_DISPOSITION) return STATUS_INVALID_PARAMETER;
    if ((Options & ~FILE_VALID_OPTION_FLAGS) || (ShareAccess & ~FILE_SHARE_VALID_FLAGS) ||
        (FileAttributes & ~FILE_ATTRIBUTE_VALID_FLAGS))
        return STATUS_INVALID_PARAMETER;
    ULONG sync = Options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT);
    if (sync == (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT)) return STATUS_INVALID_PARAMETER;
    if (sync && !(DesiredAccess & (SYNCHRONIZE | GENERIC_ALL | MAXIMUM_ALLOWED | GENERIC_READ | GENERIC_WRITE |
                                   GENERIC_EXECUTE)))
        return STATUS_INVALID_PARAMETER;           /* synchronous I/O needs SYNCHRONIZE */
    if ((Options & FILE_DIRECTORY_FILE) && (Options & FILE_NON_DIRECTORY_FILE)) return STATUS_INVALID_PARAMETER;
    if ((Options & FILE_DIRECTORY_FILE) && Disposition != FILE_CREATE && Disposition != FILE_OPEN &&
        Disposition != FILE_OPEN_IF)
        return STATUS_INVALID_PARAMETER;
    if ((Options & FILE_DELETE_ON_CLOSE) && !(DesiredAccess & (DELETE | GENERIC_ALL | MAXIMUM_ALLOWED)))
        return STATUS_INVALID_PARAMETER;
    if (Options & FILE_OPEN_BY_FILE_ID) return STATUS_NOT_IMPLEMENTED;
    return STATUS_SUCCESS;
}

static ACCESS_MASK IopMapAccess(ACCESS_MASK Access)
{
    PGENERIC_MAPPING m = &IoFileObjectType->TypeInfo.GenericMapping;
    if (Access & GENERIC_READ) Access |= m->GenericRead;
    if (Access & GENERIC_WRITE) Access |= m->GenericWrite;
    if (Access & GENERIC_EXECUTE) Access |= m->GenericExecute;
    if (Access & (GENERIC_ALL | MAXIMUM_ALLOWED)) Access |= m->GenericAll;
    return Access & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL | MAXIMUM_ALLOWED);
}

NTSTATUS IopCreateFile(PHANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                       KPROCESSOR_MODE Mode, PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                       ULONG ShareAccess, ULONG Disposition, ULONG CreateOptions, PULONG_PTR Information)
{
    return IopCreateFileEx(Handle, DesiredAccess, ObjectAttributes, Mode, AllocationSize, FileAttributes, ShareAccess,
                           Disposition, CreateOptions, NULL, Information);
}

NTSTATUS IopCreateFileEx(PHANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                         KPROCESSOR_MODE Mode, PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                         ULONG ShareAccess, ULONG Disposition, ULONG CreateOptions,
                         PNAMED_PIPE_CREATE_PARAMETERS PipeParameters, PULONG_PTR Information)
{
    NTSTATUS status = IopCheckCreateParameters(DesiredAccess, FileAttributes, ShareAccess, Disposition, CreateOptions);
    if (!NT_SUCCESS(status)) return status;
    OPEN_PACKET op;
    RtlZeroMemory(&op, sizeof(op));
    op.Type = IO_TYPE_OPEN_PACKET;
    op.Size = sizeof(op);
    op.DesiredAccess = IopMapAccess(DesiredAccess);
    if (AllocationSize) op.AllocationSize = *AllocationSize;
    op.FileAttributes = FileAttributes;
    op.ShareAccess = ShareAccess;
    op.Disposition = Disposition;
    op.CreateOptions = CreateOptions;
    op.PipeParameters = PipeParameters;
    /* The File type: opening a non-device object (a directory, an event) is a type mismatch. */
    status = ObOpenObjectByName(ObjectAttributes, IoFileObjectType, Mode, NULL, DesiredAccess, &op, Handle);
    if (Information) *Information = op.Information;
    return status;
}

NTSTATUS NTAPI NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                            PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                            ULONG ShareAccess, ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer,
                            ULONG EaLength)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    LARGE_INTEGER allocation = { .QuadPart = 0 };
    ULONG_PTR information = 0;
    HANDLE h;
    if (mode == UserMode && (!NT_SUCCESS(ProbeForWrite(FileHandle, sizeof(HANDLE), sizeof(ULONG))) || !FileHandle))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = IopProbeIosb(IoStatusBlock, mode);
    if (NT_SUCCESS(status) && AllocationSize) status = ExCopyIn(mode, &allocation, AllocationSize, sizeof(allocation));
    if (!NT_SUCCESS(status)) return status;
    /* Extended attributes are not supported: EaBuffer is ignored. */
    status = IopCreateFile(&h, DesiredAccess, ObjectAttributes, mode, &allocation, FileAttributes, ShareAccess,
                           CreateDisposition, CreateOptions, &information);
    if (!NT_SUCCESS(status)) return status;
    IO_STATUS_BLOCK iosb = { .Status = status, .Information = information };
    NTSTATUS copy = ExCopyOut(mode, IoStatusBlock, &iosb, sizeof(iosb));
    if (!NT_SUCCESS(copy)) {
        ObCloseHandle(h, KernelMode);
        return copy;
    }
    return ExReturnHandle(mode, FileHandle, h, status);
}

/* The server end of a named pipe: a create whose IRP is IRP_MJ_CREATE_NAMED_PIPE, carrying the
 * pipe's parameters (checked here as NT does; the NPFS judges the rest). */
NTSTATUS NTAPI NtCreateNamedPipeFile(PHANDLE FileHandle, ULONG DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                                     PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess, ULONG CreateDisposition,
                                     ULONG CreateOptions, ULONG NamedPipeType, ULONG ReadMode,
                                     ULONG CompletionMode, ULONG MaximumInstances, ULONG InboundQuota,
                                     ULONG OutboundQuota, PLARGE_INTEGER DefaultTimeout)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    NAMED_PIPE_CREATE_PARAMETERS pipe = { NamedPipeType, ReadMode, CompletionMode, MaximumInstances, InboundQuota,
                                          OutboundQuota, { .QuadPart = 0 }, DefaultTimeout != NULL };
    ULONG_PTR information = 0;
    HANDLE h;
    if (NamedPipeType > FILE_PIPE_MESSAGE_TYPE || ReadMode > FILE_PIPE_MESSAGE_MODE || ReadMode > NamedPipeType ||
        CompletionMode > FILE_PIPE_COMPLETE_OPERATION || MaximumInstances == 0 ||
        (CreateDisposition != FILE_CREATE && CreateDisposition != FILE_OPEN && CreateDisposition != FILE_OPEN_IF))
        return STATUS_INVALID_PARAMETER;
    if (mode == UserMode && (!NT_SUCCESS(ProbeForWrite(FileHandle, sizeof(HANDLE), sizeof(ULONG))) || !FileHandle))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = IopProbeIosb(IoStatusBlock, mode);
    if (NT_SUCCESS(status) && DefaultTimeout)
        status = ExCopyIn(mode, &pipe.DefaultTimeout, DefaultTimeout, sizeof(pipe.DefaultTimeout));
    if (!NT_SUCCESS(status)) return status;
    status = IopCreateFileEx(&h, DesiredAccess, ObjectAttributes, mode, NULL, 0, ShareAccess, CreateDisposition,
                             CreateOptions, &pipe, &information);
    if (!NT_SUCCESS(status)) return status;
    IO_STATUS_BLOCK iosb = { .Status = status, .Information = information };
    NTSTATUS copy = ExCopyOut(mode, IoStatusBlock, &iosb, sizeof(iosb));
    if (!NT_SUCCESS(copy)) {
        ObCloseHandle(h, KernelMode);
        return copy;
    }
    return ExReturnHandle(mode, FileHandle, h, status);
}

NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                          PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions)
{
    return NtCreateFile(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, NULL, 0, ShareAccess, FILE_OPEN,
                        OpenOptions, NULL, 0);
}

NTSTATUS NTAPI NtDeleteFile(POBJECT_ATTRIBUTES ObjectAttributes)
{
    HANDLE h;
    /* The file system deletes it when this handle, the only one it allows, is closed. */
    NTSTATUS status = IopCreateFile(&h, DELETE, ObjectAttributes, ExGetPreviousMode(), NULL, 0,
                                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_OPEN,
                                    FILE_DELETE_ON_CLOSE | FILE_OPEN_REPARSE_POINT, NULL);
    if (!NT_SUCCESS(status)) return status;
    ObCloseHandle(h, KernelMode);
    return STATUS_SUCCESS;
}

/* Opens by name for attributes, queries one class, closes. */
static NTSTATUS IopQueryAttributesByName(POBJECT_ATTRIBUTES ObjectAttributes, PVOID Information, ULONG Length,
                                         FILE_INFORMATION_CLASS Class)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    UCHAR buffer[sizeof(FILE_NETWORK_OPEN_INFORMATION)] __attribute__((aligned(8)));
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    NTSTATUS status = IopProbeUserWrite(Information, Length, mode);
    if (NT_SUCCESS(status) && mode == UserMode && ((ULONG_PTR)Information & 3)) status = STATUS_DATATYPE_MISALIGNMENT;
    if (!NT_SUCCESS(status)) return status;
    status = IopCreateFile(&h, FILE_READ_ATTRIBUTES | SYNCHRONIZE, ObjectAttributes, mode, NULL, 0,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_OPEN, 0, NULL);
    if (!NT_SUCCESS(status)) return status;
    status = ZwQueryInformationFile(h, &iosb, buffer, Length, Class);     /* h is the caller's */
    ObCloseHandle(h, KernelMode);
    if (NT_SUCCESS(status)) status = ExCopyOut(mode, Information, buffer, Length);
    return status;
}

NTSTATUS NTAPI NtQueryAttributesFile(POBJECT_ATTRIBUTES ObjectAttributes, PFILE_BASIC_INFORMATION FileInformation)
{
    return IopQueryAttributesByName(ObjectAttributes, FileInformation, sizeof(FILE_BASIC_INFORMATION),
                                    FileBasicInformation);
}

NTSTATUS NTAPI NtQueryFullAttributesFile(POBJECT_ATTRIBUTES ObjectAttributes,
                                         PFILE_NETWORK_OPEN_INFORMATION FileInformation)
{
    return IopQueryAttributesByName(ObjectAttributes, FileInformation, sizeof(FILE_NETWORK_OPEN_INFORMATION),
                                    FileNetworkOpenInformation);
}
