/*
 * fileio.c - I/O on open files: ReadFile/WriteFile (console handles go to consrv, the rest to
 * NtReadFile/NtWriteFile; synchronous, or at OVERLAPPED's offset), overlapped I/O (a request on
 * a FILE_FLAG_OVERLAPPED handle that goes pending fails with ERROR_IO_PENDING; OVERLAPPED is the
 * IO_STATUS_BLOCK, so GetOverlappedResult reads Internal/InternalHigh after waiting for hEvent
 * or the file), ReadFileEx/WriteFileEx (completion routines run as user APCs when the thread is
 * alertable), I/O completion ports (CreateIoCompletionPort, GetQueuedCompletionStatus,
 * PostQueuedCompletionStatus), CancelIo, the file pointer, size and end of file, flushing, the file type and the
 * information by handle.
 */
#include "k32p.h"

/* The STD_* values stand for the standard handles in the I/O functions, as on Windows. */
static HANDLE BaseIoHandle(HANDLE h)
{
    DWORD v = (DWORD)(ULONG_PTR)h;
    if (v == STD_INPUT_HANDLE || v == STD_OUTPUT_HANDLE || v == STD_ERROR_HANDLE) return GetStdHandle(v);
    return h;
}

/* Waits for an I/O that went pending on a handle opened for asynchronous I/O. */
NTSTATUS BaseFinishIo(NTSTATUS Status, HANDLE File, HANDLE Event, PIO_STATUS_BLOCK Iosb)
{
    if (Status != STATUS_PENDING) return Status;
    NtWaitForSingleObject(Event ? Event : File, FALSE, NULL);
    return Iosb->Status;
}

/* NtReadFile or NtWriteFile, synchronous or at OVERLAPPED's offset (and with its event); the
 * status and the IO_STATUS_BLOCK used (OVERLAPPED itself when given). STATUS_PENDING is left to
 * the caller. */
static NTSTATUS BaseTransfer(BOOL Write, HANDLE h, PVOID Buffer, DWORD Length, LPOVERLAPPED Overlapped,
                             PIO_STATUS_BLOCK Local, PIO_STATUS_BLOCK *Iosb, PIO_APC_ROUTINE Apc, PVOID ApcContext)
{
    PIO_STATUS_BLOCK iosb = Overlapped ? (PIO_STATUS_BLOCK)Overlapped : Local;
    LARGE_INTEGER offset, *pos = NULL;
    HANDLE event = NULL;
    if (Overlapped) {
        offset.u.LowPart = Overlapped->Offset;
        offset.u.HighPart = (LONG)Overlapped->OffsetHigh;
        pos = &offset;
        event = Apc ? NULL : Overlapped->hEvent;     /* ReadFileEx/WriteFileEx: hEvent is the caller's */
        /* On a file with a completion port the OVERLAPPED comes back in the packet - unless the
         * event's low bit is set, Windows' way to ask for no packet. */
        if (!Apc) {
            ApcContext = ((ULONG_PTR)event & 1) ? NULL : (PVOID)Overlapped;
            event = (HANDLE)((ULONG_PTR)event & ~(ULONG_PTR)1);
        }
    }
    iosb->Status = STATUS_PENDING;
    iosb->Information = 0;
    *Iosb = iosb;
    return Write ? NtWriteFile(h, event, Apc, ApcContext, iosb, Buffer, Length, pos, NULL)
                 : NtReadFile(h, event, Apc, ApcContext, iosb, Buffer, Length, pos, NULL);
}

/* The end of ReadFile/WriteFile: pending overlapped requests fail with ERROR_IO_PENDING; a
 * pending request without OVERLAPPED is waited for; reading at the end of a file succeeds with
 * 0 bytes synchronously and fails with ERROR_HANDLE_EOF overlapped. */
