/* stdlib.c - the rest of <stdlib.h>: qsort and bsearch, abs/labs/div/ldiv, rand/srand (MSVCRT's
 * generator, so a seeded sequence matches Windows); system is spawn.c's. */
#include "crtp.h"

typedef int (__cdecl *CRT_COMPARE)(const void *, const void *);

static void Swap(char *a, char *b, size_t Size)
{
    while (Size--) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

static void InsertionSort(char *Base, size_t Count, size_t Size, CRT_COMPARE Compare)
{
    for (size_t i = 1; i < Count; i++)
        for (size_t j = i; j > 0 && Compare(Base + (j - 1) * Size, Base + j * Size) > 0; j--)
            Swap(Base + (j - 1) * Size, Base + j * Size, Size);
}

/* Quicksort, median of three, recursing into the smaller part and looping on the larger, so
 * the stack stays O(log n); small parts finish by insertion. */
CRTAPI void qsort(void *Base, size_t Count, size_t Size, CRT_COMPARE Compare)
{
    char *base = Base;
    while (Count > 8) {
        char *lo = base, *mid = base + (Count / 2) * Size, *hi = base + (Count - 1) * Size;
        if (Compare(mid, lo) < 0) Swap(mid, lo, Size);
        if (Compare(hi, mid) < 0) {
            Swap(hi, mid, Size);
            if (Compare(mid, lo) < 0) Swap(mid, lo, Size);
        }
        Swap(mid, lo, Size);                 /* the pivot waits at the front */
        size_t i = 1, j = Count - 1;
        for (;;) {
            while (i <= j && Compare(base + i * Size, base) < 0) i++;
            while (j >= i && Compare(base + j * Size, base) > 0) j--;
            if (i >= j) break;
            Swap(base + i * Size, base + j * Size, Size);
            i++;
            j--;
        }
        Swap(base, base + j * Size, Size);   /* the pivot to its place, j */
        size_t left = j, right = Count - j - 1;
        if (left < right) {
            qsort(base, left, Size, Compare);
            base += (j + 1) * Size;
            Count = right;
        } else {
            qsort(base + (j + 1) * Size, right, Size, Compare);
            Count = left;
        }
    }
    InsertionSort(base, Count, Size, Compare);
}

CRTAPI void *bsearch(const void *Key, const void *Base, size_t Count, size_t Size, CRT_COMPARE Compare)
{
    const char *base = Base;
    while (Count > 0) {
        const char *mid = base + (Count / 2) * Size;
        int c = Compare(Key, mid);
        if (c == 0)
            return (void *)mid;
        if (c > 0) {
            base = mid + Size;
            Count -= Count / 2 + 1;
        } else {
            Count /= 2;
        }
    }
    return NULL;
}

CRTAPI int abs(int v) { return v < 0 ? -v : v; }
CRTAPI long labs(long v) { return v < 0 ? -v : v; }
CRTAPI long long _abs64(long long v) { return v < 0 ? -v : v; }
CRTAPI long long llabs(long long v) { return v < 0 ? -v : v; }

/* div_t is returned in EDX:EAX (an 8-byte struct), as MSVC and GCC agree for i386 PE. */
typedef struct { int quot, rem; } div_t_;
typedef struct { long quot, rem; } ldiv_t_;
CRTAPI div_t_ div(int Numerator, int Denominator)
{
    div_t_ r = { Numerator / Denominator, Numerator % Denominator };
    return r;
}
CRTAPI ldiv_t_ ldiv(long Numerator, long Denominator)
{
    ldiv_t_ r = { Numerator / Denominator, Numerator % Denominator };
    return r;
}

/* MSVCRT's linear congruential generator; RAND_MAX is 0x7FFF. */
static unsigned long Seed = 1;
CRTAPI void srand(unsigned int s) { Seed = s; }
CRTAPI int rand(void)
{
    Seed = Seed * 214013UL + 2531011UL;
    return (int)((Seed >> 16) & 0x7FFF);
}

CRTAPI unsigned int _rotl(unsigned int v, int n) { n &= 31; return n ? (v << n) | (v >> (32 - n)) : v; }
CRTAPI unsigned int _rotr(unsigned int v, int n) { n &= 31; return n ? (v >> n) | (v << (32 - n)) : v; }
CRTAPI void _swab(char *Src, char *Dest, int Count)
{
    for (int i = 0; i + 1 < Count; i += 2) {
        char t = Src[i];
        Dest[i] = Src[i + 1];
        Dest[i + 1] = t;
    }
}
