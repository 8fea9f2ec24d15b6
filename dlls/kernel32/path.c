/*
 * path.c - DOS path names: conversion to NT paths for the file functions, the current directory
 * (kept by ntdll in the process parameters) and GetFullPathName, all over ntdll's Rtl path code.
 */
#include "k32p.h"

BOOL BaseDosToNtPath(LPCWSTR DosName, PUNICODE_STRING NtName)
{
    NtName->Buffer = NULL;
    if (DosName == NULL || *DosName == 0) { SetLastError(ERROR_PATH_NOT_FOUND); return FALSE; }
    NTSTATUS status = RtlDosPathNameToNtPathName_U_WithStatus(DosName, NtName, NULL, NULL);
    if (!NT_SUCCESS(status)) {
        /* As Windows: a name that is not a path at all is "path not found". */
        SetLastError(status == STATUS_NO_MEMORY ? ERROR_NOT_ENOUGH_MEMORY : ERROR_PATH_NOT_FOUND);
        return FALSE;
    }
    return TRUE;
}

DWORD WINAPI GetCurrentDirectoryW(DWORD nBufferLength, LPWSTR lpBuffer)
{
    if (lpBuffer == NULL) nBufferLength = 0;
    /* Rtl counts bytes: the length written, or the bytes needed with the NUL. */
    ULONG bytes = RtlGetCurrentDirectory_U(nBufferLength * sizeof(WCHAR), lpBuffer);
    return bytes / sizeof(WCHAR);
}

DWORD WINAPI GetCurrentDirectoryA(DWORD nBufferLength, LPSTR lpBuffer)
{
    WCHAR path[RTL_MAX_DOS_PATH_CHARS + 1];
    ULONG bytes = RtlGetCurrentDirectory_U(sizeof(path), path);
    if (bytes == 0 || bytes >= sizeof(path)) return 0;
    return BaseCopyWideResultToAnsi(path, bytes / sizeof(WCHAR), lpBuffer, nBufferLength);
}

BOOL WINAPI SetCurrentDirectoryW(LPCWSTR lpPathName)
{
    UNICODE_STRING path;
    if (lpPathName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    RtlInitUnicodeString(&path, lpPathName);
    NTSTATUS status = RtlSetCurrentDirectory_U(&path);
    return BaseNtSuccess(status);
}

BOOL WINAPI SetCurrentDirectoryA(LPCSTR lpPathName)
{
    UNICODE_STRING path;
    if (lpPathName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (!BaseAnsiToUnicode(lpPathName, &path)) return FALSE;
    BOOL ok = SetCurrentDirectoryW(path.Buffer);
    RtlFreeUnicodeString(&path);
    return ok;
}

DWORD WINAPI GetFullPathNameW(LPCWSTR lpFileName, DWORD nBufferLength, LPWSTR lpBuffer, LPWSTR *lpFilePart)
{
    if (lpFileName == NULL || *lpFileName == 0) { SetLastError(ERROR_INVALID_NAME); return 0; }
    if (lpBuffer == NULL) nBufferLength = 0;
    PWSTR part = NULL;
    ULONG bytes = RtlGetFullPathName_U(lpFileName, nBufferLength * sizeof(WCHAR), lpBuffer, &part);
    if (bytes == 0) { SetLastError(ERROR_INVALID_NAME); return 0; }
    if (bytes >= nBufferLength * sizeof(WCHAR)) return bytes / sizeof(WCHAR);    /* size needed, NUL included */
    if (lpFilePart) *lpFilePart = part;
    return bytes / sizeof(WCHAR);
}

DWORD WINAPI GetFullPathNameA(LPCSTR lpFileName, DWORD nBufferLength, LPSTR lpBuffer, LPSTR *lpFilePart)
{
    UNICODE_STRING name;
    WCHAR full[RTL_MAX_DOS_PATH_CHARS + 1];
    LPWSTR part = NULL;
    if (lpFileName == NULL || *lpFileName == 0) { SetLastError(ERROR_INVALID_NAME); return 0; }
    if (!BaseAnsiToUnicode(lpFileName, &name)) return 0;
    DWORD len = GetFullPathNameW(name.Buffer, RTL_MAX_DOS_PATH_CHARS + 1, full, &part);
    RtlFreeUnicodeString(&name);
    if (len == 0 || len > RTL_MAX_DOS_PATH_CHARS) return 0;
    DWORD result = BaseCopyWideResultToAnsi(full, len, lpBuffer, nBufferLength);
    if (lpFilePart && result == len) *lpFilePart = part ? lpBuffer + (part - full) : NULL;
    return result;
}
