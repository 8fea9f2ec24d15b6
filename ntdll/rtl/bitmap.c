/*
 * bitmap.c - bit maps (RTL_BITMAP): setting, clearing and testing ranges, finding runs of clear
 * or set bits, counting. Bit n is bit (n % 32) of Buffer[n / 32], as on NT. The Find routines
 * look from HintIndex to the end, then from the start; a run never wraps around the end.
 * Ranges past SizeOfBitMap are the caller's error and are clipped, never written.
 */
#include "ntndk.h"

static inline ULONG RtlpWords(ULONG Bits)
{
    return (Bits + 31) / 32;
}

VOID NTAPI RtlInitializeBitMap(PRTL_BITMAP BitMapHeader, PULONG BitMapBuffer, ULONG SizeOfBitMap)
{
    BitMapHeader->SizeOfBitMap = SizeOfBitMap;
    BitMapHeader->Buffer = BitMapBuffer;
}

/* Whole words, as NT fills them: the bits past the end of the last word change too. */
VOID NTAPI RtlClearAllBits(PRTL_BITMAP BitMapHeader)
{
    RtlZeroMemory(BitMapHeader->Buffer, RtlpWords(BitMapHeader->SizeOfBitMap) * sizeof(ULONG));
}

VOID NTAPI RtlSetAllBits(PRTL_BITMAP BitMapHeader)
{
    RtlFillMemory(BitMapHeader->Buffer, RtlpWords(BitMapHeader->SizeOfBitMap) * sizeof(ULONG), 0xFF);
}

BOOLEAN NTAPI RtlTestBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber)
{
    if (BitNumber >= BitMapHeader->SizeOfBitMap) return FALSE;
    return (BitMapHeader->Buffer[BitNumber / 32] >> (BitNumber % 32)) & 1;
}

VOID NTAPI RtlSetBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber)
{
    if (BitNumber < BitMapHeader->SizeOfBitMap) BitMapHeader->Buffer[BitNumber / 32] |= 1u << (BitNumber % 32);
}

VOID NTAPI RtlClearBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber)
{
    if (BitNumber < BitMapHeader->SizeOfBitMap) BitMapHeader->Buffer[BitNumber / 32] &= ~(1u << (BitNumber % 32));
}

/* Clips [Start, Start+Count) to the map; FALSE if nothing of it is inside. */
static BOOLEAN RtlpClip(PRTL_BITMAP BitMap, ULONG Start, PULONG Count)
{
    if (Start >= BitMap->SizeOfBitMap) return FALSE;
    if (*Count > BitMap->SizeOfBitMap - Start) *Count = BitMap->SizeOfBitMap - Start;
    return *Count != 0;
}

/* The mask of bits [From, From+Count) inside one word (From + Count <= 32). */
static inline ULONG RtlpMask(ULONG From, ULONG Count)
{
    ULONG ones = Count >= 32 ? ~0u : (1u << Count) - 1;
    return ones << From;
}

/* Sets (Set) or clears a range a word at a time. */
static VOID RtlpFillRange(PRTL_BITMAP BitMap, ULONG Start, ULONG Count, BOOLEAN Set)
{
    if (!RtlpClip(BitMap, Start, &Count)) return;
    while (Count) {
        ULONG bit = Start % 32, n = 32 - bit < Count ? 32 - bit : Count;
        ULONG mask = RtlpMask(bit, n);
        if (Set) BitMap->Buffer[Start / 32] |= mask;
        else BitMap->Buffer[Start / 32] &= ~mask;
        Start += n;
        Count -= n;
    }
}

VOID NTAPI RtlSetBits(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG NumberToSet)
{
    RtlpFillRange(BitMapHeader, StartingIndex, NumberToSet, TRUE);
}

VOID NTAPI RtlClearBits(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG NumberToClear)
{
    RtlpFillRange(BitMapHeader, StartingIndex, NumberToClear, FALSE);
}

