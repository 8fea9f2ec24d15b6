/*
 * lstr.c - the lstr* string functions. As on Windows they survive bad pointers: lstrlen returns
 * 0 for NULL, and a fault inside them is not caught here (NanoNT's kernel32 has no SEH frames
 * of its own), so only NULL is tolerated. lstrcmpi compares case-insensitively the ASCII and
 * Latin-1 way (RtlUpcaseUnicodeChar), not with locale collation.
 */
#include "k32p.h"

int WINAPI lstrlenA(LPCSTR lpString)
{
    if (lpString == NULL) return 0;
    int n = 0;
    while (lpString[n]) n++;
    return n;
}

int WINAPI lstrlenW(LPCWSTR lpString) { return lpString ? (int)BaseWideLength(lpString) : 0; }

LPSTR WINAPI lstrcpyA(LPSTR lpString1, LPCSTR lpString2)
{
    if (lpString1 == NULL || lpString2 == NULL) return NULL;
    LPSTR d = lpString1;
    while ((*d++ = *lpString2++)) {}
    return lpString1;
}

LPWSTR WINAPI lstrcpyW(LPWSTR lpString1, LPCWSTR lpString2)
{
    if (lpString1 == NULL || lpString2 == NULL) return NULL;
    LPWSTR d = lpString1;
    while ((*d++ = *lpString2++)) {}
    return lpString1;
}

/* Copies at most iMaxLength - 1 characters and always terminates. */
LPSTR WINAPI lstrcpynA(LPSTR lpString1, LPCSTR lpString2, int iMaxLength)
{
    if (lpString1 == NULL || lpString2 == NULL || iMaxLength <= 0) return lpString1;
    int i = 0;
    for (; i + 1 < iMaxLength && lpString2[i]; i++) lpString1[i] = lpString2[i];
    lpString1[i] = 0;
    return lpString1;
}

LPWSTR WINAPI lstrcpynW(LPWSTR lpString1, LPCWSTR lpString2, int iMaxLength)
{
    if (lpString1 == NULL || lpString2 == NULL || iMaxLength <= 0) return lpString1;
    int i = 0;
    for (; i + 1 < iMaxLength && lpString2[i]; i++) lpString1[i] = lpString2[i];
    lpString1[i] = 0;
    return lpString1;
}

LPSTR WINAPI lstrcatA(LPSTR lpString1, LPCSTR lpString2)
{
    if (lpString1 == NULL || lpString2 == NULL) return NULL;
    lstrcpyA(lpString1 + lstrlenA(lpString1), lpString2);
    return lpString1;
}

LPWSTR WINAPI lstrcatW(LPWSTR lpString1, LPCWSTR lpString2)
{
    if (lpString1 == NULL || lpString2 == NULL) return NULL;
    lstrcpyW(lpString1 + lstrlenW(lpString1), lpString2);
    return lpString1;
}

/* Windows' collation puts NULL before everything; the result is <0, 0, >0. */
static int BaseCompareW(LPCWSTR a, LPCWSTR b, BOOL IgnoreCase)
{
    if (a == NULL || b == NULL) return a == b ? 0 : a == NULL ? -1 : 1;
    for (;; a++, b++) {
        WCHAR x = *a, y = *b;
        if (IgnoreCase) { x = RtlDowncaseUnicodeChar(x); y = RtlDowncaseUnicodeChar(y); }
        if (x != y) return x < y ? -1 : 1;
        if (x == 0) return 0;
    }
}

static int BaseCompareA(LPCSTR a, LPCSTR b, BOOL IgnoreCase)
{
    if (a == NULL || b == NULL) return a == b ? 0 : a == NULL ? -1 : 1;
    for (;; a++, b++) {
        WCHAR x = 0, y = 0;
        ULONG n;
        RtlMultiByteToUnicodeN(&x, sizeof(WCHAR), &n, a, 1);
        RtlMultiByteToUnicodeN(&y, sizeof(WCHAR), &n, b, 1);
        if (IgnoreCase) { x = RtlDowncaseUnicodeChar(x); y = RtlDowncaseUnicodeChar(y); }
        if (x != y) return x < y ? -1 : 1;
        if (x == 0) return 0;
    }
}

int WINAPI lstrcmpA(LPCSTR lpString1, LPCSTR lpString2) { return BaseCompareA(lpString1, lpString2, FALSE); }
int WINAPI lstrcmpiA(LPCSTR lpString1, LPCSTR lpString2) { return BaseCompareA(lpString1, lpString2, TRUE); }
int WINAPI lstrcmpW(LPCWSTR lpString1, LPCWSTR lpString2) { return BaseCompareW(lpString1, lpString2, FALSE); }
int WINAPI lstrcmpiW(LPCWSTR lpString1, LPCWSTR lpString2) { return BaseCompareW(lpString1, lpString2, TRUE); }
