/*
 * memory.c - memcpy, memmove, memset and memcmp: GCC emits calls to these even in a freestanding
 * kernel, and the Rtl*Memory macros expand to them.
 *
 * memcpy and memset move four bytes per step and finish with single bytes: QEMU's TCG (and so
 * the -icount benchmarks) runs a rep string instruction one iteration at a time, so a sector or
 * page copied by dwords costs a quarter of the bytewise steps.
 */
#include "rtl.h"

void *memcpy(void *d, const void *s, SIZE_T n)
{
    void *ret = d;
    SIZE_T dwords = n >> 2, bytes = n & 3;
    __asm__ volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(dwords) : : "memory");
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(bytes) : : "memory");
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
    SIZE_T dwords = n >> 2, bytes = n & 3;
    ULONG fill = (UCHAR)c * 0x01010101u;
    __asm__ volatile("rep stosl" : "+D"(d), "+c"(dwords) : "a"(fill) : "memory");
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(bytes) : "a"(fill) : "memory");
    return ret;
}

int memcmp(const void *a, const void *b, SIZE_T n)
{
    const UCHAR *x = a, *y = b;
    for (SIZE_T i = 0; i < n; i++)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

SIZE_T NTAPI RtlCompareMemory(const void *A, const void *B, SIZE_T Length)
{
    const UCHAR *x = A, *y = B;
    SIZE_T i = 0;
    while (i < Length && x[i] == y[i]) i++;
    return i;                                   /* bytes that match, as NT returns */
}
