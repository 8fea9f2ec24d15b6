/*
 * pipe.c - anonymous pipes, the NT way: CreatePipe makes a one-instance named pipe with a name
 * nobody else uses (\Device\NamedPipe\Win32Pipes.<pid>.<counter>): the read handle is its
 * server end (NtCreateNamedPipeFile), the write handle a client end opened on the same name.
 * Reading a pipe whose writers are all closed fails with ERROR_BROKEN_PIPE (the NPFS's
 * STATUS_PIPE_BROKEN), which callers take as the end of the data. CreateNamedPipe makes a server
 * end of a name in \\.\pipe\ (\??\PIPE = \Device\NamedPipe), synchronous unless
 * FILE_FLAG_OVERLAPPED; clients open it with CreateFile. PIPE_TYPE_MESSAGE keeps each write a
 * message; PIPE_READMODE_MESSAGE (there, or later with SetNamedPipeHandleState) reads one at a
 * time, and a message longer than the buffer fills it and fails the read with ERROR_MORE_DATA
 * (the rest comes with the next read). ConnectNamedPipe waits for a client
 * (FSCTL_PIPE_LISTEN; overlapped, it fails with ERROR_IO_PENDING and completes like a read;
 * ERROR_PIPE_CONNECTED if the client came first), DisconnectNamedPipe cuts it off
 * (FSCTL_PIPE_DISCONNECT). WaitNamedPipe waits for an instance to listen (FSCTL_PIPE_WAIT on the
 * NPFS root: ERROR_SEM_TIMEOUT when its time is up, ERROR_FILE_NOT_FOUND for no such pipe). Also
 * PeekNamedPipe (FSCTL_PIPE_PEEK).
 */
#include "k32p.h"

WINBASEAPI BOOL WINAPI PeekNamedPipe(HANDLE hNamedPipe, LPVOID lpBuffer, DWORD nBufferSize, LPDWORD lpBytesRead,
                                     LPDWORD lpTotalBytesAvail, LPDWORD lpBytesLeftThisMessage);

static LONG BasePipeCounter;

/* Appends Value as 8 hex digits at Out; returns the position after them. */
static PWSTR BaseAppendHex(PWSTR Out, ULONG Value)
{
    for (int shift = 28; shift >= 0; shift -= 4) *Out++ = u"0123456789abcdef"[(Value >> shift) & 0xF];
    return Out;
}

/* "\Device\NamedPipe\Win32Pipes.<pid>.<counter>" in Buffer (64 characters are enough). */
static VOID BaseFormatPipeName(PWSTR Buffer, PUNICODE_STRING Name)
{
    static const WCHAR prefix[] = u"\\Device\\NamedPipe\\Win32Pipes.";
    PWSTR p = Buffer;
    for (ULONG i = 0; prefix[i]; i++) *p++ = prefix[i];
    p = BaseAppendHex(p, GetCurrentProcessId());
    *p++ = u'.';
    p = BaseAppendHex(p, (ULONG)InterlockedIncrement(&BasePipeCounter));
    *p = 0;
    RtlInitUnicodeString(Name, Buffer);
}

