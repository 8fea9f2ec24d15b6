/*
 * expand.c - ExpandEnvironmentStrings: "%NAME%" becomes the variable's value. A name that is not
 * set stays as written: its first '%' is copied and the scan goes on after it, so the second '%'
 * may still open a variable ("%NOPE%PATH%" keeps "%NOPE" and expands "%PATH%"), as on Windows.
 * The result is counted in full whatever the buffer: the return value is the size needed,
 * terminating NUL included, and nothing is written past nSize.
 */
#include "k32p.h"

typedef struct _BASE_EXPAND {
    LPWSTR Dst;
    DWORD Size, Count;    /* Count: characters produced so far, whether they fitted or not */
} BASE_EXPAND;

static VOID BaseEmit(BASE_EXPAND *Out, LPCWSTR Chars, DWORD Length)
{
    for (DWORD i = 0; i < Length; i++, Out->Count++)
        if (Out->Dst && Out->Count < Out->Size) Out->Dst[Out->Count] = Chars[i];
}

/* Expands the variable named Name (Length chars); FALSE if it is not set. */
static BOOL BaseEmitVariable(BASE_EXPAND *Out, LPCWSTR Name, DWORD Length)
{
    WCHAR name[256];
    if (Length == 0 || Length >= 256) return FALSE;
    RtlCopyMemory(name, Name, Length * sizeof(WCHAR));
    name[Length] = 0;
    DWORD needed = GetEnvironmentVariableW(name, NULL, 0);
    if (needed == 0) return FALSE;
    LPWSTR value = RtlAllocateHeap(RtlProcessHeap(), 0, needed * sizeof(WCHAR));
    if (value == NULL) return FALSE;
    DWORD chars = GetEnvironmentVariableW(name, value, needed);
    BaseEmit(Out, value, chars < needed ? chars : 0);
    RtlFreeHeap(RtlProcessHeap(), 0, value);
    return TRUE;
}

DWORD WINAPI ExpandEnvironmentStringsW(LPCWSTR lpSrc, LPWSTR lpDst, DWORD nSize)
{
    BASE_EXPAND out = { lpDst, lpDst ? nSize : 0, 0 };
    if (lpSrc == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return 0; }
    for (LPCWSTR p = lpSrc; *p;) {
        LPCWSTR end = (*p == L'%') ? p + 1 : NULL;
        while (end && *end && *end != L'%') end++;
        if (end && *end == L'%' && BaseEmitVariable(&out, p + 1, (DWORD)(end - p - 1))) {
            p = end + 1;
            continue;
        }
        BaseEmit(&out, p, 1);
        p++;
    }
    BaseEmit(&out, u"", 1);
    return out.Count;
}

DWORD WINAPI ExpandEnvironmentStringsA(LPCSTR lpSrc, LPSTR lpDst, DWORD nSize)
{
    UNICODE_STRING src;
    if (lpSrc == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return 0; }
    if (!BaseAnsiToUnicode(lpSrc, &src)) return 0;
    DWORD chars = ExpandEnvironmentStringsW(src.Buffer, NULL, 0);
    LPWSTR wide = RtlAllocateHeap(RtlProcessHeap(), 0, chars * sizeof(WCHAR));
    if (wide == NULL) { RtlFreeUnicodeString(&src); SetLastError(ERROR_NOT_ENOUGH_MEMORY); return 0; }
    ExpandEnvironmentStringsW(src.Buffer, wide, chars);
    RtlFreeUnicodeString(&src);
    /* Code page 1252 is one byte per character: the ANSI size is the UTF-16 count. */
    if (lpDst != NULL && chars <= nSize) BaseUnicodeToAnsiN(wide, chars, lpDst, nSize);
    RtlFreeHeap(RtlProcessHeap(), 0, wide);
    return chars;
}
