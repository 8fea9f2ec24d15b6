/*
 * fatname.c - names: which long names are valid, when a name fits 8.3 as it is (NT's lower-case
 * flags included), the short-name basis and its ~N numeric tails for names that do not, the
 * long-name checksum, short names as text, case-insensitive comparison and wildcard matching.
 * Short-name bytes of 0x80 and above are shown as the Latin-1 characters of the same value.
 */
#include "fatp.h"

/* Bit c set for the characters below 0x80 a long name may not hold: controls and "*\/:<>?|. */
static const ULONG FatpInvalidLongChars[4] = {
    0xFFFFFFFFu,                                                  /* 0x00..0x1F */
    (1u << ('"' - 32)) | (1u << ('*' - 32)) | (1u << ('/' - 32)) | (1u << (':' - 32)) |
        (1u << ('<' - 32)) | (1u << ('>' - 32)) | (1u << ('?' - 32)),
    (1u << ('\\' - 64)),
    (1u << ('|' - 96)),
};

static BOOLEAN FatpIsInvalidLongChar(WCHAR c)
{
    return c < 0x80 && (FatpInvalidLongChars[c >> 5] >> (c & 31) & 1);
}

/* Characters a short name may hold besides letters and digits. */
static inline BOOLEAN FatpIsShortChar(WCHAR c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return TRUE;
    switch (c) {
    case '$': case '%': case '\'': case '-': case '_': case '@': case '~': case '`': case '!':
    case '(': case ')': case '{': case '}': case '^': case '#': case '&':
        return TRUE;
    default:
        return FALSE;
    }
}

static WCHAR FatpUpcaseAscii(WCHAR c) { return c >= 'a' && c <= 'z' ? (WCHAR)(c - 32) : c; }

/* A component: 1..255 units, no control or reserved characters, not ending in a dot or a
 * space (which also rules out "." and ".."). */
BOOLEAN FatpIsValidLongName(PCWSTR Name, ULONG Length)
{
    if (Length == 0 || Length > FAT_MAX_NAME) return FALSE;
    for (ULONG i = 0; i < Length; i++)
        if (FatpIsInvalidLongChar(Name[i])) return FALSE;
    return Name[Length - 1] != '.' && Name[Length - 1] != ' ';
}

/* TRUE if Name can be stored as a short entry alone: 1-8 base characters, an optional dot and
 * 1-3 extension characters, each part in one case (lower case is kept by NT's flags). One pass
 * checks the characters and notes which cases each part uses (1 upper, 2 lower, 3 both). */
BOOLEAN FatpNameFits83(PCWSTR Name, ULONG Length, UCHAR Short[11], PUCHAR NtCase)
{
    ULONG dot = Length;
    UCHAR cases[2] = { 0, 0 };                  /* base, extension */
    for (ULONG i = 0; i < Length; i++) {
        WCHAR c = Name[i];
        if (c == '.') {
            if (dot != Length) return FALSE;
            dot = i;
            continue;
        }
        if (!FatpIsShortChar(c)) return FALSE;
        if (c >= 'a' && c <= 'z') cases[dot != Length] |= 2;
        else if (c >= 'A' && c <= 'Z') cases[dot != Length] |= 1;
    }
    ULONG baseLen = dot, extLen = dot == Length ? 0 : Length - dot - 1;
    if (baseLen < 1 || baseLen > 8 || extLen > 3 || (dot != Length && extLen == 0)) return FALSE;
    if (cases[0] == 3 || cases[1] == 3) return FALSE;                 /* a part in mixed case */
    RtlFillMemory(Short, 11, ' ');
    for (ULONG i = 0; i < baseLen; i++) Short[i] = (UCHAR)FatpUpcaseAscii(Name[i]);
    for (ULONG i = 0; i < extLen; i++) Short[8 + i] = (UCHAR)FatpUpcaseAscii(Name[dot + 1 + i]);
    *NtCase = (UCHAR)((cases[0] == 2 ? FAT_NTCASE_LOWER_BASE : 0) | (cases[1] == 2 ? FAT_NTCASE_LOWER_EXT : 0));
    return TRUE;
}

