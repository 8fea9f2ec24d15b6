/*
 * nls.c - code pages: MultiByteToWideChar/WideCharToMultiByte for the ANSI code page (1252,
 * through ntdll's Rtl conversions), UTF-8 (here), and the code page queries. NanoNT has one
 * 8-bit code page: the OEM code page is also 1252 (GetOEMCP says so), and none is double-byte.
 */
#include "k32p.h"

#define BASE_ACP 1252u

UINT WINAPI GetACP(VOID) { return BASE_ACP; }
UINT WINAPI GetOEMCP(VOID) { return BASE_ACP; }
BOOL WINAPI IsDBCSLeadByteEx(UINT CodePage, BYTE TestChar) { return FALSE; }
BOOL WINAPI IsDBCSLeadByte(BYTE TestChar) { return FALSE; }

/* 1252 (and the aliases of it), UTF-8, or 0 for a code page NanoNT does not have. */
static UINT BaseResolveCodePage(UINT CodePage)
{
    switch (CodePage) {
    case CP_ACP: case CP_OEMCP: case CP_THREAD_ACP: case BASE_ACP: return BASE_ACP;
    case CP_UTF8: return CP_UTF8;
    default: return 0;
    }
}

BOOL WINAPI IsValidCodePage(UINT CodePage)
{
    return CodePage == BASE_ACP || CodePage == CP_UTF8;
}

