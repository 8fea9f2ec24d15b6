/* errno.c - per-thread run-time state (errno, _doserrno, strtok's position) kept in a TLS slot,
 * the mapping of Win32 error codes to errno values, and the error texts (strerror, perror). */
#include "crtp.h"

static DWORD TlsIndex = TLS_OUT_OF_INDEXES;
static CRT_THREAD FallbackThread;   /* when a thread's block cannot be allocated */

BOOL CrtThreadInit(void)
{
    TlsIndex = TlsAlloc();
    return TlsIndex != TLS_OUT_OF_INDEXES;
}

/* The calling thread's block, made on first use (threads need not announce themselves). */
CRT_THREAD *CrtThread(void)
{
    DWORD saved = GetLastError();   /* the CRT must not disturb the caller's last error */
    CRT_THREAD *thread = TlsGetValue(TlsIndex);
    if (!thread) {
        thread = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*thread));
        if (!thread || !TlsSetValue(TlsIndex, thread)) {
            if (thread)
                HeapFree(GetProcessHeap(), 0, thread);
            thread = &FallbackThread;
        }
    }
    SetLastError(saved);
    return thread;
}

void CrtThreadDetach(void)
{
    CRT_THREAD *thread = TlsGetValue(TlsIndex);
    if (thread && thread != &FallbackThread) {
        TlsSetValue(TlsIndex, NULL);
        HeapFree(GetProcessHeap(), 0, thread);
    }
}

CRTAPI int *_errno(void) { return &CrtThread()->Errno; }
CRTAPI unsigned long *__doserrno(void) { return &CrtThread()->DosErrno; }
CRTAPI int _set_errno(int Value) { errno = Value; return 0; }

CRTAPI int _get_errno(int *Value)
{
    if (!Value)
        return EINVAL;
    *Value = errno;
    return 0;
}

CRTAPI int _get_doserrno(unsigned long *Value)
{
    if (!Value)
        return EINVAL;
    *Value = CrtThread()->DosErrno;
    return 0;
}

/* The errno value that best describes a Win32 error (what open, read, write set). */
void CrtSetErrnoFromWin32(DWORD Error)
{
    int e;
    switch (Error) {
    case ERROR_FILE_NOT_FOUND: case ERROR_PATH_NOT_FOUND: case ERROR_INVALID_DRIVE:
    case ERROR_NO_MORE_FILES: case ERROR_BAD_NETPATH: case ERROR_INVALID_NAME:
    case ERROR_BAD_PATHNAME:
        e = ENOENT;
        break;
    case ERROR_TOO_MANY_OPEN_FILES: e = EMFILE; break;
    case ERROR_ACCESS_DENIED: case ERROR_WRITE_PROTECT: case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION: case ERROR_CURRENT_DIRECTORY:
        e = EACCES;
        break;
    case ERROR_INVALID_HANDLE: e = EBADF; break;
    case ERROR_NOT_ENOUGH_MEMORY: case ERROR_OUTOFMEMORY: e = ENOMEM; break;
    case ERROR_HANDLE_DISK_FULL: case ERROR_DISK_FULL: e = ENOSPC; break;
    case ERROR_FILE_EXISTS: case ERROR_ALREADY_EXISTS: e = EEXIST; break;
    case ERROR_BROKEN_PIPE: case ERROR_NO_DATA: e = EPIPE; break;
    case ERROR_DIR_NOT_EMPTY: e = ENOTEMPTY; break;
    case ERROR_DIRECTORY: e = ENOTDIR; break;
    case ERROR_NEGATIVE_SEEK: e = EINVAL; break;
    case ERROR_SEEK_ON_DEVICE: e = ESPIPE; break;
    default: e = EINVAL; break;
    }
    CrtThread()->DosErrno = Error;
    errno = e;
}

static const char *const ErrorText[] = {
    [0] = "No error", [1] = "Operation not permitted", [2] = "No such file or directory",
    [3] = "No such process", [4] = "Interrupted function call", [5] = "Input/output error",
    [6] = "No such device or address", [7] = "Arg list too long", [8] = "Exec format error",
    [9] = "Bad file descriptor", [10] = "No child processes",
    [11] = "Resource temporarily unavailable", [12] = "Not enough space",
    [13] = "Permission denied", [14] = "Bad address", [16] = "Resource device",
    [17] = "File exists", [18] = "Improper link", [19] = "No such device",
    [20] = "Not a directory", [21] = "Is a directory", [22] = "Invalid argument",
    [23] = "Too many open files in system", [24] = "Too many open files",
    [25] = "Inappropriate I/O control operation", [27] = "File too large",
    [28] = "No space left on device", [29] = "Invalid seek", [30] = "Read-only file system",
    [31] = "Too many links", [32] = "Broken pipe", [33] = "Domain error",
    [34] = "Result too large", [36] = "Resource deadlock avoided", [38] = "Filename too long",
    [39] = "No locks available", [40] = "Function not implemented",
    [41] = "Directory not empty", [42] = "Illegal byte sequence",
};

CRTAPI char *strerror(int Number)
{
    const char *text = NULL;
    if (Number >= 0 && Number < (int)(sizeof(ErrorText) / sizeof(ErrorText[0])))
        text = ErrorText[Number];
    return (char *)(text ? text : "Unknown error");
}

CRTAPI void perror(const char *Prefix)
{
    const char *text = strerror(errno);
    if (Prefix && *Prefix) {
        CrtWriteStderr(Prefix);
        CrtWriteStderr(": ");
    }
    CrtWriteStderr(text);
    CrtWriteStderr("\n");
}
