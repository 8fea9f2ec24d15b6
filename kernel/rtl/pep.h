/*
 * pep.h - private helpers of the PE image parser (peimage.c, peaccess.c): range checks done in
 * 64-bit arithmetic, so that no sum of two 32-bit header fields can wrap, and unaligned reads.
 */
#ifndef PEP_H
#define PEP_H

#include "pe.h"

/* TRUE if [Offset, Offset + Length) lies inside [0, Limit). Operands are at most 32-bit values
 * widened to 64 bits, so the sum cannot wrap. */
static inline BOOLEAN RtlpRangeInside(ULONGLONG Offset, ULONGLONG Length, ULONGLONG Limit)
{
    return Offset <= Limit && Length <= Limit - Offset;
}

/* Image fields need not be aligned (a header field can put a table anywhere): read and write
 * them bytewise, which the compiler turns into a plain load on x86, without undefined behaviour. */
static inline ULONG RtlpReadUlong(const UCHAR *P)
{
    ULONG Value;
    __builtin_memcpy(&Value, P, sizeof Value);
    return Value;
}

static inline USHORT RtlpReadUshort(const UCHAR *P)
{
    USHORT Value;
    __builtin_memcpy(&Value, P, sizeof Value);
    return Value;
}

static inline VOID RtlpWriteUlong(UCHAR *P, ULONG Value)
{
    __builtin_memcpy(P, &Value, sizeof Value);
}

static inline BOOLEAN RtlpIsPowerOfTwo(ULONG X)
{
    return X != 0 && (X & (X - 1)) == 0;
}

/* Rounds X up to Alignment (a power of two) without wrapping. */
static inline ULONGLONG RtlpAlignUp(ULONGLONG X, ULONG Alignment)
{
    return (X + Alignment - 1) & ~(ULONGLONG)(Alignment - 1);
}

/* A section's size in memory: VirtualSize, or SizeOfRawData when VirtualSize is 0. */
static inline ULONG RtlpSectionVirtualSize(const IMAGE_SECTION_HEADER *S)
{
    return S->Misc.VirtualSize ? S->Misc.VirtualSize : S->SizeOfRawData;
}

/* The bytes of a section that come from the file: the raw data, cut at the virtual size. */
static inline ULONG RtlpSectionFileBytes(const IMAGE_SECTION_HEADER *S)
{
    ULONG Virtual = RtlpSectionVirtualSize(S);
    return S->SizeOfRawData < Virtual ? S->SizeOfRawData : Virtual;
}

#endif