BOOL WINAPI CreatePipe(PHANDLE hReadPipe, PHANDLE hWritePipe, LPSECURITY_ATTRIBUTES lpPipeAttributes, DWORD nSize)
{
    WCHAR buffer[64];
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    LARGE_INTEGER timeout = { .QuadPart = -1200000000LL };        /* 120 s, as NT gives */
    HANDLE read, write;
    if (hReadPipe == NULL || hWritePipe == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    *hReadPipe = *hWritePipe = NULL;
    ULONG attributes = OBJ_CASE_INSENSITIVE;
    if (lpPipeAttributes && lpPipeAttributes->bInheritHandle) attributes |= OBJ_INHERIT;
    if (nSize == 0) nSize = 4096;
    BaseFormatPipeName(buffer, &name);
    InitializeObjectAttributes(&oa, &name, attributes, NULL, NULL);
    NTSTATUS status = NtCreateNamedPipeFile(&read, GENERIC_READ | FILE_WRITE_ATTRIBUTES | SYNCHRONIZE, &oa, &iosb,
                                            FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_CREATE,
                                            FILE_SYNCHRONOUS_IO_NONALERT, FILE_PIPE_BYTE_STREAM_TYPE,
                                            FILE_PIPE_BYTE_STREAM_MODE, FILE_PIPE_QUEUE_OPERATION, 1, nSize, nSize,
                                            &timeout);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    status = NtOpenFile(&write, GENERIC_WRITE | SYNCHRONIZE, &oa, &iosb, FILE_SHARE_READ,
                        FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(status)) {
        NtClose(read);
        BaseSetLastNtError(status);
        return FALSE;
    }
    *hReadPipe = read;
    *hWritePipe = write;
    return TRUE;
}

BOOL WINAPI PeekNamedPipe(HANDLE hNamedPipe, LPVOID lpBuffer, DWORD nBufferSize, LPDWORD lpBytesRead,
                          LPDWORD lpTotalBytesAvail, LPDWORD lpBytesLeftThisMessage)
{
    ULONG header = FIELD_OFFSET(FILE_PIPE_PEEK_BUFFER, Data);
    if (lpBuffer == NULL) nBufferSize = 0;
    if (nBufferSize > 0x10000000u) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    PFILE_PIPE_PEEK_BUFFER peek = RtlAllocateHeap(RtlProcessHeap(), 0, header + nBufferSize);
    if (peek == NULL) { SetLastError(ERROR_NOT_ENOUGH_MEMORY); return FALSE; }
    IO_STATUS_BLOCK iosb = { .Status = STATUS_SUCCESS, .Information = 0 };
    NTSTATUS status = NtFsControlFile(hNamedPipe, NULL, NULL, NULL, &iosb, FSCTL_PIPE_PEEK, NULL, 0, peek,
                                      header + nBufferSize);
    status = BaseFinishIo(status, hNamedPipe, NULL, &iosb);
    if (status == STATUS_BUFFER_OVERFLOW) status = STATUS_SUCCESS;      /* more than fits: fine */
    if (!NT_SUCCESS(status)) {
        RtlFreeHeap(RtlProcessHeap(), 0, peek);
        BaseSetLastNtError(status);
        return FALSE;
    }
    DWORD copied = iosb.Information > header ? (DWORD)(iosb.Information - header) : 0;
    if (copied > nBufferSize) copied = nBufferSize;
    if (copied) RtlCopyMemory(lpBuffer, peek->Data, copied);
    if (lpBytesRead) *lpBytesRead = copied;
    if (lpTotalBytesAvail) *lpTotalBytesAvail = peek->ReadDataAvailable;
    /* What of the first message the caller did not get (byte streams have no messages). */
    if (lpBytesLeftThisMessage) *lpBytesLeftThisMessage = peek->MessageLength > copied ? peek->MessageLength - copied : 0;
    RtlFreeHeap(RtlProcessHeap(), 0, peek);
    return TRUE;
}

HANDLE WINAPI CreateNamedPipeW(LPCWSTR lpName, DWORD dwOpenMode, DWORD dwPipeMode, DWORD nMaxInstances,
                               DWORD nOutBufferSize, DWORD nInBufferSize, DWORD nDefaultTimeOut,
                               LPSECURITY_ATTRIBUTES lpSecurityAttributes)
{
    DWORD direction = dwOpenMode & PIPE_ACCESS_DUPLEX;
    DWORD known = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | FILE_FLAG_WRITE_THROUGH | FILE_FLAG_FIRST_PIPE_INSTANCE |
                  WRITE_DAC | WRITE_OWNER | ACCESS_SYSTEM_SECURITY;
    BOOL message = (dwPipeMode & PIPE_TYPE_MESSAGE) != 0, messageRead = (dwPipeMode & PIPE_READMODE_MESSAGE) != 0;
    if (lpName == NULL || direction == 0 || (dwOpenMode & ~known) ||
        (dwPipeMode & ~(PIPE_NOWAIT | PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE)) || (messageRead && !message) ||
        nMaxInstances == 0 || nMaxInstances > PIPE_UNLIMITED_INSTANCES) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    UNICODE_STRING ntName;
    if (!BaseDosToNtPath(lpName, &ntName)) return INVALID_HANDLE_VALUE;
    OBJECT_ATTRIBUTES oa;
    ULONG attributes = OBJ_CASE_INSENSITIVE |
                       ((lpSecurityAttributes && lpSecurityAttributes->bInheritHandle) ? OBJ_INHERIT : 0);
    InitializeObjectAttributes(&oa, &ntName, attributes, NULL, NULL);
    ACCESS_MASK access = SYNCHRONIZE | FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES |
                         (direction & PIPE_ACCESS_INBOUND ? GENERIC_READ : 0) |
                         (direction & PIPE_ACCESS_OUTBOUND ? GENERIC_WRITE : 0);
    /* The server's share access is what clients may open for: the other direction. */
    ULONG share = (direction & PIPE_ACCESS_INBOUND ? FILE_SHARE_WRITE : 0) |
                  (direction & PIPE_ACCESS_OUTBOUND ? FILE_SHARE_READ : 0);
    LARGE_INTEGER timeout = { .QuadPart = -10000LL * (nDefaultTimeOut ? nDefaultTimeOut : 50) };
    IO_STATUS_BLOCK iosb;
    HANDLE h = NULL;
    NTSTATUS status = NtCreateNamedPipeFile(&h, access, &oa, &iosb, share,
                                            (dwOpenMode & FILE_FLAG_FIRST_PIPE_INSTANCE) ? FILE_CREATE : FILE_OPEN_IF,
                                            (dwOpenMode & FILE_FLAG_OVERLAPPED) ? 0 : FILE_SYNCHRONOUS_IO_NONALERT,
                                            message ? FILE_PIPE_MESSAGE_TYPE : FILE_PIPE_BYTE_STREAM_TYPE,
                                            messageRead ? FILE_PIPE_MESSAGE_MODE : FILE_PIPE_BYTE_STREAM_MODE,
                                            (dwPipeMode & PIPE_NOWAIT) ? FILE_PIPE_COMPLETE_OPERATION
                                                                       : FILE_PIPE_QUEUE_OPERATION,
                                            nMaxInstances == PIPE_UNLIMITED_INSTANCES ? 0xFFFFFFFFu : nMaxInstances,
                                            nInBufferSize, nOutBufferSize, &timeout);
    RtlFreeUnicodeString(&ntName);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNtError(status);
        return INVALID_HANDLE_VALUE;
    }
    return h;
}

