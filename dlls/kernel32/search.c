/*
 * search.c - SearchPath: finds a file in a list of directories. With no list, the order is the
 * classic one: the application's directory, the current directory, System32, the Windows
 * directory, then each directory of PATH. A name with a directory part (a '\', '/' or "X:") is
 * not searched for: it is resolved against the current directory alone. The extension is
 * appended only when the name's last component has none. Directories count as found, as in
 * Windows (the search asks only whether the name exists).
 */
#include "k32p.h"

#define BASE_SEARCH_CHARS (RTL_MAX_DOS_PATH_CHARS + 1)

typedef struct _BASE_SEARCH {
    LPCWSTR Name, Extension;     /* Extension NULL: none to add */
    WCHAR Found[BASE_SEARCH_CHARS];
} BASE_SEARCH;

static BOOL BaseHasDirectoryPart(LPCWSTR Name)
{
    for (LPCWSTR p = Name; *p; p++) if (*p == L'\\' || *p == L'/' || *p == L':') return TRUE;
    return FALSE;
}

static BOOL BaseNeedsExtension(LPCWSTR Name, LPCWSTR Extension)
{
    if (Extension == NULL || *Extension == 0) return FALSE;
    for (LPCWSTR p = Name + BaseWideLength(Name); p > Name && p[-1] != L'\\' && p[-1] != L'/'; p--)
        if (p[-1] == L'.') return FALSE;
    return TRUE;
}

/* Tries Directory (Length chars; 0: the name as it is) + Name + Extension; TRUE if it exists. */
static BOOL BaseTryDirectory(BASE_SEARCH *s, LPCWSTR Directory, SIZE_T Length)
{
    WCHAR candidate[BASE_SEARCH_CHARS];
    SIZE_T name = BaseWideLength(s->Name), ext = s->Extension ? BaseWideLength(s->Extension) : 0;
    if (Length + 1 + name + ext + 1 > BASE_SEARCH_CHARS) return FALSE;
    RtlCopyMemory(candidate, Directory, Length * sizeof(WCHAR));
    SIZE_T n = Length;
    if (n > 0 && candidate[n - 1] != L'\\' && candidate[n - 1] != L'/') candidate[n++] = L'\\';
    RtlCopyMemory(candidate + n, s->Name, name * sizeof(WCHAR));
    RtlCopyMemory(candidate + n + name, s->Extension ? s->Extension : u"", ext * sizeof(WCHAR));
    candidate[n + name + ext] = 0;
    if (GetFileAttributesW(candidate) == INVALID_FILE_ATTRIBUTES) return FALSE;
    DWORD full = GetFullPathNameW(candidate, BASE_SEARCH_CHARS, s->Found, NULL);
    return full > 0 && full < BASE_SEARCH_CHARS;
}

/* Tries each directory of a ';'-separated List. */
static BOOL BaseTryList(BASE_SEARCH *s, LPCWSTR List)
{
    while (List && *List) {
        LPCWSTR end = List;
        while (*end && *end != L';') end++;
        if (end > List && BaseTryDirectory(s, List, (SIZE_T)(end - List))) return TRUE;
        List = *end ? end + 1 : end;
    }
    return FALSE;
}

static BOOL BaseTryApplicationDirectory(BASE_SEARCH *s)
{
    WCHAR module[BASE_SEARCH_CHARS];
    DWORD n = GetModuleFileNameW(NULL, module, BASE_SEARCH_CHARS);
    if (n == 0 || n >= BASE_SEARCH_CHARS) return FALSE;
    while (n > 0 && module[n - 1] != L'\\') n--;
    return n > 0 && BaseTryDirectory(s, module, n);
}

