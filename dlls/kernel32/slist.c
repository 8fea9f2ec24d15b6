/*
 * slist.c - interlocked singly linked lists (SLIST_HEADER), the x86 way: the header's first entry,
 * depth and sequence number are one 64-bit value changed only by cmpxchg8b. The sequence number
 * changes on every push and pop, so a pop that read "first = A, next = B" cannot succeed after
 * another thread popped A and B and pushed A back (the ABA problem).
 *
 * A pop reads Next of an entry another thread may already have popped and freed; Windows accepts
 * that the same way (the caller keeps entries' memory valid), and the compare-exchange then fails
 * because the sequence moved.
 */
#include "k32p.h"

static ULONGLONG BasePack(PSLIST_ENTRY First, WORD Depth, WORD Sequence)
{
    return (ULONGLONG)(ULONG_PTR)First | ((ULONGLONG)Depth << 32) | ((ULONGLONG)Sequence << 48);
}

static PSLIST_ENTRY BaseFirst(ULONGLONG Value) { return (PSLIST_ENTRY)(ULONG_PTR)(ULONG)Value; }
static WORD BaseDepth(ULONGLONG Value) { return (WORD)(Value >> 32); }
static WORD BaseSequence(ULONGLONG Value) { return (WORD)(Value >> 48); }

/* One consistent 64-bit snapshot of the header (a compare-exchange that changes nothing). */
static ULONGLONG BaseReadHeader(PSLIST_HEADER ListHead)
{
    return __sync_val_compare_and_swap(&ListHead->Alignment, 0, 0);
}

VOID WINAPI InitializeSListHead(PSLIST_HEADER ListHead) { ListHead->Alignment = 0; }

PSLIST_ENTRY WINAPI InterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry)
{
    ULONGLONG old = BaseReadHeader(ListHead);
    for (;;) {
        ListEntry->Next = BaseFirst(old);
        ULONGLONG new = BasePack(ListEntry, (WORD)(BaseDepth(old) + 1), (WORD)(BaseSequence(old) + 1));
        ULONGLONG seen = __sync_val_compare_and_swap(&ListHead->Alignment, old, new);
        if (seen == old) return BaseFirst(old);
        old = seen;
    }
}

PSLIST_ENTRY WINAPI InterlockedPopEntrySList(PSLIST_HEADER ListHead)
{
    ULONGLONG old = BaseReadHeader(ListHead);
    for (;;) {
        PSLIST_ENTRY first = BaseFirst(old);
        if (first == NULL) return NULL;
        ULONGLONG new = BasePack(first->Next, (WORD)(BaseDepth(old) - 1), (WORD)(BaseSequence(old) + 1));
        ULONGLONG seen = __sync_val_compare_and_swap(&ListHead->Alignment, old, new);
        if (seen == old) return first;
        old = seen;
    }
}

PSLIST_ENTRY WINAPI InterlockedFlushSList(PSLIST_HEADER ListHead)
{
    ULONGLONG old = BaseReadHeader(ListHead);
    for (;;) {
        if (BaseFirst(old) == NULL) return NULL;
        ULONGLONG seen = __sync_val_compare_and_swap(&ListHead->Alignment, old,
                                                     BasePack(NULL, 0, BaseSequence(old)));
        if (seen == old) return BaseFirst(old);
        old = seen;
    }
}

USHORT WINAPI QueryDepthSList(PSLIST_HEADER ListHead) { return BaseDepth(BaseReadHeader(ListHead)); }