HANDLE WINAPI CreateNamedPipeA(LPCSTR lpName, DWORD dwOpenMode, DWORD dwPipeMode, DWORD nMaxInstances,
                               DWORD nOutBufferSize, DWORD nInBufferSize, DWORD nDefaultTimeOut,
                               LPSECURITY_ATTRIBUTES lpSecurityAttributes)
{
    UNICODE_STRING name;
    if (lpName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return INVALID_HANDLE_VALUE; }
    if (!BaseAnsiToUnicode(lpName, &name)) return INVALID_HANDLE_VALUE;
    HANDLE h = CreateNamedPipeW(name.Buffer ? name.Buffer : u"", dwOpenMode, dwPipeMode, nMaxInstances,
                                nOutBufferSize, nInBufferSize, nDefaultTimeOut, lpSecurityAttributes);
    DWORD error = GetLastError();
    RtlFreeUnicodeString(&name);
    SetLastError(error);
    return h;
}

BOOL WINAPI ConnectNamedPipe(HANDLE hNamedPipe, LPOVERLAPPED lpOverlapped)
{
    IO_STATUS_BLOCK local;
    PIO_STATUS_BLOCK iosb = lpOverlapped ? (PIO_STATUS_BLOCK)lpOverlapped : &local;
    iosb->Status = STATUS_PENDING;
    iosb->Information = 0;
    NTSTATUS status = NtFsControlFile(hNamedPipe, lpOverlapped ? lpOverlapped->hEvent : NULL, NULL, NULL, iosb,
                                      FSCTL_PIPE_LISTEN, NULL, 0, NULL, 0);
    if (status == STATUS_PENDING && lpOverlapped) { SetLastError(ERROR_IO_PENDING); return FALSE; }
    status = BaseFinishIo(status, hNamedPipe, NULL, iosb);
    if (status == STATUS_PIPE_CONNECTED) { SetLastError(ERROR_PIPE_CONNECTED); return FALSE; }
    return BaseNtSuccess(status);
}

BOOL WINAPI DisconnectNamedPipe(HANDLE hNamedPipe)
{
    IO_STATUS_BLOCK iosb;
    return BaseNtSuccess(NtFsControlFile(hNamedPipe, NULL, NULL, NULL, &iosb, FSCTL_PIPE_DISCONNECT, NULL, 0, NULL, 0));
}

