/*
 * iosvc_ioctl.c - NtDeviceIoControlFile and NtFsControlFile. Every control code is handled as
 * METHOD_BUFFERED: one kernel buffer as large as the larger of the two, the input copied in,
 * the first IoStatus.Information bytes copied out (when the request completes: it may stay
 * pending on an asynchronous file). The access bits of the code (FILE_READ_ACCESS,
 * FILE_WRITE_ACCESS) are checked against the handle.
 */
#include "iop.h"

static ACCESS_MASK IopControlAccess(ULONG Code)
{
    ULONG bits = (Code >> 14) & 3;
    return ((bits & FILE_READ_ACCESS) ? FILE_READ_DATA : 0) | ((bits & FILE_WRITE_ACCESS) ? FILE_WRITE_DATA : 0);
}

static NTSTATUS IopControlFile(BOOLEAN FileSystem, HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                               PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, ULONG Code, PVOID InputBuffer, ULONG InputLength, PVOID OutputBuffer,
                               ULONG OutputLength)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PIOP_REQUEST r;
    NTSTATUS status = IopProbeIosb(IoStatusBlock, mode);
    if (NT_SUCCESS(status) && mode == UserMode && InputLength) {
        status = ProbeForRead(InputBuffer, InputLength, 1);
        if (NT_SUCCESS(status) && InputBuffer == NULL) status = STATUS_ACCESS_VIOLATION;
    }
    if (NT_SUCCESS(status)) status = IopProbeUserWrite(OutputBuffer, OutputLength, mode);
    if (!NT_SUCCESS(status)) return status;
    status = IopBeginRequest(&r, FileHandle, IopControlAccess(Code), Event, mode);
    if (!NT_SUCCESS(status)) return status;
    r->ApcRoutine = ApcRoutine;
    r->ApcContext = ApcContext;
    ULONG size = InputLength > OutputLength ? InputLength : OutputLength;
    status = IopBuildRequest(r, FileSystem ? IRP_MJ_FILE_SYSTEM_CONTROL : IRP_MJ_DEVICE_CONTROL,
                             FileSystem ? IRP_MN_USER_FS_REQUEST : 0, size);
    if (NT_SUCCESS(status) && InputLength) status = ExCopyIn(mode, r->Buffer, InputBuffer, InputLength);
    if (!NT_SUCCESS(status)) return IopEndRequest(r, status, NULL, mode);
    r->Stack->Parameters.DeviceIoControl.IoControlCode = Code;
    r->Stack->Parameters.DeviceIoControl.InputBufferLength = InputLength;
    r->Stack->Parameters.DeviceIoControl.OutputBufferLength = OutputLength;
    r->UserOutput = OutputLength ? OutputBuffer : NULL;
    r->TransferLength = OutputLength;
    r->CapInformation = TRUE;
    return IopCallAsyncRequest(r, IoStatusBlock);
}

NTSTATUS NTAPI NtDeviceIoControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                                     PIO_STATUS_BLOCK IoStatusBlock, ULONG IoControlCode, PVOID InputBuffer,
                                     ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength)
{
    return IopControlFile(FALSE, FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock, IoControlCode, InputBuffer, InputBufferLength,
                          OutputBuffer, OutputBufferLength);
}

NTSTATUS NTAPI NtFsControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                               PIO_STATUS_BLOCK IoStatusBlock, ULONG FsControlCode, PVOID InputBuffer,
                               ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength)
{
    return IopControlFile(TRUE, FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock, FsControlCode, InputBuffer, InputBufferLength,
                          OutputBuffer, OutputBufferLength);
}