static BOOL BaseTransferResult(NTSTATUS Status, HANDLE h, BOOL Read, LPOVERLAPPED Overlapped, PIO_STATUS_BLOCK Iosb,
                               LPDWORD Transferred)
{
    if (Status == STATUS_PENDING && Overlapped) { SetLastError(ERROR_IO_PENDING); return FALSE; }
    Status = BaseFinishIo(Status, h, NULL, Iosb);
    if (Read && Status == STATUS_END_OF_FILE) {
        if (Overlapped) { SetLastError(ERROR_HANDLE_EOF); return FALSE; }
        return TRUE;
    }
    /* A message longer than the buffer: the buffer is filled, the read fails with ERROR_MORE_DATA. */
    if (Status == STATUS_BUFFER_OVERFLOW && Transferred) *Transferred = (DWORD)Iosb->Information;
    if (!BaseNtSuccess(Status)) return FALSE;
    if (Transferred) *Transferred = (DWORD)Iosb->Information;
    return TRUE;
}

BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead, LPDWORD lpNumberOfBytesRead,
                     LPOVERLAPPED lpOverlapped)
{
    HANDLE h = BaseIoHandle(hFile);
    if (lpNumberOfBytesRead) *lpNumberOfBytesRead = 0;
    if (lpNumberOfBytesRead == NULL && lpOverlapped == NULL) { SetLastError(ERROR_INVALID_USER_BUFFER); return FALSE; }
    if (BaseIsConsoleHandle(h)) return BaseConsoleRead(h, lpBuffer, nNumberOfBytesToRead, FALSE, lpNumberOfBytesRead);
    IO_STATUS_BLOCK local;
    PIO_STATUS_BLOCK iosb;
    NTSTATUS status = BaseTransfer(FALSE, h, lpBuffer, nNumberOfBytesToRead, lpOverlapped, &local, &iosb, NULL, NULL);
    return BaseTransferResult(status, h, TRUE, lpOverlapped, iosb, lpNumberOfBytesRead);
}

BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite, LPDWORD lpNumberOfBytesWritten,
                      LPOVERLAPPED lpOverlapped)
{
    HANDLE h = BaseIoHandle(hFile);
    if (lpNumberOfBytesWritten) *lpNumberOfBytesWritten = 0;
    if (lpNumberOfBytesWritten == NULL && lpOverlapped == NULL) { SetLastError(ERROR_INVALID_USER_BUFFER); return FALSE; }
    if (BaseIsConsoleHandle(h)) return BaseConsoleWrite(h, lpBuffer, nNumberOfBytesToWrite, FALSE, lpNumberOfBytesWritten);
    IO_STATUS_BLOCK local;
    PIO_STATUS_BLOCK iosb;
    NTSTATUS status = BaseTransfer(TRUE, h, (PVOID)lpBuffer, nNumberOfBytesToWrite, lpOverlapped, &local, &iosb,
                                   NULL, NULL);
    return BaseTransferResult(status, h, FALSE, lpOverlapped, iosb, lpNumberOfBytesWritten);
}

/* ReadFileEx/WriteFileEx's APC: the completion routine with a Win32 error code. */
static VOID NTAPI BaseIoCompletion(PVOID Context, PIO_STATUS_BLOCK Iosb, ULONG Reserved)
{
    LPOVERLAPPED_COMPLETION_ROUTINE routine = (LPOVERLAPPED_COMPLETION_ROUTINE)Context;
    DWORD error = NT_ERROR(Iosb->Status) ? RtlNtStatusToDosError(Iosb->Status) : 0;
    routine(error, (DWORD)Iosb->Information, (LPOVERLAPPED)Iosb);
}