/* The short-name basis of a long name: upper case, spaces and leading dots dropped, other
 * characters that a short name cannot hold turned into '_', the base (before the last dot,
 * other dots dropped) cut to 8 and the extension to 3. The caller adds a ~N tail. */
VOID FatpShortBasis(PCWSTR Name, ULONG Length, UCHAR Basis[11])
{
    ULONG start = 0, lastDot = Length, n = 0;
    while (start < Length && (Name[start] == '.' || Name[start] == ' ')) start++;
    for (ULONG i = start; i < Length; i++)
        if (Name[i] == '.') lastDot = i;
    RtlFillMemory(Basis, 11, ' ');
    for (ULONG i = start; i < lastDot && n < 8; i++) {
        WCHAR c = Name[i];
        if (c == ' ' || c == '.') continue;
        Basis[n++] = FatpIsShortChar(c) ? (UCHAR)FatpUpcaseAscii(c) : '_';
    }
    if (n == 0) Basis[0] = '_';
    n = 0;
    for (ULONG i = lastDot + 1; i < Length && n < 3; i++) {
        WCHAR c = Name[i];
        if (c == ' ') continue;
        Basis[8 + n++] = FatpIsShortChar(c) ? (UCHAR)FatpUpcaseAscii(c) : '_';
    }
}

/* Basis with the numeric tail ~N, the base shortened so that base and tail fit in 8. */
VOID FatpApplyTail(const UCHAR Basis[11], ULONG N, UCHAR Out[11])
{
    UCHAR digits[10];
    ULONG nd = 0;
    do { digits[nd++] = (UCHAR)('0' + N % 10); N /= 10; } while (N && nd < 7);
    ULONG baseLen = 0;
    while (baseLen < 8 && Basis[baseLen] != ' ') baseLen++;
    ULONG keep = baseLen < 7 - nd ? baseLen : 7 - nd;
    RtlFillMemory(Out, 11, ' ');
    RtlCopyMemory(Out, Basis, keep);
    Out[keep] = '~';
    for (ULONG i = 0; i < nd; i++) Out[keep + 1 + i] = digits[nd - 1 - i];
    RtlCopyMemory(Out + 8, Basis + 8, 3);
}

/* The N of a short name ending in ~N (base part), or -1. */
LONG FatpParseTail(const UCHAR Short[11])
{
    ULONG end = 8;
    while (end > 0 && Short[end - 1] == ' ') end--;
    ULONG tilde = end;
    while (tilde > 0 && Short[tilde - 1] != '~') tilde--;
    if (tilde == 0 || tilde == end) return -1;
    LONG n = 0;
    for (ULONG i = tilde; i < end; i++) {
        if (Short[i] < '0' || Short[i] > '9') return -1;
        n = n * 10 + (Short[i] - '0');
    }
    return n;
}

UCHAR FatpLfnChecksum(const UCHAR Short[11])
{
    UCHAR sum = 0;
    for (ULONG i = 0; i < 11; i++) sum = (UCHAR)(((sum & 1) << 7) + (sum >> 1) + Short[i]);
    return sum;
}

/* "NAME.EXT" from the 11 stored bytes; returns the length in units (at most 12). */
USHORT FatpFormatShortName(const UCHAR Short[11], UCHAR NtCase, PWCHAR Out)
{
    USHORT n = 0;
    ULONG baseLen = 8, extLen = 3;
    while (baseLen > 0 && Short[baseLen - 1] == ' ') baseLen--;
    while (extLen > 0 && Short[8 + extLen - 1] == ' ') extLen--;
    for (ULONG i = 0; i < baseLen; i++) {
        WCHAR c = (i == 0 && Short[0] == 0x05) ? 0xE5 : Short[i];   /* 0x05 stands for 0xE5 */
        if ((NtCase & FAT_NTCASE_LOWER_BASE) && c >= 'A' && c <= 'Z') c += 32;
        Out[n++] = c;
    }
    if (extLen) {
        Out[n++] = '.';
        for (ULONG i = 0; i < extLen; i++) {
            WCHAR c = Short[8 + i];
            if ((NtCase & FAT_NTCASE_LOWER_EXT) && c >= 'A' && c <= 'Z') c += 32;
            Out[n++] = c;
        }
    }
    Out[n] = 0;
    return n;
}

