/*
 * memory.c - memcpy, memmove, memset and memcmp: GCC emits calls to these even in a freestanding
 * kernel, and the Rtl*Memory macros expand to them.
 */
#include "rtl.h"

void *memcpy(void *d, const void *s, SIZE_T n)
{
    void *ret = d;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return ret;
}

void *memmove(void *d, const void *s, SIZE_T n)
{
    PUCHAR dp = d;
    const UCHAR *sp = s;
    if (dp <= sp || dp >= sp + n) return memcpy(d, s, n);
    while (n--) dp[n] = sp[n];
    return d;
}

void *memset(void *d, int c, SIZE_T n)
{
    void *ret = d;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return ret;
}

int memcmp(const void *a, const void *b, SIZE_T n)
{
    const UCHAR *x = a, *y = b;
    for (SIZE_T i = 0; i < n; i++)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

SIZE_T RtlCompareMemory(const void *A, const void *B, SIZE_T Length)
{
    const UCHAR *x = A, *y = B;
    SIZE_T i = 0;
    while (i < Length && x[i] == y[i]) i++;
    return i;                                   /* bytes that match, as NT returns */
}