BOOL WINAPI GetCPInfo(UINT CodePage, LPCPINFO lpCPInfo)
{
    UINT cp = BaseResolveCodePage(CodePage);
    if (cp == 0 || lpCPInfo == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    RtlZeroMemory(lpCPInfo, sizeof(*lpCPInfo));
    lpCPInfo->MaxCharSize = cp == CP_UTF8 ? 4 : 1;
    lpCPInfo->DefaultChar[0] = '?';
    return TRUE;
}

/* ---- UTF-8 -------------------------------------------------------------------------------- */

/* Decodes one sequence at s (n bytes left): the code point, or -1 if malformed; *Used = bytes. */
static LONG BaseUtf8Decode(const BYTE *s, int n, int *Used)
{
    BYTE c = s[0];
    int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    *Used = 1;
    if (len == 0 || len > n) return -1;
    LONG cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const LONG minimum[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < minimum[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    *Used = len;
    return cp;
}

static int BaseUtf8ToWide(DWORD Flags, const BYTE *Src, int SrcLen, LPWSTR Dst, int DstLen)
{
    int out = 0;
    for (int i = 0; i < SrcLen;) {
        int used;
        LONG cp = BaseUtf8Decode(Src + i, SrcLen - i, &used);
        if (cp < 0) {
            if (Flags & MB_ERR_INVALID_CHARS) { SetLastError(ERROR_NO_UNICODE_TRANSLATION); return 0; }
            cp = 0xFFFD;
        }
        i += used;
        int need = cp >= 0x10000 ? 2 : 1;
        if (Dst) {
            if (out + need > DstLen) { SetLastError(ERROR_INSUFFICIENT_BUFFER); return 0; }
            if (need == 2) {
                Dst[out] = (WCHAR)(0xD800 + ((cp - 0x10000) >> 10));
                Dst[out + 1] = (WCHAR)(0xDC00 + ((cp - 0x10000) & 0x3FF));
            } else {
                Dst[out] = (WCHAR)cp;
            }
        }
        out += need;
    }
    return out;
}

static int BaseWideToUtf8(LPCWSTR Src, int SrcLen, LPSTR Dst, int DstLen)
{
    int out = 0;
    for (int i = 0; i < SrcLen; i++) {
        ULONG cp = Src[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < SrcLen && Src[i + 1] >= 0xDC00 && Src[i + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (Src[i + 1] - 0xDC00);
            i++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;                    /* a lone surrogate */
        }
        BYTE seq[4];
        int n;
        if (cp < 0x80) { seq[0] = (BYTE)cp; n = 1; }
        else if (cp < 0x800) { seq[0] = (BYTE)(0xC0 | (cp >> 6)); seq[1] = (BYTE)(0x80 | (cp & 0x3F)); n = 2; }
        else if (cp < 0x10000) {
            seq[0] = (BYTE)(0xE0 | (cp >> 12)); seq[1] = (BYTE)(0x80 | ((cp >> 6) & 0x3F));
            seq[2] = (BYTE)(0x80 | (cp & 0x3F)); n = 3;
        } else {
            seq[0] = (BYTE)(0xF0 | (cp >> 18)); seq[1] = (BYTE)(0x80 | ((cp >> 12) & 0x3F));
            seq[2] = (BYTE)(0x80 | ((cp >> 6) & 0x3F)); seq[3] = (BYTE)(0x80 | (cp & 0x3F)); n = 4;
        }
        if (Dst) {
            if (out + n > DstLen) { SetLastError(ERROR_INSUFFICIENT_BUFFER); return 0; }
            for (int k = 0; k < n; k++) Dst[out + k] = (CHAR)seq[k];
        }
        out += n;
    }
    return out;
}

/* ---- Code page 1252 ------------------------------------------------------------------------ */

static int BaseAnsiToWide(LPCSTR Src, int SrcLen, LPWSTR Dst, int DstLen)
{
    if (Dst == NULL) return SrcLen;                     /* one UTF-16 unit per byte */
    if (DstLen < SrcLen) { SetLastError(ERROR_INSUFFICIENT_BUFFER); return 0; }
    ULONG bytes = 0;
    RtlMultiByteToUnicodeN(Dst, (ULONG)DstLen * sizeof(WCHAR), &bytes, Src, (ULONG)SrcLen);
    return (int)(bytes / sizeof(WCHAR));
}

static int BaseWideToAnsi(LPCWSTR Src, int SrcLen, LPSTR Dst, int DstLen, LPCSTR DefaultChar, LPBOOL UsedDefault)
{
    if (Dst == NULL && UsedDefault == NULL) return SrcLen;
    CHAR local[64];
    BOOL used = FALSE;
    int out = 0;
    /* Chunk by chunk, so that characters 1252 lacks (Rtl gives '?') can be seen and replaced. */
    for (int i = 0; i < SrcLen;) {
        int n = SrcLen - i < (int)sizeof(local) ? SrcLen - i : (int)sizeof(local);
        ULONG got = 0;
        RtlUnicodeToMultiByteN(local, (ULONG)n, &got, Src + i, (ULONG)n * sizeof(WCHAR));
        for (int k = 0; k < n; k++) {
            if (local[k] == '?' && Src[i + k] != u'?') {
                used = TRUE;
                if (DefaultChar) local[k] = *DefaultChar;
            }
        }
        if (Dst) {
            if (out + n > DstLen) { SetLastError(ERROR_INSUFFICIENT_BUFFER); return 0; }
            RtlCopyMemory(Dst + out, local, n);
        }
        out += n;
        i += n;
    }
    if (UsedDefault) *UsedDefault = used;
    return out;
}

/* ---- The API ------------------------------------------------------------------------------- */

int WINAPI MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCSTR lpMultiByteStr, int cbMultiByte,
                               LPWSTR lpWideCharStr, int cchWideChar)
{
    UINT cp = BaseResolveCodePage(CodePage);
    if (lpMultiByteStr == NULL || cbMultiByte == 0 || cchWideChar < 0 || cbMultiByte < -1 ||
        (lpWideCharStr != NULL && (LPCVOID)lpWideCharStr == (LPCVOID)lpMultiByteStr) || cp == 0) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (cp == CP_UTF8 && (dwFlags & ~MB_ERR_INVALID_CHARS)) { SetLastError(ERROR_INVALID_FLAGS); return 0; }
    int len = cbMultiByte;
    if (len == -1) { len = 0; while (lpMultiByteStr[len]) len++; len++; }   /* with the NUL */
    LPWSTR dst = cchWideChar ? lpWideCharStr : NULL;
    if (cp == CP_UTF8) return BaseUtf8ToWide(dwFlags, (const BYTE *)lpMultiByteStr, len, dst, cchWideChar);
    return BaseAnsiToWide(lpMultiByteStr, len, dst, cchWideChar);
}

int WINAPI WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWSTR lpWideCharStr, int cchWideChar,
                               LPSTR lpMultiByteStr, int cbMultiByte, LPCSTR lpDefaultChar,
                               LPBOOL lpUsedDefaultChar)
{
    UINT cp = BaseResolveCodePage(CodePage);
    if (lpWideCharStr == NULL || cchWideChar == 0 || cbMultiByte < 0 || cchWideChar < -1 || cp == 0 ||
        (lpMultiByteStr != NULL && (LPCVOID)lpMultiByteStr == (LPCVOID)lpWideCharStr)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    int len = cchWideChar;
    if (len == -1) len = (int)BaseWideLength(lpWideCharStr) + 1;
    LPSTR dst = cbMultiByte ? lpMultiByteStr : NULL;
    if (cp == CP_UTF8) {
        /* UTF-8 has no default character: Windows refuses one. */
        if (lpDefaultChar != NULL || lpUsedDefaultChar != NULL) { SetLastError(ERROR_INVALID_PARAMETER); return 0; }
        return BaseWideToUtf8(lpWideCharStr, len, dst, cbMultiByte);
    }
    return BaseWideToAnsi(lpWideCharStr, len, dst, cbMultiByte, lpDefaultChar, lpUsedDefaultChar);
}
