/*
 * tempfile.c - GetTempFileName: "<path>\<up to 3 prefix chars><4 hex digits>.tmp". With uUnique
 * nonzero the name is only formatted (its low 16 bits are the digits). With uUnique zero the
 * number is picked (starting from the tick count) and the file is created with CREATE_NEW, so the
 * name is the caller's alone; a name that exists already moves on to the next number.
 */
#include "k32p.h"

#define BASE_TEMP_NAME_CHARS (3u + 4u + 4u)   /* prefix, hex digits, ".tmp" */

/* Formats the name for Unique into Buffer (MAX_PATH chars); FALSE if it would not fit. */
static BOOL BaseFormatTempName(LPCWSTR Path, LPCWSTR Prefix, UINT Unique, LPWSTR Buffer)
{
    static const WCHAR hex[] = u"0123456789ABCDEF";
    SIZE_T n = BaseWideLength(Path), p = 0;
    if (n + 1 + BASE_TEMP_NAME_CHARS + 1 > MAX_PATH) return FALSE;
    RtlCopyMemory(Buffer, Path, n * sizeof(WCHAR));
    if (n > 0 && Buffer[n - 1] != L'\\' && Buffer[n - 1] != L'/') Buffer[n++] = L'\\';
    while (Prefix && Prefix[p] && p < 3) Buffer[n++] = Prefix[p++];
    for (int shift = 12; shift >= 0; shift -= 4) Buffer[n++] = hex[(Unique >> shift) & 0xF];
    RtlCopyMemory(Buffer + n, u".tmp", 5 * sizeof(WCHAR));
    return TRUE;
}

/* Creates the file exclusively: 1 created, 0 exists (try another), -1 another failure. */
static int BaseCreateTempFile(LPCWSTR Name)
{
    HANDLE h = CreateFileW(Name, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h != INVALID_HANDLE_VALUE) { CloseHandle(h); return 1; }
    DWORD error = GetLastError();
    return (error == ERROR_FILE_EXISTS || error == ERROR_ALREADY_EXISTS) ? 0 : -1;
}

UINT WINAPI GetTempFileNameW(LPCWSTR lpPathName, LPCWSTR lpPrefixString, UINT uUnique, LPWSTR lpTempFileName)
{
    if (lpPathName == NULL || lpTempFileName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return 0; }
    if (uUnique != 0) {
        uUnique &= 0xFFFF;
        if (!BaseFormatTempName(lpPathName, lpPrefixString, uUnique, lpTempFileName)) {
            SetLastError(ERROR_BUFFER_OVERFLOW);
            return 0;
        }
        return uUnique;
    }
    UINT start = (GetTickCount() & 0xFFFF) ? (GetTickCount() & 0xFFFF) : 1, unique = start;
    do {
        if (!BaseFormatTempName(lpPathName, lpPrefixString, unique, lpTempFileName)) {
            SetLastError(ERROR_BUFFER_OVERFLOW);
            return 0;
        }
        int created = BaseCreateTempFile(lpTempFileName);
        if (created > 0) { SetLastError(ERROR_SUCCESS); return unique; }
        if (created < 0) return 0;     /* e.g. the directory does not exist: the error is set */
        unique = (unique & 0xFFFF) == 0xFFFF ? 1 : unique + 1;    /* 0 means "pick one": skip it */
    } while (unique != start);
    SetLastError(ERROR_FILE_EXISTS);
    return 0;
}

UINT WINAPI GetTempFileNameA(LPCSTR lpPathName, LPCSTR lpPrefixString, UINT uUnique, LPSTR lpTempFileName)
{
    UNICODE_STRING path = { 0 }, prefix = { 0 };
    WCHAR name[MAX_PATH];
    UINT result = 0;
    if (lpPathName == NULL || lpTempFileName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return 0; }
    if (BaseAnsiToUnicode(lpPathName, &path) && BaseAnsiToUnicode(lpPrefixString, &prefix)) {
        result = GetTempFileNameW(path.Buffer, lpPrefixString ? prefix.Buffer : NULL, uUnique, name);
        if (result != 0) BaseUnicodeToAnsiN(name, (DWORD)BaseWideLength(name), lpTempFileName, MAX_PATH);
    }
    DWORD error = GetLastError();
    RtlFreeUnicodeString(&path);
    RtlFreeUnicodeString(&prefix);
    SetLastError(error);
    return result;
}
