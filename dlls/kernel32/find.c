/*
 * find.c - directory enumeration: FindFirstFile opens the directory part of the name and keeps
 * the file part as the pattern NtQueryDirectoryFile matches ('*' and '?', "*.*" = all: the file
 * system's rules); FindNextFile walks the buffered FILE_BOTH_DIR_INFORMATION entries and asks
 * for more. A find handle is a heap block of kernel32's, checked by a signature.
 */
#include "k32p.h"

#define BASE_FIND_MAGIC 0x444E4946u      /* "FIND" */
#define BASE_FIND_BUFFER 4096u

typedef struct _BASE_FIND {
    ULONG Magic;
    HANDLE Directory;
    ULONG Offset;                         /* next entry in Buffer */
    BOOL HaveEntries;                     /* Buffer holds unread entries */
    UNICODE_STRING Pattern;
    WCHAR PatternBuffer[MAX_PATH];
    __attribute__((aligned(8))) BYTE Buffer[BASE_FIND_BUFFER];
} BASE_FIND, *PBASE_FIND;

/* Fills Find->Buffer with the next entries: STATUS_NO_MORE_FILES when none are left. */
static NTSTATUS BaseFindFetch(PBASE_FIND Find, BOOLEAN Restart)
{
    IO_STATUS_BLOCK iosb;
    NTSTATUS status = NtQueryDirectoryFile(Find->Directory, NULL, NULL, NULL, &iosb, Find->Buffer, BASE_FIND_BUFFER,
                                           FileBothDirectoryInformation, FALSE,
                                           Restart ? &Find->Pattern : NULL, Restart);
    Find->Offset = 0;
    Find->HaveEntries = NT_SUCCESS(status) && iosb.Information != 0;
    if (NT_SUCCESS(status) && !Find->HaveEntries) status = STATUS_NO_MORE_FILES;
    return status;
}

/* Copies the next entry out as WIN32_FIND_DATAW; FALSE with ERROR_NO_MORE_FILES at the end. */
static BOOL BaseFindNext(PBASE_FIND Find, LPWIN32_FIND_DATAW Data)
{
    if (!Find->HaveEntries) {
        NTSTATUS status = BaseFindFetch(Find, FALSE);
        if (status == STATUS_NO_MORE_FILES || status == STATUS_NO_SUCH_FILE) { SetLastError(ERROR_NO_MORE_FILES); return FALSE; }
        if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    }
    PFILE_BOTH_DIR_INFORMATION e = (PFILE_BOTH_DIR_INFORMATION)(Find->Buffer + Find->Offset);
    if (e->NextEntryOffset == 0) Find->HaveEntries = FALSE;
    else Find->Offset += e->NextEntryOffset;
    RtlZeroMemory(Data, sizeof(*Data));
    Data->dwFileAttributes = e->FileAttributes;
    Data->ftCreationTime.dwLowDateTime = e->CreationTime.u.LowPart;
    Data->ftCreationTime.dwHighDateTime = (DWORD)e->CreationTime.u.HighPart;
    Data->ftLastAccessTime.dwLowDateTime = e->LastAccessTime.u.LowPart;
    Data->ftLastAccessTime.dwHighDateTime = (DWORD)e->LastAccessTime.u.HighPart;
    Data->ftLastWriteTime.dwLowDateTime = e->LastWriteTime.u.LowPart;
    Data->ftLastWriteTime.dwHighDateTime = (DWORD)e->LastWriteTime.u.HighPart;
    Data->nFileSizeHigh = (DWORD)e->EndOfFile.u.HighPart;
    Data->nFileSizeLow = e->EndOfFile.u.LowPart;
    ULONG chars = e->FileNameLength / sizeof(WCHAR);
    if (chars >= MAX_PATH) chars = MAX_PATH - 1;
    RtlCopyMemory(Data->cFileName, e->FileName, chars * sizeof(WCHAR));
    ULONG shortChars = (ULONG)(UCHAR)e->ShortNameLength / sizeof(WCHAR);
    if (shortChars > 13) shortChars = 13;
    RtlCopyMemory(Data->cAlternateFileName, e->ShortName, shortChars * sizeof(WCHAR));
    return TRUE;
}