/* TRUE if every bit of the range equals Set; a range not wholly inside the map is FALSE. */
static BOOLEAN RtlpRangeIs(PRTL_BITMAP BitMap, ULONG Start, ULONG Count, BOOLEAN Set)
{
    if (Start >= BitMap->SizeOfBitMap || Count > BitMap->SizeOfBitMap - Start || Count == 0) return FALSE;
    while (Count) {
        ULONG bit = Start % 32, n = 32 - bit < Count ? 32 - bit : Count;
        ULONG mask = RtlpMask(bit, n), word = BitMap->Buffer[Start / 32];
        if ((Set ? word & mask : ~word & mask) != mask) return FALSE;
        Start += n;
        Count -= n;
    }
    return TRUE;
}

BOOLEAN NTAPI RtlAreBitsSet(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG Length)
{
    return RtlpRangeIs(BitMapHeader, StartingIndex, Length, TRUE);
}

BOOLEAN NTAPI RtlAreBitsClear(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG Length)
{
    return RtlpRangeIs(BitMapHeader, StartingIndex, Length, FALSE);
}

/* The first run of Count bits equal to Set that starts in [From, To) and ends by the map's end,
 * or RTL_BITMAP_NOT_FOUND. Words with no candidate bit are skipped whole. */
static ULONG RtlpFindRun(PRTL_BITMAP BitMap, ULONG Count, ULONG From, ULONG To, BOOLEAN Set)
{
    ULONG size = BitMap->SizeOfBitMap, run = 0, start = From;
    for (ULONG i = From; i < size; ) {
        ULONG word = BitMap->Buffer[i / 32];
        if (!Set) word = ~word;                    /* look for ones either way */
        if (i % 32 == 0 && word == 0) {            /* no candidate in this word */
            if (i >= To) break;
            run = 0;
            i += 32;
            start = i;
            continue;
        }
        if ((word >> (i % 32)) & 1) {
            if (run == 0) {
                if (i >= To) break;
                start = i;
            }
            if (++run == Count) return start;
        } else {
            run = 0;
        }
        i++;
    }
    return RTL_BITMAP_NOT_FOUND;
}

static ULONG RtlpFind(PRTL_BITMAP BitMap, ULONG Count, ULONG Hint, BOOLEAN Set)
{
    ULONG size = BitMap->SizeOfBitMap;
    if (Count == 0) return 0;
    if (Count > size) return RTL_BITMAP_NOT_FOUND;
    if (Hint >= size) Hint = 0;
    ULONG found = RtlpFindRun(BitMap, Count, Hint, size, Set);
    if (found == RTL_BITMAP_NOT_FOUND && Hint) found = RtlpFindRun(BitMap, Count, 0, Hint, Set);
    return found;
}

ULONG NTAPI RtlFindClearBits(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex)
{
    return RtlpFind(BitMapHeader, NumberToFind, HintIndex, FALSE);
}

ULONG NTAPI RtlFindSetBits(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex)
{
    return RtlpFind(BitMapHeader, NumberToFind, HintIndex, TRUE);
}

ULONG NTAPI RtlFindClearBitsAndSet(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex)
{
    ULONG index = RtlFindClearBits(BitMapHeader, NumberToFind, HintIndex);
    if (index != RTL_BITMAP_NOT_FOUND) RtlSetBits(BitMapHeader, index, NumberToFind);
    return index;
}

ULONG NTAPI RtlFindSetBitsAndClear(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex)
{
    ULONG index = RtlFindSetBits(BitMapHeader, NumberToFind, HintIndex);
    if (index != RTL_BITMAP_NOT_FOUND) RtlClearBits(BitMapHeader, index, NumberToFind);
    return index;
}

/* Set bits among the first SizeOfBitMap (the tail of the last word does not count). */
ULONG NTAPI RtlNumberOfSetBits(PRTL_BITMAP BitMapHeader)
{
    ULONG size = BitMapHeader->SizeOfBitMap, total = 0, full = size / 32;
    for (ULONG i = 0; i < full; i++) total += (ULONG)__builtin_popcount(BitMapHeader->Buffer[i]);
    if (size % 32) total += (ULONG)__builtin_popcount(BitMapHeader->Buffer[full] & RtlpMask(0, size % 32));
    return total;
}

ULONG NTAPI RtlNumberOfClearBits(PRTL_BITMAP BitMapHeader)
{
    return BitMapHeader->SizeOfBitMap - RtlNumberOfSetBits(BitMapHeader);
}
