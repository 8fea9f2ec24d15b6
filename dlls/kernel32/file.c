/*
 * file.c - opening and creating files (CreateFileA/W): Win32 dispositions, flags and attributes
 * become NtCreateFile's; "CONIN$"/"CONOUT$" and the DOS device "CON" open the console (other DOS
 * devices - NUL, COM1 - are opened as "\??\NUL" etc. by the path conversion). The last error after a success
 * says whether the file already existed (ERROR_ALREADY_EXISTS for CREATE_ALWAYS/OPEN_ALWAYS) or
 * is ERROR_SUCCESS, as Windows sets it.
 */
#include "k32p.h"

static BOOL BaseIsConsoleName(LPCWSTR Name)
{
    static const WCHAR *const names[] = { u"CONIN$", u"CONOUT$" };
    for (int n = 0; n < 2; n++) {
        const WCHAR *a = Name, *b = names[n];
        while (*a && *b && RtlUpcaseUnicodeChar(*a) == *b) { a++; b++; }
        if (*a == 0 && *b == 0) return TRUE;
    }
    return FALSE;
}

static ULONG BaseDisposition(DWORD Creation)
{
    switch (Creation) {
    case CREATE_NEW: return FILE_CREATE;
    case CREATE_ALWAYS: return FILE_OVERWRITE_IF;
    case OPEN_EXISTING: return FILE_OPEN;
    case OPEN_ALWAYS: return FILE_OPEN_IF;
    case TRUNCATE_EXISTING: return FILE_OVERWRITE;
    default: return (ULONG)-1;
    }
}

static ULONG BaseCreateOptions(DWORD Flags)
{
    ULONG options = 0;
    if (!(Flags & FILE_FLAG_OVERLAPPED)) options |= FILE_SYNCHRONOUS_IO_NONALERT;
    if (!(Flags & FILE_FLAG_BACKUP_SEMANTICS)) options |= FILE_NON_DIRECTORY_FILE;
    if (Flags & FILE_FLAG_WRITE_THROUGH) options |= FILE_WRITE_THROUGH;
    if (Flags & FILE_FLAG_NO_BUFFERING) options |= FILE_NO_INTERMEDIATE_BUFFERING;
    if (Flags & FILE_FLAG_RANDOM_ACCESS) options |= FILE_RANDOM_ACCESS;
    if (Flags & FILE_FLAG_SEQUENTIAL_SCAN) options |= FILE_SEQUENTIAL_ONLY;
    if (Flags & FILE_FLAG_DELETE_ON_CLOSE) options |= FILE_DELETE_ON_CLOSE;
    return options;
}

HANDLE WINAPI CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                          LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                          DWORD dwFlagsAndAttributes, HANDLE hTemplateFile)
{
    if (lpFileName == NULL || *lpFileName == 0) { SetLastError(ERROR_PATH_NOT_FOUND); return INVALID_HANDLE_VALUE; }
    ULONG disposition = BaseDisposition(dwCreationDisposition);
    if (disposition == (ULONG)-1 || (dwShareMode & ~FILE_SHARE_VALID_FLAGS)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    ULONG device = RtlIsDosDeviceName_U(lpFileName);
    PCWSTR con = lpFileName + (device >> 16) / sizeof(WCHAR);
    BOOL isCon = (device & 0xFFFF) == 3 * sizeof(WCHAR) && (con[0] | 0x20) == u'c' && (con[1] | 0x20) == u'o' &&
                 (con[2] | 0x20) == u'n';
    if (BaseIsConsoleName(lpFileName) || isCon)
        return BaseConsoleOpen(isCon ? con : lpFileName, dwDesiredAccess,
                               lpSecurityAttributes && lpSecurityAttributes->bInheritHandle);
    /* Truncating needs the right to write. */
    if (dwCreationDisposition == TRUNCATE_EXISTING && !(dwDesiredAccess & (GENERIC_WRITE | GENERIC_ALL | FILE_WRITE_DATA))) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    UNICODE_STRING ntName;
    if (!BaseDosToNtPath(lpFileName, &ntName)) return INVALID_HANDLE_VALUE;
    OBJECT_ATTRIBUTES oa;
    ULONG attributes = OBJ_CASE_INSENSITIVE |
                       ((lpSecurityAttributes && lpSecurityAttributes->bInheritHandle) ? OBJ_INHERIT : 0);
    InitializeObjectAttributes(&oa, &ntName, attributes, NULL, NULL);
    ACCESS_MASK access = dwDesiredAccess | SYNCHRONIZE | FILE_READ_ATTRIBUTES;
    if (dwFlagsAndAttributes & FILE_FLAG_DELETE_ON_CLOSE) access |= DELETE;
    ULONG fileAttributes = dwFlagsAndAttributes & FILE_ATTRIBUTE_VALID_FLAGS & ~FILE_ATTRIBUTE_DIRECTORY;
    IO_STATUS_BLOCK iosb;
    HANDLE handle = NULL;
    NTSTATUS status = NtCreateFile(&handle, access, &oa, &iosb, NULL, fileAttributes, dwShareMode, disposition,
                                   BaseCreateOptions(dwFlagsAndAttributes), NULL, 0);
    RtlFreeUnicodeString(&ntName);
    if (!NT_SUCCESS(status)) {
        /* CREATE_NEW of an existing file: Windows says "file exists", not "already exists". */
        if (status == STATUS_OBJECT_NAME_COLLISION) SetLastError(ERROR_FILE_EXISTS);
        else if (status == STATUS_FILE_IS_A_DIRECTORY) SetLastError(ERROR_ACCESS_DENIED);
        else BaseSetLastNtError(status);
        return INVALID_HANDLE_VALUE;
    }
    BOOL existed = (dwCreationDisposition == CREATE_ALWAYS && iosb.Information == FILE_OVERWRITTEN) ||
                   (dwCreationDisposition == OPEN_ALWAYS && iosb.Information == FILE_OPENED);
    SetLastError(existed ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return handle;
}

HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                          LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                          DWORD dwFlagsAndAttributes, HANDLE hTemplateFile)
{
    UNICODE_STRING name;
    if (lpFileName == NULL) { SetLastError(ERROR_PATH_NOT_FOUND); return INVALID_HANDLE_VALUE; }
    if (!BaseAnsiToUnicode(lpFileName, &name)) return INVALID_HANDLE_VALUE;
    HANDLE h = CreateFileW(name.Buffer ? name.Buffer : u"", dwDesiredAccess, dwShareMode, lpSecurityAttributes,
                           dwCreationDisposition, dwFlagsAndAttributes, hTemplateFile);
    DWORD error = GetLastError();
    RtlFreeUnicodeString(&name);
    SetLastError(error);
    return h;
}