static BOOL BaseTransferEx(BOOL Write, HANDLE hFile, PVOID Buffer, DWORD Length, LPOVERLAPPED Overlapped,
                           LPOVERLAPPED_COMPLETION_ROUTINE Routine)
{
    IO_STATUS_BLOCK local;
    PIO_STATUS_BLOCK iosb;
    if (Overlapped == NULL || Routine == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    NTSTATUS status = BaseTransfer(Write, BaseIoHandle(hFile), Buffer, Length, Overlapped, &local, &iosb,
                                   BaseIoCompletion, (PVOID)Routine);
    /* Queued or done: either way the routine runs when the thread is next alertable. */
    if (NT_ERROR(status)) { BaseSetLastNtError(status); return FALSE; }
    SetLastError(ERROR_SUCCESS);
    return TRUE;
}

BOOL WINAPI ReadFileEx(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead, LPOVERLAPPED lpOverlapped,
                       LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return BaseTransferEx(FALSE, hFile, lpBuffer, nNumberOfBytesToRead, lpOverlapped, lpCompletionRoutine);
}

BOOL WINAPI WriteFileEx(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite, LPOVERLAPPED lpOverlapped,
                        LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return BaseTransferEx(TRUE, hFile, (PVOID)lpBuffer, nNumberOfBytesToWrite, lpOverlapped, lpCompletionRoutine);
}

BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped, LPDWORD lpNumberOfBytesTransferred,
                                BOOL bWait)
{
    if (lpOverlapped == NULL || lpNumberOfBytesTransferred == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if ((NTSTATUS)lpOverlapped->Internal == STATUS_PENDING) {
        if (!bWait) { SetLastError(ERROR_IO_INCOMPLETE); return FALSE; }
        HANDLE wait = lpOverlapped->hEvent ? lpOverlapped->hEvent : BaseIoHandle(hFile);
        NTSTATUS status = NtWaitForSingleObject(wait, FALSE, NULL);
        if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    }
    *lpNumberOfBytesTransferred = (DWORD)lpOverlapped->InternalHigh;
    NTSTATUS status = (NTSTATUS)lpOverlapped->Internal;
    if (NT_ERROR(status) || status == STATUS_END_OF_FILE) { BaseSetLastNtError(status); return FALSE; }
    return TRUE;
}

/* ---- Completion ports ---- */

HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort, ULONG_PTR CompletionKey,
                                     DWORD NumberOfConcurrentThreads)
{
    HANDLE port = ExistingCompletionPort;
    if (port == NULL) {
        NTSTATUS status = NtCreateIoCompletion(&port, IO_COMPLETION_ALL_ACCESS, NULL, NumberOfConcurrentThreads);
        if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return NULL; }
    }
    if (FileHandle == INVALID_HANDLE_VALUE) return port;
    FILE_COMPLETION_INFORMATION info = { port, (PVOID)CompletionKey };
    IO_STATUS_BLOCK iosb;
    NTSTATUS status = NtSetInformationFile(BaseIoHandle(FileHandle), &iosb, &info, sizeof(info),
                                           FileCompletionInformation);
    if (!NT_SUCCESS(status)) {
        if (ExistingCompletionPort == NULL) NtClose(port);
        BaseSetLastNtError(status);
        return NULL;
    }
    return port;
}

/* TRUE with a packet of a request that succeeded; FALSE with *lpOverlapped set for one that
 * failed (its error the last error), or NULL if no packet came in time (WAIT_TIMEOUT). */
BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort, LPDWORD lpNumberOfBytesTransferred,
                                      PULONG_PTR lpCompletionKey, LPOVERLAPPED *lpOverlapped, DWORD dwMilliseconds)
{
    LARGE_INTEGER time;
    IO_STATUS_BLOCK iosb;
    PVOID key = NULL, context = NULL;
    if (!lpNumberOfBytesTransferred || !lpCompletionKey || !lpOverlapped) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    *lpOverlapped = NULL;
    NTSTATUS status = NtRemoveIoCompletion(CompletionPort, &key, &context, &iosb,
                                           BaseFormatTimeOut(&time, dwMilliseconds));
    if (status == STATUS_TIMEOUT) { SetLastError(WAIT_TIMEOUT); return FALSE; }
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    *lpCompletionKey = (ULONG_PTR)key;
    *lpOverlapped = context;
    *lpNumberOfBytesTransferred = (DWORD)iosb.Information;
    if (NT_ERROR(iosb.Status)) { BaseSetLastNtError(iosb.Status); return FALSE; }
    return TRUE;
}

BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort, DWORD dwNumberOfBytesTransferred,
                                       ULONG_PTR dwCompletionKey, LPOVERLAPPED lpOverlapped)
{
    return BaseNtSuccess(NtSetIoCompletion(CompletionPort, (PVOID)dwCompletionKey, lpOverlapped, STATUS_SUCCESS,
                                           dwNumberOfBytesTransferred));
}

BOOL WINAPI CancelIo(HANDLE hFile)
{
    IO_STATUS_BLOCK iosb;
    return BaseNtSuccess(NtCancelIoFile(BaseIoHandle(hFile), &iosb));
}

static BOOL BaseQueryFile(HANDLE h, PVOID Info, ULONG Length, FILE_INFORMATION_CLASS Class)
{
    IO_STATUS_BLOCK iosb;
    if (BaseIsConsoleHandle(h)) { SetLastError(ERROR_INVALID_HANDLE); return FALSE; }
    NTSTATUS status = NtQueryInformationFile(h, &iosb, Info, Length, Class);
    return BaseNtSuccess(status);
}

static BOOL BaseSetFile(HANDLE h, PVOID Info, ULONG Length, FILE_INFORMATION_CLASS Class)
{
    IO_STATUS_BLOCK iosb;
    if (BaseIsConsoleHandle(h)) { SetLastError(ERROR_INVALID_HANDLE); return FALSE; }
    NTSTATUS status = NtSetInformationFile(h, &iosb, Info, Length, Class);
    return BaseNtSuccess(status);
}

BOOL WINAPI SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove, PLARGE_INTEGER lpNewFilePointer,
                             DWORD dwMoveMethod)
{
    HANDLE h = BaseIoHandle(hFile);
    FILE_POSITION_INFORMATION pos;
    LONGLONG base;
    switch (dwMoveMethod) {
    case FILE_BEGIN: base = 0; break;
    case FILE_CURRENT:
        if (!BaseQueryFile(h, &pos, sizeof(pos), FilePositionInformation)) return FALSE;
        base = pos.CurrentByteOffset.QuadPart;
        break;
    case FILE_END: {
        FILE_STANDARD_INFORMATION std;
        if (!BaseQueryFile(h, &std, sizeof(std), FileStandardInformation)) return FALSE;
        base = std.EndOfFile.QuadPart;
        break;
    }
    default: SetLastError(ERROR_INVALID_PARAMETER); return FALSE;
    }
    LONGLONG target = base + liDistanceToMove.QuadPart;
    if (target < 0) { SetLastError(ERROR_NEGATIVE_SEEK); return FALSE; }
    pos.CurrentByteOffset.QuadPart = target;
    if (!BaseSetFile(h, &pos, sizeof(pos), FilePositionInformation)) return FALSE;
    if (lpNewFilePointer) lpNewFilePointer->QuadPart = target;
    return TRUE;
}

DWORD WINAPI SetFilePointer(HANDLE hFile, LONG lDistanceToMove, PLONG lpDistanceToMoveHigh, DWORD dwMoveMethod)
{
    LARGE_INTEGER distance, result;
    /* Without a high part the distance is a signed 32-bit value. */
    if (lpDistanceToMoveHigh) { distance.u.LowPart = (ULONG)lDistanceToMove; distance.u.HighPart = *lpDistanceToMoveHigh; }
    else distance.QuadPart = lDistanceToMove;
    if (!SetFilePointerEx(hFile, distance, &result, dwMoveMethod)) return INVALID_SET_FILE_POINTER;
    if (lpDistanceToMoveHigh) *lpDistanceToMoveHigh = result.u.HighPart;
    else if (result.u.HighPart != 0) {
        /* The position does not fit the 32 bits the caller can see. */
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_SET_FILE_POINTER;
    }
    if (result.u.LowPart == INVALID_SET_FILE_POINTER) SetLastError(ERROR_SUCCESS);
    return result.u.LowPart;
}

