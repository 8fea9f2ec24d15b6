/* wstring.c - the wide-character (UTF-16) string functions of <wchar.h>/<string.h>. */
#include "crtp.h"

CRTAPI size_t wcslen(const wchar_t_ *s)
{
    const wchar_t_ *p = s;
    while (*p)
        p++;
    return p - s;
}

CRTAPI wchar_t_ *wcscpy(wchar_t_ *Dest, const wchar_t_ *Src)
{
    wchar_t_ *d = Dest;
    while ((*d++ = *Src++))
        ;
    return Dest;
}

CRTAPI wchar_t_ *wcsncpy(wchar_t_ *Dest, const wchar_t_ *Src, size_t Count)
{
    size_t i = 0;
    for (; i < Count && Src[i]; i++)
        Dest[i] = Src[i];
    for (; i < Count; i++)
        Dest[i] = 0;
    return Dest;
}

CRTAPI wchar_t_ *wcscat(wchar_t_ *Dest, const wchar_t_ *Src)
{
    wcscpy(Dest + wcslen(Dest), Src);
    return Dest;
}

CRTAPI int wcscmp(const wchar_t_ *A, const wchar_t_ *B)
{
    while (*A && *A == *B)
        A++, B++;
    return *A < *B ? -1 : *A > *B;
}

CRTAPI int wcsncmp(const wchar_t_ *A, const wchar_t_ *B, size_t Count)
{
    for (; Count; Count--, A++, B++) {
        if (*A != *B)
            return *A < *B ? -1 : 1;
        if (!*A)
            break;
    }
    return 0;
}

static wchar_t_ FoldW(wchar_t_ c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

CRTAPI int _wcsnicmp(const wchar_t_ *A, const wchar_t_ *B, size_t Count)
{
    for (; Count; Count--, A++, B++) {
        wchar_t_ a = FoldW(*A), b = FoldW(*B);
        if (a != b)
            return a < b ? -1 : 1;
        if (!a)
            break;
    }
    return 0;
}

CRTAPI int _wcsicmp(const wchar_t_ *A, const wchar_t_ *B) { return _wcsnicmp(A, B, (size_t)-1); }

CRTAPI wchar_t_ *wcschr(const wchar_t_ *s, wchar_t_ c)
{
    for (;; s++) {
        if (*s == c)
            return (wchar_t_ *)s;
        if (!*s)
            return NULL;
    }
}

CRTAPI wchar_t_ *wcsrchr(const wchar_t_ *s, wchar_t_ c)
{
    const wchar_t_ *last = NULL;
    for (;; s++) {
        if (*s == c)
            last = s;
        if (!*s)
            return (wchar_t_ *)last;
    }
}

CRTAPI wchar_t_ *wcsstr(const wchar_t_ *Haystack, const wchar_t_ *Needle)
{
    size_t n = wcslen(Needle);
    for (; *Haystack; Haystack++)
        if (wcsncmp(Haystack, Needle, n) == 0)
            return (wchar_t_ *)Haystack;
    return n ? NULL : (wchar_t_ *)Haystack;
}

CRTAPI wchar_t_ *_wcsdup(const wchar_t_ *s)
{
    size_t n = (wcslen(s) + 1) * sizeof(wchar_t_);
    wchar_t_ *copy = malloc(n);
    return copy ? memcpy(copy, s, n) : NULL;
}

CRTAPI size_t wcsspn(const wchar_t_ *s, const wchar_t_ *Accept)
{
    size_t n = 0;
    while (s[n] && wcschr(Accept, s[n]))
        n++;
    return n;
}

CRTAPI size_t wcscspn(const wchar_t_ *s, const wchar_t_ *Reject)
{
    size_t n = 0;
    while (s[n] && !wcschr(Reject, s[n]))
        n++;
    return n;
}

/* The position between calls is per thread, as for strtok. */
CRTAPI wchar_t_ *wcstok(wchar_t_ *s, const wchar_t_ *Delimiters)
{
    CRT_THREAD *thread = CrtThread();
    if (!s)
        s = thread->WcstokNext;
    if (!s)
        return NULL;
    s += wcsspn(s, Delimiters);
    if (!*s) {
        thread->WcstokNext = NULL;
        return NULL;
    }
    wchar_t_ *end = s + wcscspn(s, Delimiters);
    if (*end)
        *end++ = 0;
    else
        end = NULL;
    thread->WcstokNext = end;
    return s;
}

CRTAPI wchar_t_ *wmemcpy(wchar_t_ *Dest, const wchar_t_ *Src, size_t Count)
{
    return memcpy(Dest, Src, Count * sizeof(wchar_t_));
}

CRTAPI wchar_t_ *wmemset(wchar_t_ *Dest, wchar_t_ c, size_t Count)
{
    for (size_t i = 0; i < Count; i++)
        Dest[i] = c;
    return Dest;
}

/* Conversions between the two kinds of string, in the C locale: bytes are Latin-1 code points,
 * and a wide character above 0xFF does not convert (EILSEQ). */
CRTAPI int wctomb(char *Out, wchar_t_ c)
{
    if (!Out)
        return 0;
    if (c > 0xFF) {
        errno = EILSEQ;
        return -1;
    }
    *Out = (char)c;
    return 1;
}

CRTAPI int mbtowc(wchar_t_ *Out, const char *s, size_t Count)
{
    if (!s)
        return 0;
    if (!Count)
        return -1;
    if (Out)
        *Out = (unsigned char)*s;
    return *s != 0;
}

CRTAPI int mblen(const char *s, size_t Count)
{
    return !s ? 0 : !Count ? -1 : *s != 0;
}

CRTAPI size_t mbstowcs(wchar_t_ *Out, const char *s, size_t Count)
{
    size_t n = 0;
    for (; s[n] && (!Out || n < Count); n++)
        if (Out)
            Out[n] = (unsigned char)s[n];
    if (Out && n < Count)
        Out[n] = 0;
    return n;
}

CRTAPI size_t wcstombs(char *Out, const wchar_t_ *s, size_t Count)
{
    size_t n = 0;
    for (; s[n] && (!Out || n < Count); n++) {
        if (s[n] > 0xFF) {
            errno = EILSEQ;
            return (size_t)-1;
        }
        if (Out)
            Out[n] = (char)s[n];
    }
    if (Out && n < Count)
        Out[n] = 0;
    return n;
}