/* Splits Name into the NT path of its directory and its last component (the pattern). */
static BOOL BaseFindOpen(LPCWSTR Name, PBASE_FIND Find)
{
    WCHAR full[RTL_MAX_DOS_PATH_CHARS + 1];
    LPWSTR part = NULL;
    DWORD len = GetFullPathNameW(Name, RTL_MAX_DOS_PATH_CHARS + 1, full, &part);
    if (len == 0 || len > RTL_MAX_DOS_PATH_CHARS) return FALSE;
    if (part == NULL || *part == 0) { SetLastError(ERROR_FILE_NOT_FOUND); return FALSE; }
    SIZE_T patternLen = BaseWideLength(part);
    if (patternLen >= MAX_PATH) { SetLastError(ERROR_FILENAME_EXCED_RANGE); return FALSE; }
    RtlCopyMemory(Find->PatternBuffer, part, (patternLen + 1) * sizeof(WCHAR));
    RtlInitUnicodeString(&Find->Pattern, Find->PatternBuffer);
    *part = 0;                            /* full is now the directory, with its backslash */
    UNICODE_STRING ntName;
    if (!BaseDosToNtPath(full, &ntName)) return FALSE;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    InitializeObjectAttributes(&oa, &ntName, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status = NtOpenFile(&Find->Directory, FILE_LIST_DIRECTORY | SYNCHRONIZE, &oa, &iosb,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                 FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT);
    RtlFreeUnicodeString(&ntName);
    if (!NT_SUCCESS(status)) {
        /* A directory that is not there is a missing path, not a missing file. */
        if (status == STATUS_OBJECT_NAME_NOT_FOUND || status == STATUS_NOT_A_DIRECTORY) SetLastError(ERROR_PATH_NOT_FOUND);
        else BaseSetLastNtError(status);
        return FALSE;
    }
    return TRUE;
}

HANDLE WINAPI FindFirstFileW(LPCWSTR lpFileName, LPWIN32_FIND_DATAW lpFindFileData)
{
    if (lpFileName == NULL || *lpFileName == 0 || lpFindFileData == NULL) {
        SetLastError(lpFileName && *lpFileName == 0 ? ERROR_PATH_NOT_FOUND : ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    PBASE_FIND find = RtlAllocateHeap(RtlProcessHeap(), HEAP_ZERO_MEMORY, sizeof(BASE_FIND));
    if (find == NULL) { SetLastError(ERROR_NOT_ENOUGH_MEMORY); return INVALID_HANDLE_VALUE; }
    if (!BaseFindOpen(lpFileName, find)) { RtlFreeHeap(RtlProcessHeap(), 0, find); return INVALID_HANDLE_VALUE; }
    NTSTATUS status = BaseFindFetch(find, TRUE);
    if (!NT_SUCCESS(status) || !BaseFindNext(find, lpFindFileData)) {
        if (status == STATUS_NO_MORE_FILES || status == STATUS_NO_SUCH_FILE || NT_SUCCESS(status))
            SetLastError(ERROR_FILE_NOT_FOUND);
        else
            BaseSetLastNtError(status);
        NtClose(find->Directory);
        RtlFreeHeap(RtlProcessHeap(), 0, find);
        return INVALID_HANDLE_VALUE;
    }
    find->Magic = BASE_FIND_MAGIC;
    return (HANDLE)find;
}

static PBASE_FIND BaseFindFromHandle(HANDLE h)
{
    PBASE_FIND find = (PBASE_FIND)h;
    if (h == NULL || h == INVALID_HANDLE_VALUE || ((ULONG_PTR)h & 7) || find->Magic != BASE_FIND_MAGIC) {
        SetLastError(ERROR_INVALID_HANDLE);
        return NULL;
    }
    return find;
}

BOOL WINAPI FindNextFileW(HANDLE hFindFile, LPWIN32_FIND_DATAW lpFindFileData)
{
    PBASE_FIND find = BaseFindFromHandle(hFindFile);
    if (find == NULL) return FALSE;
    if (lpFindFileData == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    return BaseFindNext(find, lpFindFileData);
}

BOOL WINAPI FindClose(HANDLE hFindFile)
{
    PBASE_FIND find = BaseFindFromHandle(hFindFile);
    if (find == NULL) return FALSE;
    find->Magic = 0;
    NtClose(find->Directory);
    RtlFreeHeap(RtlProcessHeap(), 0, find);
    return TRUE;
}

static VOID BaseFindDataToAnsi(const WIN32_FIND_DATAW *W, LPWIN32_FIND_DATAA A)
{
    RtlCopyMemory(A, W, FIELD_OFFSET(WIN32_FIND_DATAA, cFileName));
    BaseUnicodeToAnsiN(W->cFileName, (DWORD)BaseWideLength(W->cFileName), A->cFileName, MAX_PATH);
    BaseUnicodeToAnsiN(W->cAlternateFileName, (DWORD)BaseWideLength(W->cAlternateFileName), A->cAlternateFileName, 14);
}

HANDLE WINAPI FindFirstFileA(LPCSTR lpFileName, LPWIN32_FIND_DATAA lpFindFileData)
{
    UNICODE_STRING name;
    WIN32_FIND_DATAW data;
    if (lpFileName == NULL || lpFindFileData == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return INVALID_HANDLE_VALUE; }
    if (!BaseAnsiToUnicode(lpFileName, &name)) return INVALID_HANDLE_VALUE;
    HANDLE h = FindFirstFileW(name.Buffer ? name.Buffer : u"", &data);
    DWORD error = GetLastError();
    RtlFreeUnicodeString(&name);
    SetLastError(error);
    if (h != INVALID_HANDLE_VALUE) BaseFindDataToAnsi(&data, lpFindFileData);
    return h;
}

BOOL WINAPI FindNextFileA(HANDLE hFindFile, LPWIN32_FIND_DATAA lpFindFileData)
{
    WIN32_FIND_DATAW data;
    if (lpFindFileData == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (!FindNextFileW(hFindFile, &data)) return FALSE;
    BaseFindDataToAnsi(&data, lpFindFileData);
    return TRUE;
}