/* The default order, for a NULL lpPath. */
static BOOL BaseTryDefaultPath(BASE_SEARCH *s)
{
    WCHAR dir[BASE_SEARCH_CHARS];
    if (BaseTryApplicationDirectory(s)) return TRUE;
    if (BaseTryDirectory(s, u".", 1)) return TRUE;
    UINT n = GetSystemDirectoryW(dir, BASE_SEARCH_CHARS);
    if (n > 0 && n < BASE_SEARCH_CHARS && BaseTryDirectory(s, dir, n)) return TRUE;
    n = GetWindowsDirectoryW(dir, BASE_SEARCH_CHARS);
    if (n > 0 && n < BASE_SEARCH_CHARS && BaseTryDirectory(s, dir, n)) return TRUE;
    DWORD chars = GetEnvironmentVariableW(u"PATH", NULL, 0);
    if (chars == 0) return FALSE;
    LPWSTR path = RtlAllocateHeap(RtlProcessHeap(), 0, chars * sizeof(WCHAR));
    if (path == NULL) return FALSE;
    BOOL found = GetEnvironmentVariableW(u"PATH", path, chars) < chars && BaseTryList(s, path);
    RtlFreeHeap(RtlProcessHeap(), 0, path);
    return found;
}

DWORD WINAPI SearchPathW(LPCWSTR lpPath, LPCWSTR lpFileName, LPCWSTR lpExtension, DWORD nBufferLength,
                         LPWSTR lpBuffer, LPWSTR *lpFilePart)
{
    if (lpFileName == NULL || *lpFileName == 0 || (lpBuffer == NULL && nBufferLength != 0)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    BASE_SEARCH *s = RtlAllocateHeap(RtlProcessHeap(), 0, sizeof(BASE_SEARCH));
    if (s == NULL) { SetLastError(ERROR_NOT_ENOUGH_MEMORY); return 0; }
    s->Name = lpFileName;
    s->Extension = BaseNeedsExtension(lpFileName, lpExtension) ? lpExtension : NULL;
    BOOL found;
    if (BaseHasDirectoryPart(lpFileName)) found = BaseTryDirectory(s, u"", 0);
    else found = lpPath ? BaseTryList(s, lpPath) : BaseTryDefaultPath(s);
    DWORD length = found ? (DWORD)BaseWideLength(s->Found) : 0;
    if (found && length < nBufferLength) {
        RtlCopyMemory(lpBuffer, s->Found, (length + 1) * sizeof(WCHAR));
        if (lpFilePart) {
            DWORD i = length;
            while (i > 0 && lpBuffer[i - 1] != L'\\') i--;
            *lpFilePart = lpBuffer + i;
        }
    } else if (found) {
        length++;                       /* too small: the size needed, NUL included */
    }
    RtlFreeHeap(RtlProcessHeap(), 0, s);
    if (!found) SetLastError(ERROR_FILE_NOT_FOUND);
    return length;
}

DWORD WINAPI SearchPathA(LPCSTR lpPath, LPCSTR lpFileName, LPCSTR lpExtension, DWORD nBufferLength,
                         LPSTR lpBuffer, LPSTR *lpFilePart)
{
    UNICODE_STRING path = { 0 }, name = { 0 }, ext = { 0 };
    WCHAR found[BASE_SEARCH_CHARS];
    DWORD result = 0;
    if (lpFileName == NULL || (lpBuffer == NULL && nBufferLength != 0)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (BaseAnsiToUnicode(lpPath, &path) && BaseAnsiToUnicode(lpFileName, &name) &&
        BaseAnsiToUnicode(lpExtension, &ext)) {
        DWORD chars = SearchPathW(lpPath ? path.Buffer : NULL, name.Buffer, lpExtension ? ext.Buffer : NULL,
                                  BASE_SEARCH_CHARS, found, NULL);
        if (chars > 0) result = BaseCopyWideResultToAnsi(found, chars, lpBuffer, nBufferLength);
        if (chars > 0 && result < nBufferLength && lpFilePart) {
            DWORD i = result;
            while (i > 0 && lpBuffer[i - 1] != '\\') i--;
            *lpFilePart = lpBuffer + i;
        }
    }
    DWORD error = GetLastError();
    RtlFreeUnicodeString(&path);
    RtlFreeUnicodeString(&name);
    RtlFreeUnicodeString(&ext);
    SetLastError(error);
    return result;
}