/* The read mode and blocking of an end (FilePipeInformation); the instance count and timeout
 * arguments are for client ends of remote pipes, which NanoNT does not have. */
BOOL WINAPI SetNamedPipeHandleState(HANDLE hNamedPipe, LPDWORD lpMode, LPDWORD lpMaxCollectionCount,
                                    LPDWORD lpCollectDataTimeout)
{
    FILE_PIPE_INFORMATION info;
    IO_STATUS_BLOCK iosb;
    if (lpMaxCollectionCount || lpCollectDataTimeout) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (lpMode == NULL) return TRUE;
    if (*lpMode & ~(PIPE_READMODE_MESSAGE | PIPE_NOWAIT)) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    info.ReadMode = (*lpMode & PIPE_READMODE_MESSAGE) ? FILE_PIPE_MESSAGE_MODE : FILE_PIPE_BYTE_STREAM_MODE;
    info.CompletionMode = (*lpMode & PIPE_NOWAIT) ? FILE_PIPE_COMPLETE_OPERATION : FILE_PIPE_QUEUE_OPERATION;
    return BaseNtSuccess(NtSetInformationFile(hNamedPipe, &iosb, &info, sizeof(info), FilePipeInformation));
}

#define NMPWAIT_WAIT_FOREVER_VALUE 0xFFFFFFFFu
#define NMPWAIT_USE_DEFAULT_VALUE  0x00000000u

BOOL WINAPI WaitNamedPipeW(LPCWSTR lpNamedPipeName, DWORD nTimeOut)
{
    static const WCHAR prefix[] = u"\\\\.\\pipe\\";
    ULONG p = 0;
    if (lpNamedPipeName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    for (; prefix[p]; p++)
        if (RtlUpcaseUnicodeChar(lpNamedPipeName[p]) != RtlUpcaseUnicodeChar(prefix[p])) break;
    ULONG chars = 0;
    while (lpNamedPipeName[p + chars]) chars++;
    if (prefix[p] != 0 || chars == 0 || chars > 256) { SetLastError(ERROR_BAD_PATHNAME); return FALSE; }
    /* The NPFS root, where the wait is asked. */
    UNICODE_STRING root = RTL_CONSTANT_STRING(u"\\??\\PIPE\\");
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    InitializeObjectAttributes(&oa, &root, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status = NtOpenFile(&h, SYNCHRONIZE | FILE_READ_ATTRIBUTES, &oa, &iosb, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                 FILE_SYNCHRONOUS_IO_NONALERT);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    ULONG size = FIELD_OFFSET(FILE_PIPE_WAIT_FOR_BUFFER, Name) + chars * sizeof(WCHAR);
    PFILE_PIPE_WAIT_FOR_BUFFER w = RtlAllocateHeap(RtlProcessHeap(), 0, size);
    if (w == NULL) { NtClose(h); SetLastError(ERROR_NOT_ENOUGH_MEMORY); return FALSE; }
    w->TimeoutSpecified = nTimeOut != NMPWAIT_USE_DEFAULT_VALUE;
    w->Timeout.QuadPart = nTimeOut == NMPWAIT_WAIT_FOREVER_VALUE ? (LONGLONG)0x8000000000000000ULL
                                                                 : -10000LL * nTimeOut;
    w->NameLength = chars * sizeof(WCHAR);
    RtlCopyMemory(w->Name, lpNamedPipeName + p, w->NameLength);
    status = NtFsControlFile(h, NULL, NULL, NULL, &iosb, FSCTL_PIPE_WAIT, w, size, NULL, 0);
    RtlFreeHeap(RtlProcessHeap(), 0, w);
    NtClose(h);
    return BaseNtSuccess(status);
}

BOOL WINAPI WaitNamedPipeA(LPCSTR lpNamedPipeName, DWORD nTimeOut)
{
    UNICODE_STRING name;
    if (lpNamedPipeName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (!BaseAnsiToUnicode(lpNamedPipeName, &name)) return FALSE;
    BOOL ok = WaitNamedPipeW(name.Buffer ? name.Buffer : u"", nTimeOut);
    DWORD error = GetLastError();
    RtlFreeUnicodeString(&name);
    SetLastError(error);
    return ok;
}
