/*
 * lookaside.c - lookaside lists: NT's cache of equal-sized blocks in front of the pool, for the
 * objects a subsystem allocates and frees all the time (IRPs, file system control blocks). A
 * free pushes the block on a short LIFO list; an allocation pops it again, skipping the pool's
 * size classes, checks and tag accounting. The pool still sees a cached block as allocated
 * under the list's tag: what poolmon shows stays true, and deleting the list returns every cached
 * block to the pool.
 *
 * NT adjusts each list's depth once a second from its hit rate; NanoNT keeps a fixed depth,
 * which bounds what a list can hold to Depth * Size bytes. The list is protected by raising to
 * DISPATCH_LEVEL (one processor), so nonpaged lists work up to DISPATCH_LEVEL and paged lists up
 * to APC_LEVEL, as on NT.
 */
#include "ex.h"
#include "ke.h"
#include "ntstatus.h"

static PVOID ExpLookasideDefaultAllocate(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    return ExAllocatePoolWithTag(PoolType, NumberOfBytes, Tag);
}

static VOID ExpLookasideDefaultFree(PVOID Buffer)
{
    ExFreePool(Buffer);
}

static VOID ExpInitializeLookaside(PGENERAL_LOOKASIDE L, PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free,
                                   POOL_TYPE Type, SIZE_T Size, ULONG Tag)
{
    L->ListHead.Next = NULL;
    L->Depth = 0;
    L->MaximumDepth = EX_LOOKASIDE_DEPTH;
    L->TotalAllocates = L->AllocateMisses = L->TotalFrees = L->FreeMisses = 0;
    L->Type = Type;
    L->Tag = Tag;
    /* A cached block holds the list link in its first bytes. */
    L->Size = (ULONG)(Size < sizeof(SINGLE_LIST_ENTRY) ? sizeof(SINGLE_LIST_ENTRY) : Size);
    L->Allocate = Allocate ? Allocate : ExpLookasideDefaultAllocate;
    L->Free = Free ? Free : ExpLookasideDefaultFree;
}

/* Empties the list back through its free routine. */
static VOID ExpDeleteLookaside(PGENERAL_LOOKASIDE L)
{
    for (;;) {
        KIRQL old = KeRaiseIrqlToDpcLevel();
        PSINGLE_LIST_ENTRY e = L->ListHead.Next;
        if (e) { L->ListHead.Next = e->Next; L->Depth--; }
        KeLowerIrql(old);
        if (e == NULL) return;
        L->Free(e);
    }
}

PVOID ExpAllocateFromLookaside(PGENERAL_LOOKASIDE L)
{
    KIRQL old = KeRaiseIrqlToDpcLevel();
    PSINGLE_LIST_ENTRY e = L->ListHead.Next;
    L->TotalAllocates++;
    if (e) {
        L->ListHead.Next = e->Next;
        L->Depth--;
    } else {
        L->AllocateMisses++;
    }
    KeLowerIrql(old);
    return e ? (PVOID)e : L->Allocate(L->Type, L->Size, L->Tag);
}

VOID ExpFreeToLookaside(PGENERAL_LOOKASIDE L, PVOID Entry)
{
    PSINGLE_LIST_ENTRY e = Entry;
    KIRQL old = KeRaiseIrqlToDpcLevel();
    L->TotalFrees++;
    if (L->Depth < L->MaximumDepth) {
        e->Next = L->ListHead.Next;
        L->ListHead.Next = e;
        L->Depth++;
        e = NULL;
    } else {
        L->FreeMisses++;
    }
    KeLowerIrql(old);
    if (e) L->Free(e);
}

VOID ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate,
                                     PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth)
{
    UNREFERENCED_PARAMETER(Flags);
    UNREFERENCED_PARAMETER(Depth);                 /* reserved on NT too: the system sets it */
    ExpInitializeLookaside(&Lookaside->L, Allocate, Free, NonPagedPool, Size, Tag);
}

VOID ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate,
                                    PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth)
{
    UNREFERENCED_PARAMETER(Flags);
    UNREFERENCED_PARAMETER(Depth);
    ExpInitializeLookaside(&Lookaside->L, Allocate, Free, PagedPool, Size, Tag);
}

VOID ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside) { ExpDeleteLookaside(&Lookaside->L); }
VOID ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside) { ExpDeleteLookaside(&Lookaside->L); }
