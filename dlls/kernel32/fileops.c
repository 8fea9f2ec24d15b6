/*
 * fileops.c - operations on files and directories by name: delete, move/rename, copy, create
 * and remove directories, attributes. Each opens the object with NtOpenFile/NtCreateFile and
 * asks for the change with NtSetInformationFile, as kernel32 does on NT.
 */
#include "k32p.h"

/* Opens a DOS name for Access with Options (synchronous I/O is always added). */
static HANDLE BaseOpenByName(LPCWSTR DosName, ACCESS_MASK Access, ULONG Share, ULONG Options)
{
    UNICODE_STRING ntName;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE handle = NULL;
    if (!BaseDosToNtPath(DosName, &ntName)) return NULL;
    InitializeObjectAttributes(&oa, &ntName, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status = NtOpenFile(&handle, Access | SYNCHRONIZE, &oa, &iosb, Share,
                                 Options | FILE_SYNCHRONOUS_IO_NONALERT);
    RtlFreeUnicodeString(&ntName);
    if (!NT_SUCCESS(status)) {
        if (status == STATUS_FILE_IS_A_DIRECTORY) SetLastError(ERROR_ACCESS_DENIED);
        else BaseSetLastNtError(status);
        return NULL;
    }
    return handle;
}

static BOOL BaseSetInfoAndClose(HANDLE h, PVOID Info, ULONG Length, FILE_INFORMATION_CLASS Class)
{
    IO_STATUS_BLOCK iosb;
    NTSTATUS status = NtSetInformationFile(h, &iosb, Info, Length, Class);
    NtClose(h);
    return BaseNtSuccess(status);
}

static BOOL BaseDeleteByName(LPCWSTR Name, ULONG KindOption)
{
    HANDLE h = BaseOpenByName(Name, DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                              KindOption | FILE_OPEN_FOR_BACKUP_INTENT);
    if (h == NULL) return FALSE;
    FILE_DISPOSITION_INFORMATION disp = { TRUE };
    return BaseSetInfoAndClose(h, &disp, sizeof(disp), FileDispositionInformation);
}

BOOL WINAPI DeleteFileW(LPCWSTR lpFileName) { return BaseDeleteByName(lpFileName, FILE_NON_DIRECTORY_FILE); }
BOOL WINAPI RemoveDirectoryW(LPCWSTR lpPathName) { return BaseDeleteByName(lpPathName, FILE_DIRECTORY_FILE); }

BOOL WINAPI CreateDirectoryW(LPCWSTR lpPathName, LPSECURITY_ATTRIBUTES lpSecurityAttributes)
{
    UNICODE_STRING ntName;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE handle = NULL;
    if (!BaseDosToNtPath(lpPathName, &ntName)) return FALSE;
    InitializeObjectAttributes(&oa, &ntName, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status = NtCreateFile(&handle, FILE_LIST_DIRECTORY | SYNCHRONIZE, &oa, &iosb, NULL, FILE_ATTRIBUTE_NORMAL,
                                   FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_CREATE,
                                   FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT,
                                   NULL, 0);
    RtlFreeUnicodeString(&ntName);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    NtClose(handle);
    return TRUE;
}

BOOL WINAPI MoveFileExW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName, DWORD dwFlags)
{
    if (lpExistingFileName == NULL || lpNewFileName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (dwFlags & MOVEFILE_DELAY_UNTIL_REBOOT) { SetLastError(ERROR_CALL_NOT_IMPLEMENTED); return FALSE; }
    UNICODE_STRING target;
    if (!BaseDosToNtPath(lpNewFileName, &target)) return FALSE;
    HANDLE h = BaseOpenByName(lpExistingFileName, DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                              FILE_OPEN_FOR_BACKUP_INTENT);
    if (h == NULL) { RtlFreeUnicodeString(&target); return FALSE; }
    ULONG size = FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) + target.Length;
    PFILE_RENAME_INFORMATION info = RtlAllocateHeap(RtlProcessHeap(), 0, size);
    if (info == NULL) {
        NtClose(h);
        RtlFreeUnicodeString(&target);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    info->ReplaceIfExists = (dwFlags & MOVEFILE_REPLACE_EXISTING) != 0;
    info->RootDirectory = NULL;
    info->FileNameLength = target.Length;
    RtlCopyMemory(info->FileName, target.Buffer, target.Length);
    IO_STATUS_BLOCK iosb;
    NTSTATUS status = NtSetInformationFile(h, &iosb, info, size, FileRenameInformation);
    NtClose(h);
    RtlFreeHeap(RtlProcessHeap(), 0, info);
    RtlFreeUnicodeString(&target);
    if (status == STATUS_NOT_SAME_DEVICE && (dwFlags & MOVEFILE_COPY_ALLOWED)) {
        /* Another volume: copy, then delete the original. */
        if (!CopyFileW(lpExistingFileName, lpNewFileName, !(dwFlags & MOVEFILE_REPLACE_EXISTING))) return FALSE;
        return DeleteFileW(lpExistingFileName);
    }
    return BaseNtSuccess(status);
}

BOOL WINAPI MoveFileW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName)
{
    return MoveFileExW(lpExistingFileName, lpNewFileName, MOVEFILE_COPY_ALLOWED);
}

/* Copies the data of an open source to an open target in 16 KiB steps. */
static BOOL BaseCopyData(HANDLE Source, HANDLE Target)
{
    const DWORD chunk = 16384;
    BYTE *buffer = RtlAllocateHeap(RtlProcessHeap(), 0, chunk);
    if (buffer == NULL) { SetLastError(ERROR_NOT_ENOUGH_MEMORY); return FALSE; }
    BOOL ok = TRUE;
    for (;;) {
        DWORD got = 0, put = 0;
        if (!ReadFile(Source, buffer, chunk, &got, NULL)) { ok = FALSE; break; }
        if (got == 0) break;
        if (!WriteFile(Target, buffer, got, &put, NULL) || put != got) { ok = FALSE; break; }
    }
    RtlFreeHeap(RtlProcessHeap(), 0, buffer);
    return ok;
}

BOOL WINAPI CopyFileW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName, BOOL bFailIfExists)
{
    if (lpExistingFileName == NULL || lpNewFileName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    HANDLE source = CreateFileW(lpExistingFileName, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                                FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (source == INVALID_HANDLE_VALUE) return FALSE;
    BY_HANDLE_FILE_INFORMATION info;
    if (!GetFileInformationByHandle(source, &info)) { CloseHandle(source); return FALSE; }
    HANDLE target = CreateFileW(lpNewFileName, GENERIC_WRITE, 0, NULL, bFailIfExists ? CREATE_NEW : CREATE_ALWAYS,
                                info.dwFileAttributes & ~FILE_ATTRIBUTE_DIRECTORY, NULL);
    if (target == INVALID_HANDLE_VALUE) { DWORD e = GetLastError(); CloseHandle(source); SetLastError(e); return FALSE; }
    BOOL ok = BaseCopyData(source, target);
    DWORD error = GetLastError();
    if (ok) SetFileTime(target, NULL, NULL, &info.ftLastWriteTime);
    CloseHandle(source);
    CloseHandle(target);
    if (!ok) { DeleteFileW(lpNewFileName); SetLastError(error); return FALSE; }
    return TRUE;
}

DWORD WINAPI GetFileAttributesW(LPCWSTR lpFileName)
{
    WIN32_FILE_ATTRIBUTE_DATA data;
    if (!GetFileAttributesExW(lpFileName, GetFileExInfoStandard, &data)) return INVALID_FILE_ATTRIBUTES;
    return data.dwFileAttributes;
}

BOOL WINAPI GetFileAttributesExW(LPCWSTR lpFileName, GET_FILEEX_INFO_LEVELS fInfoLevelId, LPVOID lpFileInformation)
{
    if (fInfoLevelId != GetFileExInfoStandard || lpFileInformation == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    UNICODE_STRING ntName;
    OBJECT_ATTRIBUTES oa;
    FILE_NETWORK_OPEN_INFORMATION info;
    if (!BaseDosToNtPath(lpFileName, &ntName)) return FALSE;
    InitializeObjectAttributes(&oa, &ntName, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status = NtQueryFullAttributesFile(&oa, &info);
    RtlFreeUnicodeString(&ntName);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    LPWIN32_FILE_ATTRIBUTE_DATA out = lpFileInformation;
    out->dwFileAttributes = info.FileAttributes;
    out->ftCreationTime.dwLowDateTime = info.CreationTime.u.LowPart;
    out->ftCreationTime.dwHighDateTime = (DWORD)info.CreationTime.u.HighPart;
    out->ftLastAccessTime.dwLowDateTime = info.LastAccessTime.u.LowPart;
    out->ftLastAccessTime.dwHighDateTime = (DWORD)info.LastAccessTime.u.HighPart;
    out->ftLastWriteTime.dwLowDateTime = info.LastWriteTime.u.LowPart;
    out->ftLastWriteTime.dwHighDateTime = (DWORD)info.LastWriteTime.u.HighPart;
    out->nFileSizeHigh = (DWORD)info.EndOfFile.u.HighPart;
    out->nFileSizeLow = info.EndOfFile.u.LowPart;
    return TRUE;
}

BOOL WINAPI SetFileAttributesW(LPCWSTR lpFileName, DWORD dwFileAttributes)
{
    HANDLE h = BaseOpenByName(lpFileName, FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                              FILE_OPEN_FOR_BACKUP_INTENT);
    if (h == NULL) return FALSE;
    FILE_BASIC_INFORMATION basic;
    RtlZeroMemory(&basic, sizeof(basic));
    /* 0 in FileAttributes would mean "unchanged": Windows' 0 means "normal". */
    basic.FileAttributes = (dwFileAttributes & FILE_ATTRIBUTE_VALID_FLAGS & ~FILE_ATTRIBUTE_DIRECTORY);
    if (basic.FileAttributes == 0) basic.FileAttributes = FILE_ATTRIBUTE_NORMAL;
    return BaseSetInfoAndClose(h, &basic, sizeof(basic), FileBasicInformation);
}

/* ---- The ANSI forms: convert the name(s), call the W form, keep its last error ---- */

#define BASE_A_TO_W_1(Name, Fail, Call)                                 \
    UNICODE_STRING w1_;                                                 \
    if ((Name) == NULL) { SetLastError(ERROR_PATH_NOT_FOUND); return Fail; } \
    if (!BaseAnsiToUnicode((Name), &w1_)) return Fail;                   \
    LPCWSTR n1 = w1_.Buffer ? w1_.Buffer : u"";                          \
    __typeof__(Call) r_ = (Call);                                        \
    DWORD e_ = GetLastError();                                           \
    RtlFreeUnicodeString(&w1_);                                          \
    SetLastError(e_);                                                    \
    return r_;

#define BASE_A_TO_W_2(Name1, Name2, Fail, Call)                         \
    UNICODE_STRING w2_;                                                 \
    if ((Name2) == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return Fail; } \
    if (!BaseAnsiToUnicode((Name2), &w2_)) return Fail;                  \
    LPCWSTR n2 = w2_.Buffer ? w2_.Buffer : u"";                          \
    UNICODE_STRING w1_;                                                 \
    if ((Name1) == NULL || !BaseAnsiToUnicode((Name1), &w1_)) {          \
        RtlFreeUnicodeString(&w2_);                                      \
        if ((Name1) == NULL) SetLastError(ERROR_INVALID_PARAMETER);      \
        return Fail;                                                     \
    }                                                                    \
    LPCWSTR n1 = w1_.Buffer ? w1_.Buffer : u"";                          \
    __typeof__(Call) r_ = (Call);                                        \
    DWORD e_ = GetLastError();                                           \
    RtlFreeUnicodeString(&w1_);                                          \
    RtlFreeUnicodeString(&w2_);                                          \
    SetLastError(e_);                                                    \
    return r_;

BOOL WINAPI DeleteFileA(LPCSTR lpFileName) { BASE_A_TO_W_1(lpFileName, FALSE, DeleteFileW(n1)) }
BOOL WINAPI RemoveDirectoryA(LPCSTR lpPathName) { BASE_A_TO_W_1(lpPathName, FALSE, RemoveDirectoryW(n1)) }
BOOL WINAPI CreateDirectoryA(LPCSTR lpPathName, LPSECURITY_ATTRIBUTES lpSecurityAttributes)
{
    BASE_A_TO_W_1(lpPathName, FALSE, CreateDirectoryW(n1, lpSecurityAttributes))
}
DWORD WINAPI GetFileAttributesA(LPCSTR lpFileName) { BASE_A_TO_W_1(lpFileName, INVALID_FILE_ATTRIBUTES, GetFileAttributesW(n1)) }
BOOL WINAPI GetFileAttributesExA(LPCSTR lpFileName, GET_FILEEX_INFO_LEVELS fInfoLevelId, LPVOID lpFileInformation)
{
    BASE_A_TO_W_1(lpFileName, FALSE, GetFileAttributesExW(n1, fInfoLevelId, lpFileInformation))
}
BOOL WINAPI SetFileAttributesA(LPCSTR lpFileName, DWORD dwFileAttributes)
{
    BASE_A_TO_W_1(lpFileName, FALSE, SetFileAttributesW(n1, dwFileAttributes))
}
BOOL WINAPI MoveFileExA(LPCSTR lpExistingFileName, LPCSTR lpNewFileName, DWORD dwFlags)
{
    BASE_A_TO_W_2(lpExistingFileName, lpNewFileName, FALSE, MoveFileExW(n1, n2, dwFlags))
}
BOOL WINAPI MoveFileA(LPCSTR lpExistingFileName, LPCSTR lpNewFileName)
{
    BASE_A_TO_W_2(lpExistingFileName, lpNewFileName, FALSE, MoveFileW(n1, n2))
}
BOOL WINAPI CopyFileA(LPCSTR lpExistingFileName, LPCSTR lpNewFileName, BOOL bFailIfExists)
{
    BASE_A_TO_W_2(lpExistingFileName, lpNewFileName, FALSE, CopyFileW(n1, n2, bFailIfExists))
}
