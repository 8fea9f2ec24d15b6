/*
 * iosvc_rw.c - NtReadFile and NtWriteFile. The byte offset is the caller's, or, for a file
 * opened for synchronous I/O, the file's current position when the caller gives none (or
 * FILE_USE_FILE_POINTER_POSITION); FILE_WRITE_TO_END_OF_FILE is passed to the driver as is.
 * The data moves through a kernel buffer: copied in before a write, out after a read (which, on
 * a file opened for asynchronous I/O, may be after the service returned STATUS_PENDING: see
 * iorequest.c). Also NtFlushBuffersFile.
 */
#include "iop.h"

static BOOLEAN IopIsSpecialOffset(PLARGE_INTEGER Offset, ULONG Low)
{
    return Offset->u.HighPart == -1 && Offset->u.LowPart == Low;
}

/* The offset of this request, or an error. */
static NTSTATUS IopResolveOffset(PFILE_OBJECT File, BOOLEAN Write, BOOLEAN Given, PLARGE_INTEGER Offset,
                                 ACCESS_MASK Granted)
{
    BOOLEAN sync = (File->Flags & FO_SYNCHRONOUS_IO) != 0;
    if (!Given || IopIsSpecialOffset(Offset, FILE_USE_FILE_POINTER_POSITION)) {
        if (!sync) return STATUS_INVALID_PARAMETER;
        *Offset = File->CurrentByteOffset;
    }
    /* A handle with only FILE_APPEND_DATA may write at the end and nowhere else. */
    if (Write && !(Granted & FILE_WRITE_DATA)) Offset->u.LowPart = FILE_WRITE_TO_END_OF_FILE, Offset->u.HighPart = -1;
    if (Offset->QuadPart < 0 && !(Write && IopIsSpecialOffset(Offset, FILE_WRITE_TO_END_OF_FILE)))
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

static NTSTATUS IopReadWrite(BOOLEAN Write, HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                             PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length,
                             PLARGE_INTEGER ByteOffset, PULONG Key)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    LARGE_INTEGER offset = { .QuadPart = 0 };
    ULONG key = 0;
    PIOP_REQUEST r;
    NTSTATUS status = IopProbeIosb(IoStatusBlock, mode);
    if (NT_SUCCESS(status) && ByteOffset) status = ExCopyIn(mode, &offset, ByteOffset, sizeof(offset));
    if (NT_SUCCESS(status) && Key) status = ExCopyIn(mode, &key, Key, sizeof(key));
    if (NT_SUCCESS(status) && mode == UserMode)
        status = Write ? ProbeForRead(Buffer, Length, 1) : IopProbeUserWrite(Buffer, Length, mode);
    if (NT_SUCCESS(status) && mode == UserMode && Length && Buffer == NULL) status = STATUS_ACCESS_VIOLATION;
    if (!NT_SUCCESS(status)) return status;
    status = IopBeginRequest(&r, FileHandle, Write ? 0 : FILE_READ_DATA, Event, mode);
    if (!NT_SUCCESS(status)) return status;
    r->ApcRoutine = ApcRoutine;
    r->ApcContext = ApcContext;
    if (Write && !(r->GrantedAccess & (FILE_WRITE_DATA | FILE_APPEND_DATA))) status = STATUS_ACCESS_DENIED;
    if (NT_SUCCESS(status))
        status = IopResolveOffset(r->FileObject, Write, ByteOffset != NULL, &offset, r->GrantedAccess);
    if (NT_SUCCESS(status)) status = IopBuildRequest(r, Write ? IRP_MJ_WRITE : IRP_MJ_READ, 0, Length);
    if (NT_SUCCESS(status) && Write) status = ExCopyIn(mode, r->Buffer, Buffer, Length);
    if (!NT_SUCCESS(status)) return IopEndRequest(r, status, NULL, mode);

    r->Stack->Parameters.Read.Length = Length;
    r->Stack->Parameters.Read.Key = key;
    r->Stack->Parameters.Read.ByteOffset = offset;
    r->Irp->Flags |= Write ? IRP_WRITE_OPERATION : IRP_READ_OPERATION | IRP_INPUT_OPERATION;
    r->UserOutput = Write ? NULL : Buffer;
    r->TransferLength = Length;
    r->Position = offset;
    r->UpdatePosition = (r->FileObject->Flags & FO_SYNCHRONOUS_IO) &&
                        !IopIsSpecialOffset(&offset, FILE_WRITE_TO_END_OF_FILE);
    return IopCallAsyncRequest(r, IoStatusBlock);
}

NTSTATUS NTAPI NtReadFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                          PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                          PULONG Key)
{
    return IopReadWrite(FALSE, FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock, Buffer, Length, ByteOffset, Key);
}

NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                           PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                           PULONG Key)
{
    return IopReadWrite(TRUE, FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock, Buffer, Length, ByteOffset, Key);
}

NTSTATUS NTAPI NtFlushBuffersFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PIOP_REQUEST r;
    NTSTATUS status = IopProbeIosb(IoStatusBlock, mode);
    if (NT_SUCCESS(status)) status = IopBeginRequest(&r, FileHandle, 0, NULL, mode);
    if (!NT_SUCCESS(status)) return status;
    if (!(r->GrantedAccess & (FILE_WRITE_DATA | FILE_APPEND_DATA))) status = STATUS_ACCESS_DENIED;
    if (NT_SUCCESS(status)) status = IopBuildRequest(r, IRP_MJ_FLUSH_BUFFERS, 0, 0);
    if (NT_SUCCESS(status)) status = IopCallRequest(r);
    return IopEndRequest(r, status, IoStatusBlock, mode);
}