BOOL WINAPI GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize)
{
    FILE_STANDARD_INFORMATION std;
    if (lpFileSize == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (!BaseQueryFile(BaseIoHandle(hFile), &std, sizeof(std), FileStandardInformation)) return FALSE;
    *lpFileSize = std.EndOfFile;
    return TRUE;
}

DWORD WINAPI GetFileSize(HANDLE hFile, LPDWORD lpFileSizeHigh)
{
    LARGE_INTEGER size;
    if (!GetFileSizeEx(hFile, &size)) return INVALID_FILE_SIZE;
    if (lpFileSizeHigh) *lpFileSizeHigh = (DWORD)size.u.HighPart;
    if (size.u.LowPart == INVALID_FILE_SIZE) SetLastError(ERROR_SUCCESS);   /* a real size of 4 GiB - 1 */
    return size.u.LowPart;
}

BOOL WINAPI SetEndOfFile(HANDLE hFile)
{
    HANDLE h = BaseIoHandle(hFile);
    FILE_POSITION_INFORMATION pos;
    if (!BaseQueryFile(h, &pos, sizeof(pos), FilePositionInformation)) return FALSE;
    FILE_END_OF_FILE_INFORMATION eof;
    eof.EndOfFile = pos.CurrentByteOffset;
    return BaseSetFile(h, &eof, sizeof(eof), FileEndOfFileInformation);
}

BOOL WINAPI FlushFileBuffers(HANDLE hFile)
{
    HANDLE h = BaseIoHandle(hFile);
    IO_STATUS_BLOCK iosb;
    if (BaseIsConsoleHandle(h)) return TRUE;          /* console output is never buffered here */
    NTSTATUS status = NtFlushBuffersFile(h, &iosb);
    return BaseNtSuccess(status);
}

/* Device types of FILE_FS_DEVICE_INFORMATION (ntddk values) that matter here. */
#define BASE_DEVICE_NAMED_PIPE 0x11u
#define BASE_DEVICE_NULL       0x15u
#define BASE_DEVICE_KEYBOARD   0x0Bu
#define BASE_DEVICE_MOUSE      0x0Fu
#define BASE_DEVICE_PARALLEL   0x16u
#define BASE_DEVICE_SCREEN     0x1Cu
#define BASE_DEVICE_SERIAL     0x1Bu
#define BASE_DEVICE_SOUND      0x1Du
#define BASE_DEVICE_CONSOLE    0x50u

DWORD WINAPI GetFileType(HANDLE hFile)
{
    HANDLE h = BaseIoHandle(hFile);
    if (BaseIsConsoleHandle(h)) return FILE_TYPE_CHAR;
    FILE_FS_DEVICE_INFORMATION info;
    IO_STATUS_BLOCK iosb;
    NTSTATUS status = NtQueryVolumeInformationFile(h, &iosb, &info, sizeof(info), FileFsDeviceInformation);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FILE_TYPE_UNKNOWN; }
    switch (info.DeviceType) {
    case BASE_DEVICE_NAMED_PIPE: return FILE_TYPE_PIPE;
    case BASE_DEVICE_NULL: case BASE_DEVICE_KEYBOARD: case BASE_DEVICE_MOUSE: case BASE_DEVICE_PARALLEL:
    case BASE_DEVICE_SCREEN: case BASE_DEVICE_SERIAL: case BASE_DEVICE_SOUND: case BASE_DEVICE_CONSOLE:
        return FILE_TYPE_CHAR;
    default: return FILE_TYPE_DISK;
    }
}