/* c as a short name shows it equals u, a unit already upcased, but for case. */
static inline BOOLEAN FatpShortCharEquals(WCHAR c, WCHAR u)
{
    return c == u || (c >= 'a' && RtlUpcaseUnicodeChar(c) == u);
}

/*
 * TRUE if the short name, as FatpFormatShortName shows it, equals Upcased[0..Length) (a name
 * already upcased) but for case. Compares as it goes, without formatting: most entries of a
 * directory differ in length or in a few characters. The base is compared from its end, as
 * names in one directory often share a prefix (BENCH000, BENCH001, ...). The NT lower-case
 * flags need no look, since case is ignored.
 */
BOOLEAN FatpShortNameEquals(const UCHAR Short[11], PCWSTR Upcased, ULONG Length)
{
    ULONG baseLen = 8, extLen = 3;
    while (baseLen > 0 && Short[baseLen - 1] == ' ') baseLen--;
    while (extLen > 0 && Short[8 + extLen - 1] == ' ') extLen--;
    if (Length != baseLen + (extLen ? 1 + extLen : 0)) return FALSE;
    for (ULONG i = baseLen; i > 1; i--)
        if (!FatpShortCharEquals(Short[i - 1], Upcased[i - 1])) return FALSE;
    if (baseLen > 0 && !FatpShortCharEquals(Short[0] == 0x05 ? 0xE5 : Short[0], Upcased[0]))
        return FALSE;                                            /* 0x05 stands for 0xE5 */
    if (extLen == 0) return TRUE;
    if (Upcased[baseLen] != '.') return FALSE;
    for (ULONG i = 0; i < extLen; i++)
        if (!FatpShortCharEquals(Short[8 + i], Upcased[baseLen + 1 + i])) return FALSE;
    return TRUE;
}

BOOLEAN FatpNamesEqual(PCWSTR A, ULONG ALength, PCWSTR B, ULONG BLength)
{
    if (ALength != BLength) return FALSE;
    /* Equal units need no case folding; directory scans compare mostly equal prefixes. */
    for (ULONG i = 0; i < ALength; i++)
        if (A[i] != B[i] && RtlUpcaseUnicodeChar(A[i]) != RtlUpcaseUnicodeChar(B[i])) return FALSE;
    return TRUE;
}

/* '*' matches any run (empty too), '?' exactly one character; case-insensitive. "*.*" is "*"
 * as DOS programs expect. Backtracks only to the last '*', so it runs in O(n * m) at worst. */
BOOLEAN FatpMatchPattern(PCWSTR Pattern, ULONG PatternLength, PCWSTR Name, ULONG NameLength)
{
    if (PatternLength == 3 && Pattern[0] == '*' && Pattern[1] == '.' && Pattern[2] == '*') PatternLength = 1;
    ULONG p = 0, n = 0, starP = 0, starN = 0;
    BOOLEAN star = FALSE;
    while (n < NameLength) {
        if (p < PatternLength && Pattern[p] == '*') {
            star = TRUE;
            starP = ++p;
            starN = n;
        } else if (p < PatternLength && (Pattern[p] == '?' ||
                   RtlUpcaseUnicodeChar(Pattern[p]) == RtlUpcaseUnicodeChar(Name[n]))) {
            p++;
            n++;
        } else if (star) {
            p = starP;
            n = ++starN;
        } else {
            return FALSE;
        }
    }
    while (p < PatternLength && Pattern[p] == '*') p++;
    return p == PatternLength;
}
