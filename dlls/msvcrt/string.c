/* string.c - <string.h> for byte strings and memory blocks, in the C locale (the case-blind
 * comparisons fold ASCII only). Written plainly: the compiler builds these without builtins. */
#include "crtp.h"

CRTAPI void *memcpy(void *Dest, const void *Src, size_t Count)
{
    char *d = Dest;
    const char *s = Src;
    while (Count--)
        *d++ = *s++;
    return Dest;
}

CRTAPI void *memmove(void *Dest, const void *Src, size_t Count)
{
    char *d = Dest;
    const char *s = Src;
    if (d <= s || d >= s + Count)
        return memcpy(Dest, Src, Count);
    while (Count--)
        d[Count] = s[Count];     /* overlapping, destination above: copy from the end */
    return Dest;
}

CRTAPI void *memset(void *Dest, int Value, size_t Count)
{
    unsigned char *d = Dest;
    while (Count--)
        *d++ = (unsigned char)Value;
    return Dest;
}

CRTAPI int memcmp(const void *A, const void *B, size_t Count)
{
    const unsigned char *a = A, *b = B;
    for (; Count; Count--, a++, b++)
        if (*a != *b)
            return *a < *b ? -1 : 1;
    return 0;
}

CRTAPI void *memchr(const void *Block, int Value, size_t Count)
{
    const unsigned char *p = Block;
    for (; Count; Count--, p++)
        if (*p == (unsigned char)Value)
            return (void *)p;
    return NULL;
}

CRTAPI size_t strlen(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return p - s;
}

CRTAPI size_t strnlen(const char *s, size_t Max)
{
    size_t n = 0;
    while (n < Max && s[n])
        n++;
    return n;
}

CRTAPI char *strcpy(char *Dest, const char *Src)
{
    char *d = Dest;
    while ((*d++ = *Src++))
        ;
    return Dest;
}

/* Pads with NULs up to Count; does not terminate when Src is Count long or longer (C). */
CRTAPI char *strncpy(char *Dest, const char *Src, size_t Count)
{
    size_t i = 0;
    for (; i < Count && Src[i]; i++)
        Dest[i] = Src[i];
    for (; i < Count; i++)
        Dest[i] = 0;
    return Dest;
}

CRTAPI char *strcat(char *Dest, const char *Src)
{
    strcpy(Dest + strlen(Dest), Src);
    return Dest;
}

CRTAPI char *strncat(char *Dest, const char *Src, size_t Count)
{
    char *d = Dest + strlen(Dest);
    while (Count-- && *Src)
        *d++ = *Src++;
    *d = 0;
    return Dest;
}

CRTAPI int strcmp(const char *A, const char *B)
{
    while (*A && *A == *B)
        A++, B++;
    return (unsigned char)*A < (unsigned char)*B ? -1 : (unsigned char)*A > (unsigned char)*B;
}

CRTAPI int strncmp(const char *A, const char *B, size_t Count)
{
    for (; Count; Count--, A++, B++) {
        if (*A != *B)
            return (unsigned char)*A < (unsigned char)*B ? -1 : 1;
        if (!*A)
            break;
    }
    return 0;
}

CRTAPI int strcoll(const char *A, const char *B) { return strcmp(A, B); }

static int Fold(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

CRTAPI int _strnicmp(const char *A, const char *B, size_t Count)
{
    for (; Count; Count--, A++, B++) {
        int a = Fold((unsigned char)*A), b = Fold((unsigned char)*B);
        if (a != b)
            return a < b ? -1 : 1;
        if (!a)
            break;
    }
    return 0;
}

CRTAPI int _stricmp(const char *A, const char *B) { return _strnicmp(A, B, (size_t)-1); }
CRTAPI int _strcmpi(const char *A, const char *B) { return _stricmp(A, B); }
CRTAPI int _memicmp(const void *A, const void *B, size_t Count)
{
    const unsigned char *a = A, *b = B;
    for (; Count; Count--, a++, b++)
        if (Fold(*a) != Fold(*b))
            return Fold(*a) < Fold(*b) ? -1 : 1;
    return 0;
}

CRTAPI char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

CRTAPI char *strrchr(const char *s, int c)
{
    const char *last = NULL;
    for (;; s++) {
        if (*s == (char)c)
            last = s;
        if (!*s)
            return (char *)last;
    }
}

CRTAPI char *strstr(const char *Haystack, const char *Needle)
{
    size_t n = strlen(Needle);
    for (; *Haystack; Haystack++)
        if (*Haystack == *Needle && strncmp(Haystack, Needle, n) == 0)
            return (char *)Haystack;
    return n ? NULL : (char *)Haystack;
}

CRTAPI size_t strspn(const char *s, const char *Accept)
{
    size_t n = 0;
    while (s[n] && strchr(Accept, s[n]))
        n++;
    return n;
}

CRTAPI size_t strcspn(const char *s, const char *Reject)
{
    size_t n = 0;
    while (s[n] && !strchr(Reject, s[n]))
        n++;
    return n;
}

CRTAPI char *strpbrk(const char *s, const char *Accept)
{
    s += strcspn(s, Accept);
    return *s ? (char *)s : NULL;
}

/* The position between calls is per thread, as MSVCRT keeps it. */
CRTAPI char *strtok(char *s, const char *Delimiters)
{
    CRT_THREAD *thread = CrtThread();
    if (!s)
        s = thread->StrtokNext;
    if (!s)
        return NULL;
    s += strspn(s, Delimiters);
    if (!*s) {
        thread->StrtokNext = NULL;
        return NULL;
    }
    char *end = s + strcspn(s, Delimiters);
    if (*end)
        *end++ = 0;
    else
        end = NULL;
    thread->StrtokNext = end;
    return s;
}

CRTAPI char *_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    return copy ? memcpy(copy, s, n) : NULL;
}

CRTAPI char *_strlwr(char *s)
{
    for (char *p = s; *p; p++)
        *p = (char)Fold((unsigned char)*p);
    return s;
}

CRTAPI char *_strupr(char *s)
{
    for (char *p = s; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p -= 32;
    return s;
}

CRTAPI char *_strrev(char *s)
{
    for (size_t i = 0, j = strlen(s); j > i + 1; i++, j--) {
        char t = s[i];
        s[i] = s[j - 1];
        s[j - 1] = t;
    }
    return s;
}

CRTAPI char *_strset(char *s, int c)
{
    for (char *p = s; *p; p++)
        *p = (char)c;
    return s;
}

CRTAPI size_t strxfrm(char *Dest, const char *Src, size_t Count)
{
    size_t n = strlen(Src);
    if (n < Count)
        strcpy(Dest, Src);
    return n;
}