static VOID BaseToFileTime(LARGE_INTEGER Time, LPFILETIME Out)
{
    if (Out == NULL) return;
    Out->dwLowDateTime = Time.u.LowPart;
    Out->dwHighDateTime = (DWORD)Time.u.HighPart;
}

BOOL WINAPI GetFileInformationByHandle(HANDLE hFile, LPBY_HANDLE_FILE_INFORMATION lpFileInformation)
{
    HANDLE h = BaseIoHandle(hFile);
    FILE_BASIC_INFORMATION basic;
    FILE_STANDARD_INFORMATION std;
    FILE_INTERNAL_INFORMATION internal;
    if (lpFileInformation == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (!BaseQueryFile(h, &basic, sizeof(basic), FileBasicInformation) ||
        !BaseQueryFile(h, &std, sizeof(std), FileStandardInformation) ||
        !BaseQueryFile(h, &internal, sizeof(internal), FileInternalInformation))
        return FALSE;
    struct { FILE_FS_VOLUME_INFORMATION v; WCHAR label[32]; } volume;
    IO_STATUS_BLOCK iosb;
    RtlZeroMemory(&volume, sizeof(volume));
    NtQueryVolumeInformationFile(h, &iosb, &volume, sizeof(volume), FileFsVolumeInformation);
    lpFileInformation->dwFileAttributes = basic.FileAttributes;
    BaseToFileTime(basic.CreationTime, &lpFileInformation->ftCreationTime);
    BaseToFileTime(basic.LastAccessTime, &lpFileInformation->ftLastAccessTime);
    BaseToFileTime(basic.LastWriteTime, &lpFileInformation->ftLastWriteTime);
    lpFileInformation->dwVolumeSerialNumber = volume.v.VolumeSerialNumber;
    lpFileInformation->nFileSizeHigh = (DWORD)std.EndOfFile.u.HighPart;
    lpFileInformation->nFileSizeLow = std.EndOfFile.u.LowPart;
    lpFileInformation->nNumberOfLinks = std.NumberOfLinks;
    lpFileInformation->nFileIndexHigh = (DWORD)internal.IndexNumber.u.HighPart;
    lpFileInformation->nFileIndexLow = internal.IndexNumber.u.LowPart;
    return TRUE;
}

BOOL WINAPI GetFileTime(HANDLE hFile, LPFILETIME lpCreationTime, LPFILETIME lpLastAccessTime,
                        LPFILETIME lpLastWriteTime)
{
    FILE_BASIC_INFORMATION basic;
    if (!BaseQueryFile(BaseIoHandle(hFile), &basic, sizeof(basic), FileBasicInformation)) return FALSE;
    BaseToFileTime(basic.CreationTime, lpCreationTime);
    BaseToFileTime(basic.LastAccessTime, lpLastAccessTime);
    BaseToFileTime(basic.LastWriteTime, lpLastWriteTime);
    return TRUE;
}

static VOID BaseFromFileTime(const FILETIME *Time, PLARGE_INTEGER Out)
{
    /* A zero time in FILE_BASIC_INFORMATION means "leave unchanged". */
    Out->QuadPart = 0;
    if (Time == NULL) return;
    Out->u.LowPart = Time->dwLowDateTime;
    Out->u.HighPart = (LONG)Time->dwHighDateTime;
}

BOOL WINAPI SetFileTime(HANDLE hFile, const FILETIME *lpCreationTime, const FILETIME *lpLastAccessTime,
                        const FILETIME *lpLastWriteTime)
{
    FILE_BASIC_INFORMATION basic;
    RtlZeroMemory(&basic, sizeof(basic));
    BaseFromFileTime(lpCreationTime, &basic.CreationTime);
    BaseFromFileTime(lpLastAccessTime, &basic.LastAccessTime);
    BaseFromFileTime(lpLastWriteTime, &basic.LastWriteTime);
    return BaseSetFile(BaseIoHandle(hFile), &basic, sizeof(basic), FileBasicInformation);
}
